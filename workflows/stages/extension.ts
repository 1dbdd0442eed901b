import { extensionDecisionProblem, extensionRequestProblem } from '../../domain/handling';
import { deadlineFrom } from '../activities';
import type { ExtensionDecision, ExtensionRequest } from '../handling-messages';
import { publish } from '../publish';
import { refuse } from '../refusals';
import type { SuggestionRecord } from '../suggestion-record';
import { setCurrentDeadline, toProposer } from './handling';

// 延期: the lead department asks for more time with a reason; a supervisor approves or refuses.
// An approval moves the deadline (and with it the reminders) and tells the proposer why.

export function refuseInvalidExtensionRequest(suggestion: SuggestionRecord, request: ExtensionRequest): void {
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

export async function requestExtension(suggestion: SuggestionRecord, request: ExtensionRequest): Promise<void> {
  const h = suggestion.handling;
  const extension = {
    id: h.extensions.length + 1,
    requestedBy: request.actor.name,
    days: request.days,
    unit: h.limits!.maxExtension.unit,
    reason: request.reason.trim(),
    requestedAt: new Date().toISOString(),
    status: 'pending' as const,
  };
  h.extensions.push(extension);
  suggestion.record('extension_requested', request.actor.name, { days: extension.days, unit: extension.unit, reason: extension.reason });
  await publish(suggestion, [
    {
      key: `extension-request-${extension.id}`,
      recipient: 'supervisors',
      channel: 'online',
      subject: `Extension requested: ${suggestion.intake.trackingNumber}`,
      body: `${suggestion.leadDepartment} asks for ${extension.days} more ${extension.unit.replace('_', ' ')} on "${suggestion.intake.title}": ${extension.reason}`,
    },
  ]);
}

export function refuseInvalidExtensionDecision(suggestion: SuggestionRecord, request: ExtensionDecision): void {
  if (request.actor.role !== 'supervisor') refuse('WrongDepartment', 'only a supervisor approves or refuses an extension');
  if (suggestion.status !== 'handling') refuse('WrongState', `a suggestion in status ${suggestion.status} cannot be extended`);
  if (!suggestion.handling.pendingExtension()) refuse('WrongState', 'no extension request is waiting');
  const problem = extensionDecisionProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

export async function decideExtension(suggestion: SuggestionRecord, request: ExtensionDecision): Promise<void> {
  const h = suggestion.handling;
  const extension = h.pendingExtension()!;
  Object.assign(extension, { status: request.approve ? 'approved' : 'refused', decidedBy: request.actor.name, decisionReason: request.reason.trim(), decidedAt: new Date().toISOString() });
  if (!request.approve) {
    suggestion.record('extension_refused', request.actor.name, { reason: extension.decisionReason });
    await publish(suggestion, [
      {
        key: `extension-refused-${extension.id}`,
        recipient: `department:${suggestion.leadDepartment}`,
        channel: 'online',
        subject: `Extension refused: ${suggestion.intake.trackingNumber}`,
        body: `The deadline stays ${suggestion.dueAt?.toISOString()}: ${extension.decisionReason}`,
      },
    ]);
    return;
  }
  // An extension adds to the deadline as it stands, not to today.
  extension.previousDueAt = h.responseDueAt;
  extension.newDueAt = await deadlineFrom({ from: h.responseDueAt!, limit: { amount: extension.days, unit: extension.unit } });
  h.responseDueAt = extension.newDueAt;
  setCurrentDeadline(suggestion);
  suggestion.record('extension_approved', request.actor.name, { reason: extension.decisionReason, previousDueAt: extension.previousDueAt, dueAt: extension.newDueAt });
  await publish(suggestion, [
    {
      key: `extension-approved-${extension.id}`,
      recipient: `department:${suggestion.leadDepartment}`,
      channel: 'online',
      subject: `Extension approved: ${suggestion.intake.trackingNumber}`,
      body: `Reply by ${extension.newDueAt}.`,
    },
    toProposer(
      suggestion,
      `extension-${extension.id}`,
      `More time for your suggestion ${suggestion.intake.trackingNumber}`,
      `The answer on "${suggestion.intake.title}" will come by ${extension.newDueAt} instead of ${extension.previousDueAt}: ${extension.decisionReason}`,
    ),
  ]);
}
