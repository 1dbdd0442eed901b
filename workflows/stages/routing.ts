import type { Route, RoutingPlan } from '../../activities';
import { routeToDepartment } from '../activities';
import { notices } from '../notices';
import type { Suggestion } from '../suggestion';
import { cancelJointHandling, startJointHandling } from './joint-handling';

// 交办 (转送): the suggestion goes to the department responsible by the office's routing rules, or,
// when no rule fits, to the collection office to route by hand (triage, 甄别).

export interface Assignment {
  leadDepartment: string;
  leadDepartmentName?: string;
  coDepartments: string[];
  ruleId?: number;
}

/**
 * Routes a newly registered suggestion by its plan. Both limits count from receipt, whoever
 * ends up handling it: the office's to route it, the department's to answer.
 */
export function route(suggestion: Suggestion, plan: RoutingPlan): void {
  const h = suggestion.handling;
  const { receivedAt } = suggestion.intake;
  suggestion.deadlines.count('triage', receivedAt, [plan.limits.route], (at) => (h.triageDueAt = at));
  suggestion.deadlines.count('response', receivedAt, [plan.limits.respond], (at) => (h.responseDueAt = at));
  routeBy(suggestion, plan.route);
}

/** A returned suggestion is routed again by the rules, away from the departments that returned it. */
export async function routeAgain(suggestion: Suggestion): Promise<void> {
  const h = suggestion.handling;
  h.rerouteRequested = false;
  const before = h.assignments;
  const { trackingNumber, category, district, channel, place } = suggestion.intake;
  const found = await routeToDepartment({ trackingNumber, category, district, channel, street: place?.street, exclude: h.returns.map((r) => r.department) });
  // The office may have assigned it by hand meanwhile; its choice stands.
  if (h.assignments !== before || handlingEnded(suggestion)) return;
  routeBy(suggestion, found);
}

export function handlingEnded(suggestion: Suggestion): boolean {
  return suggestion.decision !== undefined || suggestion.status === 'closed';
}

function routeBy(suggestion: Suggestion, found: Route): void {
  if (found.kind === 'assigned') assign(suggestion, found, 'system');
  else sendToTriage(suggestion, found.reason);
}

/** No rule fits: the office routes it by hand, by the routing deadline. */
function sendToTriage(suggestion: Suggestion, reason: string): void {
  suggestion.status = 'triage';
  suggestion.binding = 'triage';
  suggestion.record('sent_to_triage', 'system', { reason, triageDueAt: suggestion.handling.triageDueAt, ...suggestion.provisionalNote('triage') });
  suggestion.notify(notices.toRoute(suggestion, reason));
}

/** Gives the suggestion to its lead department (and co-handling departments), by rule or by the office. */
export function assign(suggestion: Suggestion, to: Assignment, actor: string, reason?: string): void {
  const h = suggestion.handling;
  const assignedAt = new Date().toISOString();
  cancelJointHandling(suggestion);
  const previous = suggestion.leadDepartment;
  const coDepartments = [...new Set(to.coDepartments)].filter((c) => c !== to.leadDepartment);
  h.assignments += 1;
  h.assignedAt = assignedAt;
  suggestion.deadlines.count('returnable', assignedAt, [h.limits!.returnToTriage], (at) => (h.returnableUntil = at));
  suggestion.status = 'handling';
  suggestion.binding = 'response';
  suggestion.leadDepartment = to.leadDepartment;
  suggestion.coDepartments = coDepartments;
  suggestion.record(previous ? 'reassigned' : 'assigned', actor, {
    ...(previous ? { from: previous } : {}),
    leadDepartment: to.leadDepartment,
    ...(to.leadDepartmentName ? { leadDepartmentName: to.leadDepartmentName } : {}),
    coDepartments,
    ...(to.ruleId !== undefined ? { ruleId: to.ruleId } : {}),
    ...(reason ? { reason } : {}),
    dueAt: suggestion.dueAtIso,
    returnableUntil: h.returnableUntil,
    ...suggestion.provisionalNote('response'),
  });
  suggestion.notify(notices.assigned(suggestion));
  if (coDepartments.length > 0) startJointHandling(suggestion, coDepartments);
}
