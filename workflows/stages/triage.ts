import { outOfScopeProblem } from '../../domain/handling';
import { deadlineFrom } from '../activities';
import type { OutOfScopeRequest, UrgentRequest } from '../handling-messages';
import type { Actor, AssignRequest } from '../messages';
import { publish } from '../publish';
import { refuse } from '../refusals';
import type { SuggestionRecord } from '../suggestion-record';
import { assign, setCurrentDeadline, toProposer } from './handling';
import { cancelJointHandling } from './joint-handling';

// 甄别 and 交办 by hand: what the collection office does with a suggestion before the decision.

function refuseUnlessOfficeBeforeDecision(suggestion: SuggestionRecord, actor: Actor, what: string): void {
  if (actor.role !== 'office') refuse('WrongDepartment', `only the collection office ${what}`);
  if (suggestion.status !== 'triage' && suggestion.status !== 'handling') {
    refuse('WrongState', `a suggestion in status ${suggestion.status} can no longer be changed this way`);
  }
}

export function refuseInvalidAssignment(suggestion: SuggestionRecord, request: AssignRequest): void {
  refuseUnlessOfficeBeforeDecision(suggestion, request.actor, 'assigns suggestions');
  if (typeof request.leadDepartment !== 'string' || request.leadDepartment.length < 2) refuse('InvalidAction', 'an assignment names the lead department');
  if (!Array.isArray(request.coDepartments ?? [])) refuse('InvalidAction', 'co-handling departments are a list');
  if (typeof request.reason !== 'string' || request.reason.trim().length < 2) refuse('InvalidAction', 'an assignment gives its reason');
}

/** The office routes by hand or reassigns (改派), with a reason; the response deadline stays the one counted from receipt. */
export async function assignByOffice(suggestion: SuggestionRecord, request: AssignRequest): Promise<void> {
  await assign(suggestion, { leadDepartment: request.leadDepartment, coDepartments: request.coDepartments ?? [] }, request.actor.name, request.reason);
}

export function refuseInvalidClosure(suggestion: SuggestionRecord, request: OutOfScopeRequest): void {
  refuseUnlessOfficeBeforeDecision(suggestion, request.actor, 'closes a matter as out of scope');
  const problem = outOfScopeProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

/** Not a suggestion (Art 10): closed with the reason, and the proposer is told where to turn. */
export async function closeOutOfScope(suggestion: SuggestionRecord, request: OutOfScopeRequest): Promise<void> {
  const at = new Date().toISOString();
  cancelJointHandling(suggestion);
  suggestion.handling.outOfScope = { kind: request.kind, reason: request.reason.trim(), referral: request.referral.trim(), closedBy: request.actor.name, at };
  suggestion.status = 'closed';
  suggestion.closedAt = at;
  suggestion.record('closed_out_of_scope', request.actor.name, { kind: request.kind, reason: request.reason, referral: request.referral });
  await publish(suggestion, [
    toProposer(
      suggestion,
      'out-of-scope',
      `About your submission ${suggestion.intake.trackingNumber}`,
      `"${suggestion.intake.title}" is not handled as a people's suggestion: ${request.reason.trim()}\nWhere to turn: ${request.referral.trim()}`,
    ),
  ]);
}

export function refuseInvalidUrgency(suggestion: SuggestionRecord, request: UrgentRequest): void {
  refuseUnlessOfficeBeforeDecision(suggestion, request.actor, 'marks a suggestion urgent');
  if (suggestion.handling.urgent) refuse('WrongState', 'the suggestion is already on the emergency fast path');
  if (typeof request.reason !== 'string' || request.reason.trim().length < 2) refuse('InvalidAction', 'marking a suggestion urgent gives the reason');
}

/** The emergency fast path (Art 14): the short limits count from now and replace any later deadline. */
export async function markUrgent(suggestion: SuggestionRecord, request: UrgentRequest): Promise<void> {
  const h = suggestion.handling;
  const from = new Date().toISOString();
  const [routeBy, respondBy] = await Promise.all([
    deadlineFrom({ from, limit: h.limits!.emergencyRoute }),
    deadlineFrom({ from, limit: h.limits!.emergencyRespond }),
  ]);
  const earlier = (a: string | undefined, b: string) => (a && Date.parse(a) < Date.parse(b) ? a : b);
  h.urgent = true;
  h.triageDueAt = earlier(h.triageDueAt, routeBy);
  h.responseDueAt = earlier(h.responseDueAt, respondBy);
  setCurrentDeadline(suggestion);
  suggestion.record('marked_urgent', request.actor.name, { reason: request.reason, dueAt: suggestion.dueAt?.toISOString() });
  await publish(
    suggestion,
    suggestion.status === 'handling'
      ? [
          {
            key: `urgent-${suggestion.version}`,
            recipient: `department:${suggestion.leadDepartment}`,
            channel: 'online',
            subject: `Urgent: ${suggestion.intake.trackingNumber}`,
            body: `"${suggestion.intake.title}" is on the emergency fast path (${request.reason.trim()}); reply by ${suggestion.dueAt?.toISOString()}.`,
          },
        ]
      : [],
  );
}
