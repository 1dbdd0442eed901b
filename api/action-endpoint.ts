import { randomBytes } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/client';
import type { Router } from 'express';
import type { z } from 'zod';
import type { SuggestionView } from '../domain/suggestion';
import type { Actor } from '../workflows/messages';
import type { ApiContext } from './context';
import type { EndpointRegistry, EndpointSpec } from './endpoint';
import { requireInJurisdiction } from './jurisdiction-scope';
import type { StaffIdentity } from './staff-identity';
import { actorOf, updateSuggestion } from './suggestion-client';

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
    registry.add(router, spec, async ({ params, body, req, res }) => {
      const staff = req.staff!;
      // An office or supervisor acts only within its jurisdiction (a district's, a street's).
      await requireInJurisdiction(ctx, staff, params.id);
      const fields = await request({ params, body, staff });
      // ActionFields<R> with its actor is R less its proof, which the client stamps on it.
      res.json(await sendAction(ctx, params.id, req, update, { ...fields, actor: actorOf(staff) } as unknown as Omit<R, 'issuedFor'>));
    });
  };
}

/**
 * Sends one action to the suggestion's workflow. The update id is the caller's Idempotency-Key,
 * else a fresh one, and the request is stamped with it: a retried action is applied once, by
 * Temporal while it remembers the update and by the workflow's record of applied actions after.
 * The one place an action's id is chosen (staff endpoints and the proposer's rating alike).
 */
export async function sendAction<R>(
  ctx: ApiContext,
  id: string,
  req: { header(name: string): string | undefined },
  update: UpdateDefinition<SuggestionView, [R]>,
  request: Omit<R, 'issuedFor'>,
): Promise<SuggestionView> {
  const updateId = req.header('idempotency-key') ?? randomBytes(12).toString('hex');
  return updateSuggestion(ctx, id, update, request as R, updateId);
}
