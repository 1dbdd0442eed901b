import { addMonths } from '../../domain/feedback-terms';
import { progressProblem, revisionProblem, type ImplementationView, type MilestoneInput, type MilestoneView } from '../../domain/implementation';
import type { FollowUpAnswer, ProgressRequest, RevisePlanRequest } from '../feedback-messages';
import type { Actor } from '../messages';
import { notices } from '../notices';
import { refuse } from '../refusals';
import type { Suggestion } from '../suggestion';
import { refreshStatus } from './reply';

// 落实转化: the adopted suggestion is carried out milestone by milestone. A milestone past its due
// date is reminded (催办), and escalated to supervisors after a grace (督办); when every milestone
// is done the suggestion is implemented, and months later the department confirms it still holds
// (回头看: stages/follow-up.ts).

const isDone = (m: MilestoneView) => m.doneAt !== undefined;
export const active = (i?: ImplementationView): i is ImplementationView => i !== undefined && !i.stoppedAt && !i.implementedAt;
const due = (m: MilestoneView) => `milestone:${m.id}`;
const grace = (m: MilestoneView) => `milestone-grace:${m.id}`;

/** Turns the decision's plan into dated milestones (the plan's day not counted). */
export function startImplementation(suggestion: Suggestion): void {
  const plan = suggestion.decision?.plan;
  // A merged suggestion's plan is carried out by its primary.
  if (!plan || suggestion.mergedInto) return;
  const startedAt = new Date().toISOString();
  const implementation: ImplementationView = { usage: plan.usage, summary: plan.summary, startedAt, milestones: [], revisions: [] };
  suggestion.feedback.implementation = implementation;
  implementation.milestones = datedMilestones(suggestion, plan.milestones, startedAt, []);
  refreshStatus(suggestion);
  suggestion.record('implementation_started', suggestion.decision!.decidedBy, {
    usage: plan.usage,
    milestones: implementation.milestones.map((m) => ({ id: m.id, ownerDepartment: m.ownerDepartment, dueAt: m.dueAt })),
  });
  suggestion.notify(...notices.milestones(suggestion, implementation.milestones, 'planned'));
}

/**
 * A re-handling decision changes the plan: a new adoption replaces the milestones still open
 * (recorded as a revision), a decision that no longer adopts stops it.
 */
export function applyRehandlingDecision(suggestion: Suggestion): void {
  const implementation = suggestion.feedback.implementation;
  const plan = suggestion.decision?.plan;
  if (suggestion.mergedInto) return;
  if (!implementation) return startImplementation(suggestion);
  if (!active(implementation)) return;
  if (!plan) {
    implementation.stoppedAt = new Date().toISOString();
    suggestion.deadlines.settleAll('milestone');
    suggestion.record('implementation_stopped', suggestion.decision!.decidedBy, { outcome: suggestion.decision!.outcome });
    return;
  }
  replaceMilestones(suggestion, implementation, plan.milestones, suggestion.decision!.decidedBy, 'the plan of the re-handling decision');
  implementation.usage = plan.usage;
  implementation.summary = plan.summary;
}

/** Reminds the milestones past their due date, escalates those past their grace, and marks the plan done. */
export function superviseMilestones(suggestion: Suggestion): void {
  const implementation = suggestion.feedback.implementation;
  if (!active(implementation)) return;
  if (implementation.milestones.every(isDone)) return markImplemented(suggestion, implementation);
  const now = Date.now();
  for (const m of implementation.milestones) {
    if (isDone(m) || m.escalatedAt) continue;
    if (!m.remindedAt && now >= Date.parse(m.dueAt)) remind(suggestion, m);
    else if (m.remindedAt && now >= Date.parse(m.escalatesAt!)) escalate(suggestion, m);
  }
}

