import { ApplicationFailure, allHandlersFinished, condition, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { decisionProblem } from '../domain/decision-rules';
import type { Refusal } from '../domain/errors';
import type { SuggestionIntake, SuggestionView } from '../domain/suggestion';
import type { OutgoingMessage, RoutingResult } from '../activities';
import { projectSuggestion, registerSuggestion, routeToDepartment } from './activities';
import { assignUpdate, decideUpdate, stateQuery, type AssignRequest, type DecideRequest } from './messages';
import { Department, DueAt, Overdue, SuggestionStatus } from './search-attributes';
import { SuggestionRecord } from './suggestion-record';

/**
 * One people's suggestion, from registration to the proposer's reply:
 * register → route to the responsible department → the department handles it under its
 * deadline (reminded, escalated when late) → decision → reply → closed.
 */
export async function suggestionWorkflow(intake: SuggestionIntake): Promise<SuggestionView> {
  const suggestion = new SuggestionRecord(intake);
  setHandler(stateQuery, () => suggestion.view());
  setHandler(decideUpdate, (request) => recordDecision(suggestion, request), {
    validator: (request) => refuseInvalidDecision(suggestion, request),
  });
  setHandler(assignUpdate, (request) => assignByOffice(suggestion, request), {
    validator: (request) => refuseInvalidAssignment(suggestion, request),
  });

  await register(suggestion);
  await assign(suggestion, await routeToDepartment({ ...intake }));
  await awaitDepartmentDecision(suggestion);
  await replyToProposer(suggestion);

  await condition(allHandlersFinished);
  return suggestion.view();
}

async function register(suggestion: SuggestionRecord): Promise<void> {
  suggestion.record('registered', 'system', { channel: suggestion.intake.channel });
  const { trackingNumber } = suggestion.intake;
  await registerSuggestion(suggestion.intake, suggestion.view(), suggestion.takeUnprojected(), [
    {
      key: 'acknowledgement',
      recipient: 'proposer',
      channel: suggestion.intake.proposer.replyChannel,
      subject: `Suggestion received: ${trackingNumber}`,
      body: `Your suggestion "${suggestion.intake.title}" is registered under tracking number ${trackingNumber}.`,
    },
  ]);
}

async function assign(suggestion: SuggestionRecord, route: RoutingResult): Promise<void> {
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

function refuseInvalidAssignment(suggestion: SuggestionRecord, request: AssignRequest): void {
  if (request.actor.role !== 'office') refuse('WrongDepartment', 'only the collection office assigns suggestions');
  if (suggestion.status !== 'triage' && suggestion.status !== 'handling') {
    refuse('WrongState', `a suggestion in status ${suggestion.status} can no longer be assigned`);
  }
  if (!request.leadDepartment) refuse('InvalidAction', 'an assignment names the lead department');
  if (!request.reason || request.reason.trim().length < 2) refuse('InvalidAction', 'an assignment gives its reason');
}

/** The office routes by hand; the response deadline stays the one counted from receipt. */
async function assignByOffice(suggestion: SuggestionRecord, request: AssignRequest): Promise<SuggestionView> {
  const previous = suggestion.leadDepartment;
  suggestion.status = 'handling';
  suggestion.leadDepartment = request.leadDepartment;
  suggestion.coDepartments = (request.coDepartments ?? []).filter((c) => c !== request.leadDepartment);
  suggestion.record(previous ? 'reassigned' : 'assigned', request.actor.name, { from: previous, leadDepartment: request.leadDepartment, coDepartments: suggestion.coDepartments, reason: request.reason });
  await publish(suggestion);
  return suggestion.view();
}

/** Waits for the decision; when the deadline passes first, escalates to supervisors and keeps waiting (督办). */
async function awaitDepartmentDecision(suggestion: SuggestionRecord): Promise<void> {
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

async function escalateOverdue(suggestion: SuggestionRecord): Promise<void> {
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

function refuseInvalidDecision(suggestion: SuggestionRecord, request: DecideRequest): void {
  if (request.actor.role !== 'department' || request.actor.departmentCode !== suggestion.leadDepartment) {
    refuse('WrongDepartment', `only the lead department ${suggestion.leadDepartment ?? '(none yet)'} decides on this suggestion`);
  }
  if (suggestion.status !== 'handling') refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be decided`);
  const problem = decisionProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

function refuse(type: Refusal, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

async function recordDecision(suggestion: SuggestionRecord, request: DecideRequest): Promise<SuggestionView> {
  const decidedAt = new Date().toISOString();
  suggestion.decision = { outcome: request.outcome, reason: request.reason, reply: request.reply, decidedBy: request.actor.departmentCode ?? request.actor.name, decidedAt };
  suggestion.status = 'decided';
  suggestion.record('decided', request.actor.name, { outcome: request.outcome, reason: request.reason });
  await publish(suggestion);
  return suggestion.view();
}

/** Tells the proposer the outcome and why (答复), by the channel they chose. */
async function replyToProposer(suggestion: SuggestionRecord): Promise<void> {
  const decision = suggestion.decision!;
  suggestion.status = 'closed';
  suggestion.repliedAt = new Date().toISOString();
  suggestion.closedAt = suggestion.repliedAt;
  suggestion.record('replied', decision.decidedBy, { channel: suggestion.intake.proposer.replyChannel });
  await publish(suggestion, [
    {
      key: 'reply',
      recipient: 'proposer',
      channel: suggestion.intake.proposer.replyChannel,
      subject: `Reply to your suggestion ${suggestion.intake.trackingNumber}`,
      body: [`Outcome: ${decision.outcome}.`, decision.reason ? `Reason: ${decision.reason}` : '', decision.reply].filter(Boolean).join('\n'),
    },
  ]);
}

/** Projects the state into the read model and keeps the supervisors' search attributes current. */
async function publish(suggestion: SuggestionRecord, messages: OutgoingMessage[] = []): Promise<void> {
  upsertSearchAttributes([
    { key: SuggestionStatus, value: suggestion.status },
    { key: Overdue, value: suggestion.overdue },
    ...(suggestion.leadDepartment ? [{ key: Department, value: suggestion.leadDepartment }] : []),
    ...(suggestion.dueAt ? [{ key: DueAt, value: suggestion.dueAt }] : []),
  ]);
  await projectSuggestion(suggestion.view(), suggestion.takeUnprojected(), messages);
}
