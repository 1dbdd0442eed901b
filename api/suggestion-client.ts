import { randomBytes } from 'node:crypto';
import type { QueryDefinition } from '@temporalio/client';
import type { SuggestionView } from '../domain/suggestion';
import { workflowIdFor } from '../domain/tracking-number';
import { stateQuery, trackingTokenHashQuery, type Actor } from '../workflows/messages';
import type { StaffIdentity } from './auth';
import type { ApiContext } from './context';
import { Problem } from './problem';
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

type Handle = ReturnType<ApiContext['temporal']['workflow']['getHandle']>;

/** Sends an update; the Idempotency-Key (or a fresh id) names it so a retried action is applied once. */
export async function update(ctx: ApiContext, id: string, req: { header(name: string): string | undefined }, send: (handle: Handle, updateId: string) => Promise<SuggestionView>) {
  const updateId = req.header('idempotency-key') ?? randomBytes(12).toString('hex');
  try {
    return await send(ctx.temporal.workflow.getHandle(workflowIdFor(id)), updateId);
  } catch (err) {
    // A finished workflow takes no more updates: the suggestion exists but is past acting on.
    if ((err as Error).name === 'WorkflowNotFoundError' && (await ctx.db.suggestion.count({ where: { id } })) > 0) {
      throw new Problem(409, 'wrong-state', 'Action refused', `suggestion ${id} is closed`);
    }
    throw problemFromTemporal(err, `suggestion ${id}`) ?? err;
  }
}

/** The member of staff as the workflow records them: role, department and a label for the timeline. */
export function actorOf(staff: StaffIdentity): Actor {
  const role = staff.role === 'department' || staff.role === 'office' || staff.role === 'supervisor' ? staff.role : 'office';
  return { role, departmentCode: staff.departmentCode, name: staff.departmentCode ? `${staff.departmentCode}/${staff.label}` : staff.label };
}

/** A department sees the suggestions it leads or co-handles; every other role sees them all. */
export function visibleTo(staff: StaffIdentity, view: SuggestionView): boolean {
  if (staff.role !== 'department') return true;
  return view.leadDepartment === staff.departmentCode || view.coDepartments.includes(staff.departmentCode ?? '');
}
