import { returnProblem } from '../../domain/handling';
import type { ReturnRequest } from '../handling-messages';
import { notices } from '../notices';
import { refuse } from '../refusals';
import type { Suggestion } from '../suggestion';
import { cancelJointHandling } from './joint-handling';

// 退回: within its limit the lead department may return a suggestion that is not in its remit.

export function refuseInvalidReturn(suggestion: Suggestion, request: ReturnRequest): void {
  const h = suggestion.handling;
  if (request.actor.role !== 'department' || request.actor.departmentCode !== suggestion.leadDepartment) {
    refuse('WrongDepartment', `only the lead department ${suggestion.leadDepartment ?? '(none yet)'} can return this suggestion`);
  }
  if (suggestion.status !== 'handling') refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be returned`);
  if (h.officeOnly) refuse('WrongState', `the suggestion was returned ${h.returns.length} times; only the collection office can move it now`);
  if (h.returnableUntil && Date.now() > Date.parse(h.returnableUntil)) {
    refuse('WrongState', `the time to return it ended ${h.returnableUntil}; only the collection office can move it now`);
  }
  const problem = returnProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

/** Back to triage with a fresh routing limit; after the policy's number of returns, only the office routes it. */
export function returnToTriage(suggestion: Suggestion, request: ReturnRequest): void {
  const h = suggestion.handling;
  const at = new Date().toISOString();
  const department = suggestion.leadDepartment!;
  cancelJointHandling(suggestion);
  suggestion.deadlines.count('triage', at, [h.limits!.route], (due) => (h.triageDueAt = due));
  suggestion.deadlines.settle('returnable');
  h.returns.push({ department, reason: request.reason.trim(), at });
  h.assignments += 1;
  h.returnableUntil = undefined;
  suggestion.status = 'triage';
  suggestion.binding = 'triage';
  suggestion.leadDepartment = undefined;
  suggestion.coDepartments = [];
  suggestion.record('returned', request.actor.name, { department, reason: request.reason, returns: h.returns.length });
  if (h.returns.length >= h.policy!.maxReturns) {
    h.officeOnly = true;
    suggestion.record('automatic_routing_stopped', 'system', { returns: h.returns.length });
  } else {
    h.rerouteRequested = true;
  }
  suggestion.notify(notices.returned(suggestion, department, request.reason.trim()));
}