/** When the plan next has something due by the clock: a milestone's due date or its grace's end. */
export function nextMilestoneDeadline(suggestion: Suggestion): { at: number; what: string } | undefined {
  const implementation = suggestion.feedback.implementation;
  if (!active(implementation)) return undefined;
  const deadlines = implementation.milestones
    .filter((m) => !isDone(m) && !m.escalatedAt)
    .map((m) => (m.remindedAt ? { at: Date.parse(m.escalatesAt!), what: 'milestone grace' } : { at: Date.parse(m.dueAt), what: 'milestone due' }))
    .filter((d) => d.at > Date.now());
  return deadlines.sort((a, b) => a.at - b.at)[0];
}

function remind(suggestion: Suggestion, milestone: MilestoneView): void {
  milestone.remindedAt = new Date().toISOString();
  suggestion.deadlines.countAfter(grace(milestone), due(milestone), suggestion.handling.feedbackTerms!.milestoneGrace, (at) => (milestone.escalatesAt = at));
  suggestion.record('milestone_reminded', 'system', {
    milestoneId: milestone.id,
    ownerDepartment: milestone.ownerDepartment,
    dueAt: milestone.dueAt,
    escalatesAt: milestone.escalatesAt,
  });
  suggestion.notify(notices.milestoneLate(suggestion, milestone));
}

function escalate(suggestion: Suggestion, milestone: MilestoneView): void {
  milestone.escalatedAt = new Date().toISOString();
  suggestion.record('milestone_escalated', 'system', { milestoneId: milestone.id, ownerDepartment: milestone.ownerDepartment, dueAt: milestone.dueAt });
  suggestion.notify(notices.milestoneOverdue(suggestion, milestone));
}

/** Every milestone done: implemented, and the follow-up check (回头看) dated months on, its request queued for its day. */
function markImplemented(suggestion: Suggestion, implementation: ImplementationView): void {
  implementation.implementedAt = new Date().toISOString();
  suggestion.deadlines.settleAll('milestone');
  refreshStatus(suggestion);
  suggestion.record('implemented', 'system', { milestones: implementation.milestones.length });
  suggestion.notify(notices.implemented(suggestion, implementation.summary));
  const terms = suggestion.handling.feedbackTerms!;
  const check = (implementation.followUp = { dueAt: addMonths(new Date(implementation.implementedAt), terms.followUpMonths).toISOString() });
  Object.assign(check, { askedAt: check.dueAt });
  const answerDueAt = suggestion.deadlines.count('follow-up-answer', check.dueAt, [terms.followUpAnswer], (at) => Object.assign(check, { answerDueAt: at }));
  suggestion.record('follow_up_scheduled', 'system', {
    department: suggestion.leadDepartment,
    askedAt: check.dueAt,
    answerDueAt,
    ...suggestion.provisionalNote('follow-up-answer'),
  });
  suggestion.notify(notices.followUpRequested(suggestion, check.dueAt, answerDueAt));
}

function refuseUnlessDepartment(actor: Actor, ...departments: (string | undefined)[]): void {
  if (actor.role !== 'department' || !departments.includes(actor.departmentCode)) {
    refuse('WrongDepartment', `only ${departments.filter(Boolean).join(' or ')} may do this`);
  }
}

