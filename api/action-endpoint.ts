import { createHash, randomBytes } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/client';
import type { Router } from 'express';
import type { z } from 'zod';
import type { SuggestionView } from '../domain/suggestion';
import type { Actor } from '../workflows/messages';
import type { ApiContext } from './context';
import type { EndpointRegistry, EndpointSpec } from './endpoint';
import { requireInJurisdiction } from './jurisdiction-scope';
import { idempotencyHeaders } from './idempotency';
import type { StaffIdentity } from './staff-identity';
import { Problem } from './problem';
import { actionTarget, actorOf, notFound, queryWorkflow, updateSuggestion, visibleTo } from './suggestion-client';

// Every action on a suggestion (a decision, an assignment, a return, an extension, a progress
// report, a rating ...) is a Temporal update of its workflow, sent the same way: who acts, and an
// update id; the client stamps the request with the workflow and update it is issued for, which
// the workflow requires (temporal-client/issued-requests.ts) and uses as the action's id.

/** The fields an endpoint builds; who acts and the proof it was issued are added for it. */
export type ActionFields<R> = Omit<R, 'actor' | 'issuedFor'>;

/** What a staff action's request is built from. */
export interface ActionSource<P, B> {
  params: P;
  body: B;
  staff: StaffIdentity;
}

/**
 * Staff actions on a suggestion as endpoints of one router: each spec is registered like any
 * other endpoint (roles, validation, OpenAPI); `request` builds the update's request from the
 * parsed path and body (and may refuse, e.g. an unknown department); the answer is the
 * suggestion's new state.
 */
export function actionEndpoints(ctx: ApiContext, registry: EndpointRegistry, router: Router) {
  return function actionEndpoint<P extends z.ZodType<{ id: string }>, Q extends z.ZodType, B extends z.ZodType, R extends { actor: Actor }>(
    spec: EndpointSpec<P, Q, B>,
    update: UpdateDefinition<SuggestionView, [R]>,
    request: (from: ActionSource<z.output<P>, z.output<B>>) => ActionFields<R> | Promise<ActionFields<R>>,
  ): void {
    // Documented and validated like any parameter: it names the action for the caller's retries.
    registry.add(router, { ...spec, headers: spec.headers ?? idempotencyHeaders }, async ({ params, body, req, res }) => {
      const staff = req.staff!;
      // An office or supervisor acts only within its jurisdiction (a district's, a street's).
      await requireInJurisdiction(ctx, staff, params.id);
      const fields = await request({ params, body, staff });
      // ActionFields<R> with its actor is R less its proof, which the client stamps on it.
      res.json(await sendAction(ctx, params.id, req, update, { ...fields, actor: actorOf(staff) } as unknown as Omit<R, 'issuedFor'>));
    });
  };
}

/** What an action is sent on behalf of: the Idempotency-Key, and the member of staff (none: the proposer, known by the token). */
export interface ActionCaller {
  header(name: string): string | undefined;
  staff?: StaffIdentity;
}

/**
 * Sends one action to the suggestion's workflow. Its update id is made from who sends it, which
 * action it is and the caller's Idempotency-Key (else it is fresh), and the request is stamped
 * with it: a retried action is applied once, by Temporal while it remembers the update and by the
 * workflow's record of applied actions after. The Idempotency-Key alone would not do: Temporal
 * answers an update id it knows with the first update's stored result without running the
 * validator, so another caller's request under the same key would get the first caller's answer
 * (and the suggestion's full view) without being checked. The one place an action's id is chosen
 * (staff endpoints and the proposer's rating alike).
 */
export async function sendAction<R>(
  ctx: ApiContext,
  id: string,
  req: ActionCaller,
  update: UpdateDefinition<SuggestionView, [R]>,
  request: Omit<R, 'issuedFor'>,
): Promise<SuggestionView> {
  const department = req.staff?.role === 'department' ? req.staff : undefined;
  const target = await actionTarget(ctx, id);
  // A retry under an Idempotency-Key is sent as it is, for the answer its first attempt got (the
  // caller may since have lost sight of the suggestion: a return, a reassignment, its closure).
  if (!req.header('idempotency-key')) {
    // A department acting on a suggestion it cannot see is told what its GET says: there is none.
    if (department && (!target || !visibleTo(department, target))) throw notFound(id);
    // Closed is closed: refused from the read model at once. Sent on, the refusal waited on the
    // workflow service, for the client's retries of a busy or unreachable frontend (10–15 s) too.
    if (target?.status === 'closed') throw new Problem(409, 'wrong-state', 'Action refused', `suggestion ${id} is closed`);
  }
  try {
    return await updateSuggestion(ctx, id, update, request as R, actionUpdateId(req, update.name));
  } catch (err) {
    // Refused: a department that cannot see the suggestion as it stands now (the read model may
    // have been behind) learns nothing from why, nor who leads it.
    if (department && err instanceof Problem && err.status < 500) {
      const now = (await queryWorkflow(ctx, id).catch(() => null)) ?? target;
      if (!now || !visibleTo(department, now)) throw notFound(id);
    }
    throw err;
  }
}

/**
 * The update id of an action: the caller, the action and their Idempotency-Key, hashed (a member
 * of staff by their API key's id or token's subject; the proposer by the suggestion's token, which
 * only they hold); a fresh one without a key. The same caller retrying the same action gets the
 * same id; anyone else's request is a new update, checked like any other.
 */
export function actionUpdateId(req: ActionCaller, action: string): string {
  const key = req.header('idempotency-key');
  if (!key) return randomBytes(12).toString('hex');
  const caller = req.staff ? `staff:${req.staff.keyId}` : 'proposer';
  return createHash('sha256').update(`${caller}\n${action}\n${key}`).digest('base64url');
}
