import { condition } from '@temporalio/workflow';
import type { SuggestionView } from '../../domain/suggestion';
import type { RoutingResult } from '../../activities';
import type { AssignRequest } from '../messages';
import { publish } from '../publish';
import { refuse } from '../refusals';
import type { SuggestionRecord } from '../suggestion-record';

// 交办 and 办理: the suggestion reaches the responsible department and is handled under its deadline.

export async function assign(suggestion: SuggestionRecord, route: RoutingResult): Promise<void> {
  suggestion.dueAt = new Date(route.dueAt);
  if (route.kind === 'triage') {
    suggestion.status = 'triage';
    suggestion.record('sent_to_triage', 'system', { reason: route.reason });
    await publish(suggestion);
    return;
  }
  suggestion.status = 'handling';
  suggestion.leadDepartment = route.leadDepartment;
  suggestion.coDepartments = route.coDepartments;
  suggestion.record('assigned', 'system', { leadDepartment: route.leadDepartment, coDepartments: route.coDepartments, ruleId: route.ruleId, dueAt: route.dueAt });
  await publish(suggestion, [
    {
      key: `assigned-${suggestion.version}`,
      recipient: `department:${route.leadDepartment}`,
      channel: 'online',
      subject: `New suggestion ${suggestion.intake.trackingNumber}`,
      body: `"${suggestion.intake.title}" is assigned to you; reply by ${route.dueAt}.`,
    },
  ]);
}

export function refuseInvalidAssignment(suggestion: SuggestionRecord, request: AssignRequest): void {
  if (request.actor.role !== 'office') refuse('WrongDepartment', 'only the collection office assigns suggestions');
  if (suggestion.status !== 'triage' && suggestion.status !== 'handling') {
    refuse('WrongState', `a suggestion in status ${suggestion.status} can no longer be assigned`);
  }
  if (!request.leadDepartment) refuse('InvalidAction', 'an assignment names the lead department');
  if (!request.reason || request.reason.trim().length < 2) refuse('InvalidAction', 'an assignment gives its reason');
}

/** The office routes by hand; the response deadline stays the one counted from receipt. */
export async function assignByOffice(suggestion: SuggestionRecord, request: AssignRequest): Promise<SuggestionView> {
  const previous = suggestion.leadDepartment;
  suggestion.status = 'handling';
  suggestion.leadDepartment = request.leadDepartment;
  suggestion.coDepartments = (request.coDepartments ?? []).filter((c) => c !== request.leadDepartment);
  suggestion.record(previous ? 'reassigned' : 'assigned', request.actor.name, { from: previous, leadDepartment: request.leadDepartment, coDepartments: suggestion.coDepartments, reason: request.reason });
  await publish(suggestion);
  return suggestion.view();
}

/** Waits for the decision; when the deadline passes first, escalates to supervisors and keeps waiting (督办). */
export async function awaitDepartmentDecision(suggestion: SuggestionRecord): Promise<void> {
  const decided = () => suggestion.decision !== undefined;
  while (!decided()) {
    const dueAt = suggestion.dueAt;
    if (suggestion.overdue || !dueAt) {
      await condition(decided);
    } else if (Date.now() < dueAt.getTime()) {
      await condition(() => decided() || suggestion.dueAt !== dueAt, dueAt.getTime() - Date.now(), { summary: 'response deadline' });
    } else {
      await escalateOverdue(suggestion);
    }
  }
}

export async function escalateOverdue(suggestion: SuggestionRecord): Promise<void> {
  suggestion.overdue = true;
  suggestion.record('escalated_overdue', 'system', { dueAt: suggestion.dueAt?.toISOString(), department: suggestion.leadDepartment });
  await publish(suggestion, [
    {
      key: `overdue-${suggestion.version}`,
      recipient: 'supervisors',
      channel: 'online',
      subject: `Overdue: ${suggestion.intake.trackingNumber}`,
      body: `${suggestion.leadDepartment} has not decided on "${suggestion.intake.title}", due ${suggestion.dueAt?.toISOString()}.`,
    },
  ]);
}