export function refuseInvalidProgress(suggestion: Suggestion, request: ProgressRequest): void {
  const implementation = suggestion.feedback.implementation;
  const milestone = implementation?.milestones.find((m) => m.id === request.milestoneId);
  refuseUnlessDepartment(request.actor, suggestion.leadDepartment, milestone?.ownerDepartment);
  if (!active(implementation)) refuse('WrongState', 'the suggestion has no implementation in progress');
  if (!milestone) refuse('InvalidAction', `no milestone ${request.milestoneId} in the plan`);
  if (isDone(milestone)) refuse('WrongState', `milestone ${milestone.id} is already done`);
  const problem = progressProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

export function reportProgress(suggestion: Suggestion, request: ProgressRequest): void {
  const milestone = suggestion.feedback.implementation!.milestones.find((m) => m.id === request.milestoneId)!;
  const at = new Date().toISOString();
  milestone.percent = request.percent;
  milestone.reports.push({
    at,
    by: request.actor.name,
    percent: request.percent,
    note: request.note,
    ...(request.evidenceUrl ? { evidenceUrl: request.evidenceUrl } : {}),
    ...(request.evidence?.length ? { evidence: request.evidence } : {}),
  });
  if (request.percent === 100) {
    milestone.doneAt = at;
    suggestion.deadlines.settle(due(milestone), grace(milestone));
  }
  suggestion.record(request.percent === 100 ? 'milestone_done' : 'milestone_progress', request.actor.name, {
    milestoneId: milestone.id,
    percent: request.percent,
  });
}

export function refuseInvalidRevision(suggestion: Suggestion, request: RevisePlanRequest): void {
  refuseUnlessDepartment(request.actor, suggestion.leadDepartment);
  const implementation = suggestion.feedback.implementation;
  if (!active(implementation)) refuse('WrongState', 'only a plan in progress can be revised');
  const problem = revisionProblem(request);
  if (problem) refuse('InvalidAction', problem);
  const known = new Set(implementation.milestones.map((m) => m.id));
  const unknown = request.milestones.find((m) => m.id !== undefined && !known.has(m.id));
  if (unknown) refuse('InvalidAction', `no milestone ${unknown.id} in the plan`);
}

export function revisePlan(suggestion: Suggestion, request: RevisePlanRequest): void {
  replaceMilestones(suggestion, suggestion.feedback.implementation!, request.milestones, request.actor.name, request.reason);
}

/** Records the revision; a kept milestone keeps its progress and reports, a moved due date restarts its reminders. */
function replaceMilestones(
  suggestion: Suggestion,
  implementation: ImplementationView,
  milestones: (MilestoneInput & { id?: string })[],
  by: string,
  reason: string,
): void {
  const at = new Date().toISOString();
  const previous = implementation.milestones;
  implementation.revisions.push({
    at,
    by,
    reason,
    previous: previous.map(({ id, title, ownerDepartment, dueAt, percent }) => ({ id, title, ownerDepartment, dueAt, percent })),
  });
  suggestion.deadlines.settleAll('milestone');
  const dated = datedMilestones(suggestion, milestones, at, [...previous, ...implementation.revisions.flatMap((r) => r.previous)]);
  implementation.milestones = dated.map((m) => {
    const kept = previous.find((p) => p.id === m.id);
    if (!kept) return m;
    const sameDue = kept.dueAt === m.dueAt;
    const merged: MilestoneView = {
      ...m,
      percent: kept.percent,
      reports: kept.reports,
      ...(kept.doneAt ? { doneAt: kept.doneAt } : {}),
      ...(sameDue ? reminderState(kept) : {}),
    };
    return merged;
  });
  for (const m of implementation.milestones) {
    // The deadlines of the milestones as they now stand are the ones a published calendar corrects.
    if (isDone(m)) suggestion.deadlines.settle(due(m));
    else {
      suggestion.deadlines.count(due(m), at, [{ amount: m.dueInWorkingDays, unit: 'working_days' }], (dueAt) => (m.dueAt = dueAt));
      if (m.remindedAt) suggestion.deadlines.countAfter(grace(m), due(m), suggestion.handling.feedbackTerms!.milestoneGrace, (end) => (m.escalatesAt = end));
    }
  }
  suggestion.record('plan_revised', by, { reason, milestones: implementation.milestones.map((m) => ({ id: m.id, dueAt: m.dueAt })) });
  suggestion.notify(
    ...notices.milestones(
      suggestion,
      implementation.milestones.filter((m) => !isDone(m)),
      'revised',
    ),
  );
}

const reminderState = (m: MilestoneView) => ({
  ...(m.remindedAt ? { remindedAt: m.remindedAt } : {}),
  ...(m.escalatesAt ? { escalatesAt: m.escalatesAt } : {}),
  ...(m.escalatedAt ? { escalatedAt: m.escalatedAt } : {}),
});

/** Each milestone due the end of its nth working day after `from`; new ones numbered after every id used before. */
function datedMilestones(suggestion: Suggestion, milestones: (MilestoneInput & { id?: string })[], from: string, earlier: { id: string }[]): MilestoneView[] {
  let last = Math.max(0, ...earlier.map((m) => Number(m.id.slice(1)) || 0));
  return milestones.map((input) => {
    const m: MilestoneView = {
      id: input.id ?? `M${(last += 1)}`,
      title: input.title,
      ownerDepartment: input.ownerDepartment,
      dueInWorkingDays: input.dueInWorkingDays,
      dueAt: '',
      percent: 0,
      reports: [],
    };
    suggestion.deadlines.count(due(m), from, [{ amount: m.dueInWorkingDays, unit: 'working_days' }], (at) => (m.dueAt = at));
    return m;
  });
}

/** 回头看: the lead department confirms, from the day it is asked, whether the change still holds. */
export function refuseInvalidFollowUpAnswer(suggestion: Suggestion, request: FollowUpAnswer): void {
  refuseUnlessDepartment(request.actor, suggestion.leadDepartment);
  const check = suggestion.feedback.implementation?.followUp;
  if (!check?.askedAt) refuse('WrongState', 'no follow-up check has been asked for yet');
  if (Date.now() < Date.parse(check.askedAt)) refuse('WrongState', `the follow-up check is due on ${check.askedAt}`);
  if (check.confirmedAt) refuse('WrongState', 'the follow-up check is already answered');
  if (typeof request.stillInPlace !== 'boolean') refuse('InvalidAction', 'say whether the change is still in place');
  if (typeof request.note !== 'string' || request.note.trim().length < 2) refuse('InvalidAction', 'the answer describes what was checked');
}

export function answerFollowUp(suggestion: Suggestion, request: FollowUpAnswer): void {
  const check = suggestion.feedback.implementation!.followUp!;
  Object.assign(check, { confirmedAt: new Date().toISOString(), confirmedBy: request.actor.name, stillInPlace: request.stillInPlace, note: request.note });
  suggestion.deadlines.settle('follow-up-answer');
  suggestion.record('follow_up_answered', request.actor.name, { stillInPlace: request.stillInPlace });
  if (!request.stillInPlace) suggestion.notify(notices.followUpLapsed(suggestion, request.actor.name, request.note));
}

/**
 * The follow-up answer is late: escalated to supervisors when the daily sweep reports it
 * (workflows/follow-up-sweep-workflow.ts) and the workflow's own clock agrees. No timer months
 * ahead for a deadline most departments meet: a report before the deadline by this clock waits
 * for the sweep's next one.
 */
export function superviseFollowUp(suggestion: Suggestion): void {
  const check = suggestion.feedback.implementation?.followUp;
  if (!check?.answerDueAt || check.confirmedAt || check.escalatedAt) return;
  if (!suggestion.lateFollowUpReported || Date.now() < Date.parse(check.answerDueAt)) return;
  check.escalatedAt = new Date().toISOString();
  suggestion.record('follow_up_escalated', 'system', { department: suggestion.leadDepartment, answerDueAt: check.answerDueAt });
  suggestion.notify(notices.followUpOverdue(suggestion, check.answerDueAt));
}

/** Nothing more will come of the plan: none came and none can, it was stopped, or it is implemented and checked. */
export function implementationSettled(suggestion: Suggestion, ratingSettled: boolean): boolean {
  const implementation = suggestion.feedback.implementation;
  if (!implementation) return ratingSettled;
  if (implementation.stoppedAt) return true;
  return implementation.implementedAt !== undefined && implementation.followUp?.confirmedAt !== undefined;
}
