import { decisionProblem } from '../../domain/decision-rules';
import type { DecideRequest } from '../messages';
import { refuse } from '../refusals';
import type { Suggestion } from '../suggestion';

// 办理结果: the lead department decides whether and how the suggestion is adopted — once while
// handling, and once more in the re-handling round a dissatisfied proposer opens.

export function refuseInvalidDecision(suggestion: Suggestion, request: DecideRequest): void {
  if (request.actor.role !== 'department' || request.actor.departmentCode !== suggestion.leadDepartment) {
    refuse('WrongDepartment', `only the lead department ${suggestion.leadDepartment ?? '(none yet)'} decides on this suggestion`);
  }
  if (suggestion.status !== 'handling' && suggestion.status !== 'rehandling')
    refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be decided`);
  const problem = decisionProblem(request);
  if (problem) refuse('InvalidAction', problem);
  const pending = suggestion.handling.pendingOpinions();
  // 会办: the lead decides only once every co-handling opinion is in or its deadline has passed.
  if (pending.length > 0) refuse('WrongState', `waiting for the opinions of ${pending.map((o) => `${o.department} (due ${o.dueAt})`).join(', ')}`);
}

export function recordDecision(suggestion: Suggestion, request: DecideRequest): void {
  const again = suggestion.status === 'rehandling';
  suggestion.decision = {
    outcome: request.outcome,
    reason: request.reason,
    reply: request.reply,
    ...(request.plan ? { plan: request.plan } : {}),
    ...(request.evidence?.length ? { evidence: request.evidence } : {}),
    decidedBy: request.actor.departmentCode ?? request.actor.name,
    decidedAt: new Date().toISOString(),
  };
  suggestion.status = 'decided';
  suggestion.record(again ? 'decided_again' : 'decided', request.actor.name, {
    outcome: request.outcome,
    reason: request.reason,
    ...(request.plan ? { usage: request.plan.usage, milestones: request.plan.milestones.length } : {}),
    ...(request.evidence?.length ? { evidence: request.evidence.length } : {}),
  });
}
