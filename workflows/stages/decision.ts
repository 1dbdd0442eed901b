import { decisionProblem } from '../../domain/decision-rules';
import type { SuggestionView } from '../../domain/suggestion';
import type { DecideRequest } from '../messages';
import { publish } from '../publish';
import { refuse } from '../refusals';
import type { SuggestionRecord } from '../suggestion-record';

// 办理结果: the lead department decides whether and how the suggestion is adopted.

export function refuseInvalidDecision(suggestion: SuggestionRecord, request: DecideRequest): void {
  if (request.actor.role !== 'department' || request.actor.departmentCode !== suggestion.leadDepartment) {
    refuse('WrongDepartment', `only the lead department ${suggestion.leadDepartment ?? '(none yet)'} decides on this suggestion`);
  }
  if (suggestion.status !== 'handling') refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be decided`);
  const problem = decisionProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

export async function recordDecision(suggestion: SuggestionRecord, request: DecideRequest): Promise<SuggestionView> {
  const decidedAt = new Date().toISOString();
  suggestion.decision = { outcome: request.outcome, reason: request.reason, reply: request.reply, decidedBy: request.actor.departmentCode ?? request.actor.name, decidedAt };
  suggestion.status = 'decided';
  suggestion.record('decided', request.actor.name, { outcome: request.outcome, reason: request.reason });
  await publish(suggestion);
  return suggestion.view();
}
