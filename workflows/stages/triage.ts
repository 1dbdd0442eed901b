import { outOfScopeProblem } from '../../domain/handling';
import type { OutOfScopeRequest, UrgentRequest } from '../handling-messages';
import type { Actor, AssignRequest } from '../messages';
import { notices } from '../notices';
import { refuse } from '../refusals';
import type { Suggestion } from '../suggestion';
import { cancelJointHandling } from './joint-handling';
import { assign } from './routing';

// 甄别 and 交办 by hand: what the collection office does with a suggestion before the decision.

function refuseUnlessOfficeBeforeDecision(suggestion: Suggestion, actor: Actor, what: string): void {
  if (actor.role !== 'office') refuse('WrongDepartment', `only the collection office ${what}`);
  if (suggestion.status !== 'triage' && suggestion.status !== 'handling') {
    refuse('WrongState', `a suggestion in status ${suggestion.status} can no longer be changed this way`);
  }
}

export function refuseInvalidAssignment(suggestion: Suggestion, request: AssignRequest): void {
  refuseUnlessOfficeBeforeDecision(suggestion, request.actor, 'assigns suggestions');
  if (typeof request.leadDepartment !== 'string' || request.leadDepartment.length < 2) refuse('InvalidAction', 'an assignment names the lead department');
  if (!Array.isArray(request.coDepartments ?? [])) refuse('InvalidAction', 'co-handling departments are a list');
  if (typeof request.reason !== 'string' || request.reason.trim().length < 2) refuse('InvalidAction', 'an assignment gives its reason');
}

/** The office routes by hand or reassigns (改派), with a reason; the response deadline stays the one counted from receipt. */
export function assignByOffice(suggestion: Suggestion, request: AssignRequest): void {
  const { leadDepartment, leadDepartmentName, coDepartments = [] } = request;
  assign(suggestion, { leadDepartment, leadDepartmentName, coDepartments }, request.actor.name, request.reason);
}

export function refuseInvalidClosure(suggestion: Suggestion, request: OutOfScopeRequest): void {
  refuseUnlessOfficeBeforeDecision(suggestion, request.actor, 'closes a matter as out of scope');
  const problem = outOfScopeProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

/** Not a suggestion (Art 10): closed with the reason, and the proposer is told where to turn. */
export function closeOutOfScope(suggestion: Suggestion, request: OutOfScopeRequest): void {
  const at = new Date().toISOString();
  cancelJointHandling(suggestion);
  const record = { kind: request.kind, reason: request.reason.trim(), referral: request.referral.trim(), closedBy: request.actor.name, at };
  suggestion.handling.outOfScope = record;
  suggestion.status = 'closed';
  suggestion.closedAt = at;
  suggestion.record('closed_out_of_scope', request.actor.name, { kind: request.kind, reason: request.reason, referral: request.referral });
  suggestion.notify(notices.outOfScope(suggestion, record));
}

export function refuseInvalidUrgency(suggestion: Suggestion, request: UrgentRequest): void {
  refuseUnlessOfficeBeforeDecision(suggestion, request.actor, 'marks a suggestion urgent');
  if (suggestion.handling.urgent) refuse('WrongState', 'the suggestion is already on the emergency fast path');
  if (typeof request.reason !== 'string' || request.reason.trim().length < 2) refuse('InvalidAction', 'marking a suggestion urgent gives the reason');
}

/** The emergency fast path (Art 14): the short limits count from now and replace any later deadline. */
export function markUrgent(suggestion: Suggestion, request: UrgentRequest): void {
  const h = suggestion.handling;
  const from = new Date().toISOString();
  const deadlines = suggestion.deadlines;
  if (Date.parse(deadlines.instant(from, [h.limits!.emergencyRoute])) < Date.parse(h.triageDueAt!)) {
    deadlines.count('triage', from, [h.limits!.emergencyRoute], (at) => (h.triageDueAt = at));
  }
  if (Date.parse(deadlines.instant(from, [h.limits!.emergencyRespond])) < Date.parse(h.responseDueAt!)) {
    deadlines.count('response', from, [h.limits!.emergencyRespond], (at) => (h.responseDueAt = at));
  }
  h.urgent = true;
  suggestion.record('marked_urgent', request.actor.name, { reason: request.reason, dueAt: suggestion.dueAtIso });
  if (suggestion.status === 'handling') suggestion.notify(notices.urgent(suggestion, request.reason.trim()));
}
