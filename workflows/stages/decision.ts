import { decisionProblem } from '../../domain/decision-rules';
import type { SuggestionView } from '../../domain/suggestion';
import type { DecideRequest } from '../messages';
import { publish } from '../publish';
import { refuse } from '../refusals';
import type { SuggestionRecord } from '../suggestion-record';

// 办理结果: the lead department decides whether and how the suggestion is adopted — once while
// handling, and once more in the re-handling round a dissatisfied proposer opens.

export function refuseInvalidDecision(suggestion: SuggestionRecord, request: DecideRequest): void {
  if (request.actor.role !== 'department' || request.actor.departmentCode !== suggestion.leadDepartment) {
    refuse('WrongDepartment', `only the lead department ${suggestion.leadDepartment ?? '(none yet)'} decides on this suggestion`);
  }
  if (suggestion.status !== 'handling' && suggestion.status !== 'rehandling') refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be decided`);
  const problem = decisionProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

export async function recordDecision(suggestion: SuggestionRecord, request: DecideRequest): Promise<SuggestionView> {
  const again = suggestion.status === 'rehandling';
  suggestion.decision = {
    outcome: request.outcome,
    reason: request.reason,
    reply: request.reply,
    ...(request.plan ? { plan: request.plan } : {}),
    decidedBy: request.actor.departmentCode ?? request.actor.name,
    decidedAt: new Date().toISOString(),
  };
  suggestion.status = 'decided';
  suggestion.record(again ? 'decided_again' : 'decided', request.actor.name, {
    outcome: request.outcome,
    reason: request.reason,
    ...(request.plan ? { usage: request.plan.usage, milestones: request.plan.milestones.length } : {}),
  });
  // The reply follows at once, except for a campaign's suggestion, which waits for the campaign's results.
  await publish(suggestion, [], { passing: !suggestion.intake.campaignId });
  return suggestion.view();
}
