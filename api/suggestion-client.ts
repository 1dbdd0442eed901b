import type { QueryDefinition, UpdateDefinition } from '@temporalio/client';
import type { SuggestionView } from '../domain/suggestion';
import { workflowIdFor } from '../domain/tracking-number';
import { stateQuery, trackingTokenHashQuery, type Actor } from '../workflows/messages';
import type { ApiContext } from './context';
import { Problem } from './problem';
import type { StaffIdentity } from './staff-identity';
import { problemFromTemporal } from './temporal-errors';

// The API's side of a suggestion's workflow: what it asks it (queries) and what it sends it
// (updates), with Temporal's refusals turned into the API's answers. Routes and pages use this
// rather than each other.

/** The suggestion as its workflow holds it now; null for no such suggestion. */
export function queryWorkflow(ctx: ApiContext, id: string): Promise<SuggestionView | null> {
  return askWorkflow(ctx, id, stateQuery);
}

/** The tracking token's hash as the suggestion's workflow carries it; null for no such suggestion. */
export function tokenHashInWorkflow(ctx: ApiContext, id: string): Promise<string | null> {
  return askWorkflow(ctx, id, trackingTokenHashQuery);
}

async function askWorkflow<T>(ctx: ApiContext, id: string, query: QueryDefinition<T>): Promise<T | null> {
  try {
    return await ctx.temporal.workflow.getHandle(workflowIdFor(id)).query(query);
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return null;
    throw err;
  }
}

/**
 * Sends an update to the suggestion's workflow under the given update id and answers with the
 * suggestion's new state; sendAction (action-endpoint.ts) chooses the id.
 */
export async function updateSuggestion<R>(
  ctx: ApiContext,
  id: string,
  update: UpdateDefinition<SuggestionView, [R]>,
  request: R,
  updateId: string,
): Promise<SuggestionView> {
  try {
    return await ctx.temporal.workflow.getHandle(workflowIdFor(id)).executeUpdate(update, { args: [request], updateId });
  } catch (err) {
    // A finished workflow takes no more updates: the suggestion exists but is past acting on.
    if ((err as Error).name === 'WorkflowNotFoundError' && (await ctx.db.suggestion.count({ where: { id } })) > 0) {
      throw new Problem(409, 'wrong-state', 'Action refused', `suggestion ${id} is closed`);
    }
    const problem = problemFromTemporal(err, `suggestion ${id}`);
    if (problem) throw problem;
    // The workflow finished while the update was on its way (an out-of-scope closure just before, a
    // retry of one under its Idempotency-Key): Temporal fails the update as the run completes
    // before it, an error of its own rather than a refusal. The suggestion is closed: a 409, not a
    // server error.
    if (await finishedSuggestion(ctx, id)) throw new Problem(409, 'wrong-state', 'Action refused', `suggestion ${id} is closed`);
    throw err;
  }
}

/** Whether the suggestion exists and its workflow has finished (closed); false when that cannot be told. */
async function finishedSuggestion(ctx: ApiContext, id: string): Promise<boolean> {
  try {
    const description = await ctx.temporal.workflow.getHandle(workflowIdFor(id)).describe();
    return description.status.name !== 'RUNNING' && (await ctx.db.suggestion.count({ where: { id } })) > 0;
  } catch {
    return false;
  }
}

/** The member of staff as the workflow records them: role, department and a label for the timeline. */
export function actorOf(staff: StaffIdentity): Actor {
  const role = staff.role === 'department' || staff.role === 'office' || staff.role === 'supervisor' ? staff.role : 'office';
  return {
    role,
    departmentCode: staff.departmentCode,
    ...(staff.jurisdiction ? { jurisdiction: staff.jurisdiction } : {}),
    name: staff.departmentCode ? `${staff.departmentCode}/${staff.label}` : staff.label,
  };
}

/**
 * A department sees the suggestions it leads, co-handles, or owns a milestone of (it carries that
 * part of the plan out and reports on it); every other role sees them all.
 */
export function visibleTo(staff: StaffIdentity, view: Pick<SuggestionView, 'leadDepartment' | 'coDepartments' | 'feedback'>): boolean {
  if (staff.role !== 'department') return true;
  const code = staff.departmentCode ?? '';
  return (
    view.leadDepartment === code ||
    view.coDepartments.includes(code) ||
    (view.feedback?.implementation?.milestones ?? []).some((m) => m.ownerDepartment === code)
  );
}

/** What an action needs to know before it is sent: whether the caller may see the suggestion, and whether it is closed. */
export type ActionTarget = Pick<SuggestionView, 'status' | 'leadDepartment' | 'coDepartments' | 'feedback'>;

/** The suggestion as the read model holds it (no timeline), else as its workflow does; null for no such suggestion. */
export async function actionTarget(ctx: ApiContext, id: string): Promise<ActionTarget | null> {
  const row = await ctx.db.suggestion.findUnique({ where: { id }, select: { status: true, leadDepartment: true, coDepartments: true, feedback: true } });
  if (row)
    return {
      status: row.status as SuggestionView['status'],
      leadDepartment: row.leadDepartment ?? undefined,
      coDepartments: row.coDepartments,
      feedback: (row.feedback ?? undefined) as SuggestionView['feedback'],
    };
  return queryWorkflow(ctx, id);
}

/** The same answer as for a suggestion that does not exist: a department learns nothing of the others' suggestions. */
export function notFound(id: string): Problem {
  return new Problem(404, 'not-found', 'Not found', `suggestion ${id} does not exist`);
}
