import { notices } from '../notices';
import { nextChange } from '../recording';
import type { Suggestion } from '../suggestion';
import { cancelJointHandling } from './joint-handling';
import { handlingEnded, routeAgain } from './routing';

// 办理: the lead department handles the suggestion under its deadline, reminded before it (催办)
// and escalated to supervisors after it (督办), until it decides or the office closes the matter
// as out of scope. Meanwhile the office may reassign it, the department return it (退回) or ask for
// more time (延期), and co-handling departments give their opinions (会办): each of those is an
// action on the suggestion (stages/actions.ts) that this stage sees as a change.

export async function handleUntilDecided(suggestion: Suggestion): Promise<void> {
  while (!handlingEnded(suggestion)) {
    if (suggestion.handling.rerouteRequested) await routeAgain(suggestion);
    // Merged into another suggestion (stages/merging.ts): its own deadline stops until the primary decides.
    if (suggestion.status === 'merged') await nextChange(suggestion, undefined, "the primary's decision");
    else {
      superviseDeadline(suggestion);
      if (!handlingEnded(suggestion)) await nextChange(suggestion, nextHandlingDeadline(suggestion), 'next reminder or deadline');
    }
  }
  cancelJointHandling(suggestion);
  suggestion.deadlines.settle('triage', 'returnable', 'co-opinion');
}

/** Escalates a passed deadline once, and sends the reminders that are due. */
function superviseDeadline(suggestion: Suggestion): void {
  const h = suggestion.handling;
  const dueAt = suggestion.dueAtIso;
  const now = Date.now();
  if (dueAt && now >= Date.parse(dueAt) && h.escalatedFor !== dueAt) escalateOverdue(suggestion, dueAt);
  const key = reminderKey(suggestion);
  if (key && h.reminderPlan?.key !== key) {
    // Reminders whose time passed before this assignment or deadline are not sent late.
    h.reminderPlan = {
      key,
      plannedAt: now,
      times: h.policy!.reminderOffsets.map((offset) => ({ offset, at: suggestion.deadlines.workingDaysBefore(dueAt!, offset) })),
    };
  }
  for (const r of unsentReminders(suggestion)) if (Date.parse(r.at) <= now) remindDepartment(suggestion, `${key}-${r.offset}`, r.offset);
}

/** The next reminder still to send, or the deadline if it has not been escalated. */
function nextHandlingDeadline(suggestion: Suggestion): number | undefined {
  const dueAt = suggestion.dueAtIso;
  const times = unsentReminders(suggestion).map((r) => Date.parse(r.at));
  if (dueAt && suggestion.handling.escalatedFor !== dueAt) times.push(Date.parse(dueAt));
  const ahead = times.filter((t) => t > Date.now());
  return ahead.length ? Math.min(...ahead) : undefined;
}

/** Reminders belong to the lead department and the deadline that bind now. */
function reminderKey(suggestion: Suggestion): string | undefined {
  return suggestion.status === 'handling' && suggestion.dueAtIso ? `${suggestion.leadDepartment}@${suggestion.dueAtIso}` : undefined;
}

function unsentReminders(suggestion: Suggestion) {
  const plan = suggestion.handling.reminderPlan;
  const key = reminderKey(suggestion);
  if (!plan || plan.key !== key) return [];
  return plan.times.filter((r) => Date.parse(r.at) > plan.plannedAt && !suggestion.handling.remindersSent.includes(`${key}-${r.offset}`));
}

/** 催办: tells the lead department how many working days remain. */
function remindDepartment(suggestion: Suggestion, key: string, workingDaysLeft: number): void {
  suggestion.handling.remindersSent.push(key);
  suggestion.record('reminded', 'system', { department: suggestion.leadDepartment, workingDaysLeft, dueAt: suggestion.dueAtIso });
  suggestion.notify(notices.reminder(suggestion, key, workingDaysLeft));
}

/** 督办: marks the suggestion overdue (the Overdue search attribute) and tells the supervisors. */
function escalateOverdue(suggestion: Suggestion, dueAt: string): void {
  suggestion.handling.escalatedFor = dueAt;
  suggestion.record('escalated_overdue', 'system', {
    dueAt,
    ...(suggestion.status === 'triage' ? { stage: 'triage' } : { department: suggestion.leadDepartment }),
  });
  suggestion.notify(notices.overdue(suggestion, dueAt));
}
