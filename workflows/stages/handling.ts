import { condition } from '@temporalio/workflow';
import type { OutgoingMessage } from '../../activities';
import { deadlineFrom, handlingTerms, reminderTimes, routeToDepartment } from '../activities';
import { forgetAnswersAsItWaits } from '../answers-ahead';
import { publish } from '../publish';
import type { SuggestionRecord } from '../suggestion-record';
import { assignedDepartmentName } from './department-name';
import { lookUpHandlingAtOnce } from './handling-lookups';
import { cancelJointHandling, startJointHandling } from './joint-handling';

// 交办 and 办理: the suggestion reaches the responsible department and is handled under its
// deadline: reminded before it (催办), escalated to supervisors after it (督办), until the lead
// department decides or the office closes it as out of scope.

export interface Assignment {
  leadDepartment: string;
  coDepartments: string[];
  ruleId?: number;
}

/** Runs the handling chain until the decision (or an out-of-scope closure). */
export async function handleUntilDecision(suggestion: SuggestionRecord): Promise<void> {
  const h = suggestion.handling;
  const { channel, category, receivedAt } = suggestion.intake;
  await lookUpHandlingAtOnce(suggestion);
  const terms = await handlingTerms({ channel, category });
  h.limits = terms.limits;
  h.policy = terms.policy;
  h.feedbackTerms = terms.feedback;
  // Both limits count from receipt, whoever ends up handling the suggestion.
  [h.triageDueAt, h.responseDueAt] = await Promise.all([
    deadlineFrom({ from: receivedAt, limit: terms.limits.route }),
    deadlineFrom({ from: receivedAt, limit: terms.limits.respond }),
  ]);
  await routeAutomatically(suggestion);
  while (!handlingEnded(suggestion)) {
    if (h.rerouteRequested) {
      h.rerouteRequested = false;
      await routeAutomatically(suggestion);
    } else {
      await superviseDeadline(suggestion);
    }
  }
  cancelJointHandling(suggestion);
  forgetAnswersAsItWaits();
  await condition(() => h.inFlight === 0);
}

export function handlingEnded(suggestion: SuggestionRecord): boolean {
  return suggestion.decision !== undefined || suggestion.status === 'closed';
}

/** 转送 by the office's rules, away from departments that returned it; no rule → the triage queue. */
async function routeAutomatically(suggestion: SuggestionRecord): Promise<void> {
  const h = suggestion.handling;
  const before = h.assignments;
  const { trackingNumber, category, district, channel } = suggestion.intake;
  const route = await routeToDepartment({ trackingNumber, category, district, channel, exclude: h.returns.map((r) => r.department) });
  // The office may have assigned it by hand meanwhile; its choice stands.
  if (h.assignments !== before || handlingEnded(suggestion)) return;
  if (route.kind === 'assigned') {
    await assign(suggestion, route, 'system');
    return;
  }
  suggestion.status = 'triage';
  setCurrentDeadline(suggestion);
  suggestion.record('sent_to_triage', 'system', { reason: route.reason, triageDueAt: h.triageDueAt });
  await publish(suggestion, [
    {
      key: `triage-${suggestion.version}`,
      recipient: 'office',
      channel: 'online',
      subject: `To route: ${suggestion.intake.trackingNumber}`,
      body: `"${suggestion.intake.title}" needs routing by hand (${route.reason}); route it by ${h.triageDueAt}.`,
    },
  ]);
}

/** Gives the suggestion to its lead department (and co-handling departments), by rule or by the office. */
export async function assign(suggestion: SuggestionRecord, to: Assignment, actor: string, reason?: string): Promise<void> {
  const h = suggestion.handling;
  const assignedAt = new Date().toISOString();
  const [returnableUntil, leadDepartmentName] = await Promise.all([
    deadlineFrom({ from: assignedAt, limit: h.limits!.returnToTriage }),
    assignedDepartmentName(to.leadDepartment),
  ]);
  cancelJointHandling(suggestion);
  const previous = suggestion.leadDepartment;
  const coDepartments = [...new Set(to.coDepartments)].filter((c) => c !== to.leadDepartment);
  h.assignments += 1;
  h.assignedAt = assignedAt;
  h.returnableUntil = returnableUntil;
  suggestion.status = 'handling';
  suggestion.leadDepartment = to.leadDepartment;
  suggestion.coDepartments = coDepartments;
  setCurrentDeadline(suggestion);
  const dueAt = suggestion.dueAt!.toISOString();
  suggestion.record(previous ? 'reassigned' : 'assigned', actor, {
    ...(previous ? { from: previous } : {}),
    leadDepartment: to.leadDepartment,
    ...(leadDepartmentName ? { leadDepartmentName } : {}),
    coDepartments,
    ...(to.ruleId !== undefined ? { ruleId: to.ruleId } : {}),
    ...(reason ? { reason } : {}),
    dueAt,
    returnableUntil,
  });
  await publish(suggestion, [
    {
      key: `assigned-${suggestion.version}`,
      recipient: `department:${to.leadDepartment}`,
      channel: 'online',
      subject: `New suggestion ${suggestion.intake.trackingNumber}`,
      body: `"${suggestion.intake.title}" is assigned to you; reply by ${dueAt}.`,
    },
  ]);
  if (coDepartments.length > 0) await startJointHandling(suggestion, coDepartments);
}

