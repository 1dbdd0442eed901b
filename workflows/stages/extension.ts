import { extensionDecisionProblem, extensionRequestProblem, type ExtensionRecord } from '../../domain/handling';
import type { ExtensionDecision, ExtensionRequest } from '../handling-messages';
import { notices } from '../notices';
import { refuse } from '../refusals';
import type { Suggestion } from '../suggestion';

// 延期: the lead department asks for more time with a reason; a supervisor approves or refuses.
// An approval moves the deadline (and with it the reminders) and tells the proposer why.

export function refuseInvalidExtensionRequest(suggestion: Suggestion, request: ExtensionRequest): void {
  const h = suggestion.handling;
  if (request.actor.role !== 'department' || request.actor.departmentCode !== suggestion.leadDepartment) {
    refuse('WrongDepartment', `only the lead department ${suggestion.leadDepartment ?? '(none yet)'} can ask for more time`);
  }
  if (suggestion.status !== 'handling') refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be extended`);
  if (h.pendingExtension()) refuse('WrongState', 'an extension request is already waiting for a supervisor');
  const approved = h.extensions.filter((e) => e.status === 'approved').length;
  if (approved >= h.policy!.maxExtensions) refuse('WrongState', `the suggestion was already extended ${approved} time(s), the most allowed`);
  const problem = extensionRequestProblem(request, h.limits!.maxExtension);
  if (problem) refuse('InvalidAction', problem);
}

export function requestExtension(suggestion: Suggestion, request: ExtensionRequest): void {
  const h = suggestion.handling;
  const extension: ExtensionRecord = {
    id: h.extensions.length + 1,
    requestedBy: request.actor.name,
    days: request.days,
    unit: h.limits!.maxExtension.unit,
    reason: request.reason.trim(),
    requestedAt: new Date().toISOString(),
    status: 'pending',
  };
  h.extensions.push(extension);
  suggestion.record('extension_requested', request.actor.name, { days: extension.days, unit: extension.unit, reason: extension.reason });
  suggestion.notify(notices.extensionRequested(suggestion, extension));
}

export function refuseInvalidExtensionDecision(suggestion: Suggestion, request: ExtensionDecision): void {
  if (request.actor.role !== 'supervisor') refuse('WrongDepartment', 'only a supervisor approves or refuses an extension');
  if (suggestion.status !== 'handling') refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be extended`);
  if (!suggestion.handling.pendingExtension()) refuse('WrongState', 'no extension request is waiting');
  const problem = extensionDecisionProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

export function decideExtension(suggestion: Suggestion, request: ExtensionDecision): void {
  const h = suggestion.handling;
  const extension = h.pendingExtension()!;
  Object.assign(extension, {
    status: request.approve ? 'approved' : 'refused',
    decidedBy: request.actor.name,
    decisionReason: request.reason.trim(),
    decidedAt: new Date().toISOString(),
  });
  if (!request.approve) {
    suggestion.record('extension_refused', request.actor.name, { reason: extension.decisionReason });
    suggestion.notify(notices.extensionRefused(suggestion, extension));
    return;
  }
  // An extension adds to the deadline as it stands, not to today.
  extension.previousDueAt = h.responseDueAt;
  extension.newDueAt = suggestion.deadlines.extend('response', { amount: extension.days, unit: extension.unit });
  suggestion.record('extension_approved', request.actor.name, {
    reason: extension.decisionReason,
    previousDueAt: extension.previousDueAt,
    dueAt: extension.newDueAt,
    ...suggestion.provisionalNote('response'),
  });
  suggestion.notify(...notices.extensionApproved(suggestion, extension));
}