/** The deadline shown as `dueAt` (and the DueAt search attribute) is the one that binds now. */
export function setCurrentDeadline(suggestion: SuggestionRecord): void {
  const h = suggestion.handling;
  const current = suggestion.status === 'triage' ? h.triageDueAt : h.responseDueAt;
  suggestion.dueAt = current ? new Date(current) : undefined;
}

/**
 * Waits for whatever comes first: a change of state, the next reminder, or the deadline. A
 * passed deadline escalates once and the suggestion keeps waiting for the department.
 */
async function superviseDeadline(suggestion: SuggestionRecord): Promise<void> {
  const h = suggestion.handling;
  const dueAt = suggestion.dueAt?.toISOString();
  const now = Date.now();
  if (dueAt && now >= Date.parse(dueAt) && h.escalatedFor !== dueAt) return escalateOverdue(suggestion, dueAt);
  const reminderKey = suggestion.status === 'handling' && dueAt ? `${suggestion.leadDepartment}@${dueAt}` : undefined;
  if (reminderKey && h.reminderPlan?.key !== reminderKey) {
    const times = await reminderTimes({ dueAt: dueAt!, offsets: h.policy!.reminderOffsets });
    // Reminders whose time passed before this assignment or deadline are not sent late.
    h.reminderPlan = { key: reminderKey, plannedAt: now, times };
    return;
  }
  const unsent = reminderKey
    ? h.reminderPlan!.times.filter((r) => Date.parse(r.at) > h.reminderPlan!.plannedAt && !h.remindersSent.includes(`${reminderKey}-${r.offset}`))
    : [];
  const dueReminder = unsent.find((r) => Date.parse(r.at) <= now);
  if (dueReminder) return remindDepartment(suggestion, `${reminderKey}-${dueReminder.offset}`, dueReminder.offset);

  const wakeAt = Math.min(...unsent.map((r) => Date.parse(r.at)), dueAt && h.escalatedFor !== dueAt ? Date.parse(dueAt) : Infinity);
  const version = suggestion.version;
  const changed = () => handlingEnded(suggestion) || suggestion.version !== version || h.rerouteRequested;
  forgetAnswersAsItWaits();
  if (wakeAt === Infinity) await condition(changed);
  else await condition(changed, Math.max(1, wakeAt - now), { summary: 'next reminder or deadline' });
}

/** 催办: tells the lead department how many working days remain. */
async function remindDepartment(suggestion: SuggestionRecord, key: string, workingDaysLeft: number): Promise<void> {
  suggestion.handling.remindersSent.push(key);
  suggestion.record('reminded', 'system', { department: suggestion.leadDepartment, workingDaysLeft, dueAt: suggestion.dueAt?.toISOString() });
  await publish(suggestion, [
    {
      key: `reminder-${key}`,
      recipient: `department:${suggestion.leadDepartment}`,
      channel: 'online',
      subject: `Reminder: ${suggestion.intake.trackingNumber} is due in ${workingDaysLeft} working day(s)`,
      body: `"${suggestion.intake.title}" is due ${suggestion.dueAt?.toISOString()}.`,
    },
  ]);
}

/** 督办: marks the suggestion overdue (the Overdue search attribute) and tells the supervisors. */
export async function escalateOverdue(suggestion: SuggestionRecord, dueAt: string): Promise<void> {
  suggestion.handling.escalatedFor = dueAt;
  const late = suggestion.status === 'triage' ? 'the collection office has not routed' : `${suggestion.leadDepartment} has not decided on`;
  suggestion.record('escalated_overdue', 'system', { dueAt, ...(suggestion.status === 'triage' ? { stage: 'triage' } : { department: suggestion.leadDepartment }) });
  await publish(suggestion, [
    {
      key: `overdue-${suggestion.version}`,
      recipient: 'supervisors',
      channel: 'online',
      subject: `Overdue: ${suggestion.intake.trackingNumber}`,
      body: `${late} "${suggestion.intake.title}", due ${dueAt}.`,
    },
  ]);
}

/** A message to the proposer, by the channel they chose. */
export function toProposer(suggestion: SuggestionRecord, key: string, subject: string, body: string): OutgoingMessage {
  return { key, recipient: 'proposer', channel: suggestion.intake.proposer.replyChannel, subject, body };
}
