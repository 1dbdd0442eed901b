import { condition, setHandler, sleep } from '@temporalio/workflow';
import { changed } from '../changes';
import type { FeedbackTerms } from '../../domain/feedback-terms';
import { addMonths } from '../../domain/feedback-terms';
import { progressProblem, revisionProblem, type FollowUpCheck, type ImplementationView, type MilestoneInput, type MilestoneView } from '../../domain/implementation';
import { deadlineFrom, deadlineIfKnown, milestoneDueDates } from '../activities';
import { doneBy } from '../alarm';
import { answerFollowUpUpdate, followUpOverdueSignal, reportProgressUpdate, revisePlanUpdate, type FollowUpAnswer, type ProgressRequest, type RevisePlanRequest } from '../feedback-messages';
import type { Actor } from '../messages';
import { publish } from '../publish';
import { refuse } from '../refusals';
import type { SuggestionRecord } from '../suggestion-record';
import { refreshStatus } from './reply';

// 落实转化: the adopted suggestion is carried out milestone by milestone. A milestone past its due
// date is reminded (催办), and escalated to supervisors after a grace (督办); when every milestone
// is done the suggestion is implemented, and months later the department confirms it still holds.

/** Suggestions that waited for the follow-up answer on a timer of their own replay as recorded. */
export const followUpSweptPatch = 'follow-up-answer-swept';

const isDone = (m: MilestoneView) => m.doneAt !== undefined;
const active = (i?: ImplementationView): i is ImplementationView => i !== undefined && !i.stoppedAt && !i.implementedAt;

export function handleImplementationMessages(suggestion: SuggestionRecord): void {
  setHandler(reportProgressUpdate, (request) => reportProgress(suggestion, request), { validator: (request) => refuseInvalidProgress(suggestion, request) });
  setHandler(revisePlanUpdate, (request) => revisePlan(suggestion, request), { validator: (request) => refuseInvalidRevision(suggestion, request) });
  setHandler(answerFollowUpUpdate, (request) => answerFollowUp(suggestion, request), { validator: (request) => refuseInvalidFollowUpAnswer(suggestion, request) });
  setHandler(followUpOverdueSignal, () => {
    suggestion.lateFollowUpReported = true;
  });
}

/** Turns the decision's plan into dated milestones (the plan's day not counted). */
export async function startImplementation(suggestion: SuggestionRecord): Promise<void> {
  const plan = suggestion.decision?.plan;
  if (!plan) return;
  const startedAt = new Date().toISOString();
  const milestones = await datedMilestones(plan.milestones, startedAt, []);
  suggestion.feedback.implementation = { usage: plan.usage, summary: plan.summary, startedAt, milestones, revisions: [] };
  refreshStatus(suggestion);
  suggestion.record('implementation_started', suggestion.decision!.decidedBy, { usage: plan.usage, milestones: milestones.map((m) => ({ id: m.id, ownerDepartment: m.ownerDepartment, dueAt: m.dueAt })) });
  await publish(suggestion, milestoneNotices(suggestion, milestones, 'planned'));
}

/**
 * A re-handling decision changes the plan: a new adoption replaces the milestones still open
 * (recorded as a revision), a decision that no longer adopts stops it.
 */
export async function applyRehandlingDecision(suggestion: SuggestionRecord): Promise<void> {
  const implementation = suggestion.feedback.implementation;
  const plan = suggestion.decision?.plan;
  if (!implementation) return startImplementation(suggestion);
  if (!active(implementation)) return;
  if (!plan) {
    implementation.stoppedAt = new Date().toISOString();
    suggestion.record('implementation_stopped', suggestion.decision!.decidedBy, { outcome: suggestion.decision!.outcome });
    await publish(suggestion);
    return;
  }
  await replaceMilestones(suggestion, implementation, plan.milestones, suggestion.decision!.decidedBy, 'the plan of the re-handling decision');
  implementation.usage = plan.usage;
  implementation.summary = plan.summary;
}

/**
 * Supervises the plan until every milestone is done (or the plan is stopped), then runs the
 * follow-up check. Waits for a plan first, as long as the rating may still bring one.
 */
export async function carryOut(suggestion: SuggestionRecord, terms: FeedbackTerms, ratingSettled: () => boolean): Promise<void> {
  await condition(() => suggestion.feedback.implementation !== undefined || ratingSettled());
  const implementation = suggestion.feedback.implementation;
  if (!implementation) return;
  while (active(implementation)) {
    if (implementation.milestones.every(isDone)) {
      await markImplemented(suggestion, implementation);
      break;
    }
    const next = nextDeadline(implementation);
    const seen = suggestion.version;
    if (!next) await condition(() => suggestion.version !== seen);
    else if (Date.now() < next.at) await doneBy(suggestion, () => suggestion.version !== seen, next.at, next.kind === 'remind' ? 'milestone due' : 'milestone grace');
    else if (next.kind === 'remind') await remind(suggestion, next.milestone, terms);
    else await escalate(suggestion, next.milestone);
  }
  if (implementation.implementedAt) await followUp(suggestion, implementation, terms);
}

function nextDeadline(implementation: ImplementationView): { milestone: MilestoneView; kind: 'remind' | 'escalate'; at: number } | undefined {
  const candidates = implementation.milestones
    .filter((m) => !isDone(m) && !m.escalatedAt)
    .map((m) => (m.remindedAt ? { milestone: m, kind: 'escalate' as const, at: Date.parse(m.escalatesAt!) } : { milestone: m, kind: 'remind' as const, at: Date.parse(m.dueAt) }));
  return candidates.sort((a, b) => a.at - b.at)[0];
}

async function remind(suggestion: SuggestionRecord, milestone: MilestoneView, terms: FeedbackTerms): Promise<void> {
  milestone.remindedAt = new Date().toISOString();
  milestone.escalatesAt = await deadlineFrom({ from: milestone.dueAt, limit: terms.milestoneGrace });
  suggestion.record('milestone_reminded', 'system', { milestoneId: milestone.id, ownerDepartment: milestone.ownerDepartment, dueAt: milestone.dueAt, escalatesAt: milestone.escalatesAt });
  await publish(suggestion, [
    {
      key: `milestone-reminded-${suggestion.version}`,
      recipient: `department:${milestone.ownerDepartment}`,
      channel: 'online',
      subject: `Milestone late: ${suggestion.intake.trackingNumber}`,
      body: `"${milestone.title}" was due ${milestone.dueAt} and is ${milestone.percent}% done; supervisors are told after ${milestone.escalatesAt}.`,
    },
  ]);
}

async function escalate(suggestion: SuggestionRecord, milestone: MilestoneView): Promise<void> {
  milestone.escalatedAt = new Date().toISOString();
  suggestion.record('milestone_escalated', 'system', { milestoneId: milestone.id, ownerDepartment: milestone.ownerDepartment, dueAt: milestone.dueAt });
  await publish(suggestion, [
    {
      key: `milestone-escalated-${suggestion.version}`,
      recipient: 'supervisors',
      channel: 'online',
      subject: `Implementation overdue: ${suggestion.intake.trackingNumber}`,
      body: `${milestone.ownerDepartment} has not finished "${milestone.title}" of "${suggestion.intake.title}", due ${milestone.dueAt} (${milestone.percent}% done).`,
    },
  ]);
}

async function markImplemented(suggestion: SuggestionRecord, implementation: ImplementationView): Promise<void> {
  implementation.implementedAt = new Date().toISOString();
  refreshStatus(suggestion);
  suggestion.record('implemented', 'system', { milestones: implementation.milestones.length });
  await publish(suggestion, [
    {
      key: 'implemented',
      recipient: 'proposer',
      channel: suggestion.intake.proposer.replyChannel,
      subject: `Your suggestion ${suggestion.intake.trackingNumber} is implemented`,
      body: `What changed: ${implementation.summary}`,
    },
  ]);
}

/**
 * 回头看: months after implementation the lead department confirms the change is still in place.
 * The request is queued when the suggestion is implemented and goes out on its day; while the
 * calendar of that day's year is not loaded yet, the suggestion waits for the day and asks then.
 */
async function followUp(suggestion: SuggestionRecord, implementation: ImplementationView, terms: FeedbackTerms): Promise<void> {
  const check: FollowUpCheck = (implementation.followUp = { dueAt: addMonths(new Date(implementation.implementedAt!), terms.followUpMonths).toISOString() });
  const answerDueAt = suggestion.lean ? await deadlineIfKnown({ from: check.dueAt, limit: terms.followUpAnswer }) : null;
  if (answerDueAt) {
    Object.assign(check, { askedAt: check.dueAt, answerDueAt });
    suggestion.record('follow_up_scheduled', 'system', { department: suggestion.leadDepartment, askedAt: check.askedAt, answerDueAt });
  } else {
    if (suggestion.lean) await doneBy(suggestion, () => false, Date.parse(check.dueAt), 'follow-up date');
    else await sleep(Math.max(1, Date.parse(check.dueAt) - Date.now()));
    check.askedAt = new Date().toISOString();
    check.answerDueAt = await deadlineFrom({ from: check.askedAt, limit: terms.followUpAnswer });
    suggestion.record('follow_up_requested', 'system', { department: suggestion.leadDepartment, answerDueAt: check.answerDueAt });
  }
  await publish(suggestion, [
    {
      key: 'follow-up-requested',
      recipient: `department:${suggestion.leadDepartment}`,
      channel: 'online',
      subject: `Follow-up check: ${suggestion.intake.trackingNumber}`,
      body: `Is the change from "${suggestion.intake.title}" still in place? Answer by ${check.answerDueAt}.`,
      ...(answerDueAt ? { sendAfter: check.askedAt } : {}),
    },
  ]);
  const answered = () => check.confirmedAt !== undefined;
  if (answerDueAt && changed(followUpSweptPatch)) {
    // No timer months ahead for a deadline most departments meet: the daily sweep tells the
    // suggestion when the answer is late (workflows/follow-up-sweep-workflow.ts).
    await condition(() => answered() || (suggestion.lateFollowUpReported && Date.now() >= Date.parse(answerDueAt)));
    if (answered()) return;
  } else if (await doneBy(suggestion, answered, Date.parse(check.answerDueAt!), 'follow-up answer')) return;
  check.escalatedAt = new Date().toISOString();
  suggestion.record('follow_up_escalated', 'system', { department: suggestion.leadDepartment, answerDueAt: check.answerDueAt });
  await publish(suggestion, [
    {
      key: 'follow-up-escalated',
      recipient: 'supervisors',
      channel: 'online',
      subject: `Follow-up unanswered: ${suggestion.intake.trackingNumber}`,
      body: `${suggestion.leadDepartment} has not confirmed that the change from "${suggestion.intake.title}" is still in place (due ${check.answerDueAt}).`,
    },
  ]);
  await condition(answered);
}

function refuseUnlessDepartment(actor: Actor, ...departments: (string | undefined)[]): void {
  if (actor.role !== 'department' || !departments.includes(actor.departmentCode)) {
    refuse('WrongDepartment', `only ${departments.filter(Boolean).join(' or ')} may do this`);
  }
}

function refuseInvalidProgress(suggestion: SuggestionRecord, request: ProgressRequest): void {
  const implementation = suggestion.feedback.implementation;
  const milestone = implementation?.milestones.find((m) => m.id === request.milestoneId);
  refuseUnlessDepartment(request.actor, suggestion.leadDepartment, milestone?.ownerDepartment);
  if (!active(implementation)) refuse('WrongState', 'the suggestion has no implementation in progress');
  if (!milestone) refuse('InvalidAction', `no milestone ${request.milestoneId} in the plan`);
  if (isDone(milestone)) refuse('WrongState', `milestone ${milestone.id} is already done`);
  const problem = progressProblem(request);
  if (problem) refuse('InvalidAction', problem);
}

async function reportProgress(suggestion: SuggestionRecord, request: ProgressRequest) {
  const milestone = suggestion.feedback.implementation!.milestones.find((m) => m.id === request.milestoneId)!;
  const at = new Date().toISOString();
  milestone.percent = request.percent;
  milestone.reports.push({ at, by: request.actor.name, percent: request.percent, note: request.note, ...(request.evidenceUrl ? { evidenceUrl: request.evidenceUrl } : {}) });
  if (request.percent === 100) milestone.doneAt = at;
  suggestion.record(request.percent === 100 ? 'milestone_done' : 'milestone_progress', request.actor.name, { milestoneId: milestone.id, percent: request.percent });
  await publish(suggestion);
  return suggestion.view();
}

function refuseInvalidRevision(suggestion: SuggestionRecord, request: RevisePlanRequest): void {
  refuseUnlessDepartment(request.actor, suggestion.leadDepartment);
  const implementation = suggestion.feedback.implementation;
  if (!active(implementation)) refuse('WrongState', 'only a plan in progress can be revised');
  const problem = revisionProblem(request);
  if (problem) refuse('InvalidAction', problem);
  const known = new Set(implementation.milestones.map((m) => m.id));
  const unknown = request.milestones.find((m) => m.id !== undefined && !known.has(m.id));
  if (unknown) refuse('InvalidAction', `no milestone ${unknown.id} in the plan`);
}

async function revisePlan(suggestion: SuggestionRecord, request: RevisePlanRequest) {
  await replaceMilestones(suggestion, suggestion.feedback.implementation!, request.milestones, request.actor.name, request.reason);
  return suggestion.view();
}

/** Records the revision; a kept milestone keeps its progress and reports, a moved due date restarts its reminders. */
async function replaceMilestones(suggestion: SuggestionRecord, implementation: ImplementationView, milestones: (MilestoneInput & { id?: string })[], by: string, reason: string): Promise<void> {
  const at = new Date().toISOString();
  const previous = implementation.milestones;
  const dated = await datedMilestones(milestones, at, [...previous, ...implementation.revisions.flatMap((r) => r.previous)]);
  implementation.revisions.push({ at, by, reason, previous: previous.map(({ id, title, ownerDepartment, dueAt, percent }) => ({ id, title, ownerDepartment, dueAt, percent })) });
  implementation.milestones = dated.map((m) => {
    const kept = previous.find((p) => p.id === m.id);
    if (!kept) return m;
    const sameDue = kept.dueAt === m.dueAt;
    return { ...m, percent: kept.percent, reports: kept.reports, ...(kept.doneAt ? { doneAt: kept.doneAt } : {}), ...(sameDue ? pick(kept) : {}) };
  });
  suggestion.record('plan_revised', by, { reason, milestones: implementation.milestones.map((m) => ({ id: m.id, dueAt: m.dueAt })) });
  await publish(suggestion, milestoneNotices(suggestion, implementation.milestones.filter((m) => !isDone(m)), 'revised'));
}

const pick = (m: MilestoneView) => ({ ...(m.remindedAt ? { remindedAt: m.remindedAt } : {}), ...(m.escalatesAt ? { escalatesAt: m.escalatesAt } : {}), ...(m.escalatedAt ? { escalatedAt: m.escalatedAt } : {}) });

async function datedMilestones(milestones: (MilestoneInput & { id?: string })[], from: string, earlier: { id: string }[]): Promise<MilestoneView[]> {
  const dueDates = await milestoneDueDates({ from, workingDays: milestones.map((m) => m.dueInWorkingDays) });
  let last = Math.max(0, ...earlier.map((m) => Number(m.id.slice(1)) || 0));
  return milestones.map((m, i) => ({
    id: m.id ?? `M${(last += 1)}`,
    title: m.title,
    ownerDepartment: m.ownerDepartment,
    dueInWorkingDays: m.dueInWorkingDays,
    dueAt: dueDates[i],
    percent: 0,
    reports: [],
  }));
}

function milestoneNotices(suggestion: SuggestionRecord, milestones: MilestoneView[], why: 'planned' | 'revised') {
  const owners = [...new Set(milestones.map((m) => m.ownerDepartment))];
  return owners.map((owner) => ({
    key: `milestones-${why}-${suggestion.version}-${owner}`,
    recipient: `department:${owner}`,
    channel: 'online',
    subject: `Implementation ${why}: ${suggestion.intake.trackingNumber}`,
    body: milestones
      .filter((m) => m.ownerDepartment === owner)
      .map((m) => `${m.id} "${m.title}" due ${m.dueAt}`)
      .join('\n'),
  }));
}

function refuseInvalidFollowUpAnswer(suggestion: SuggestionRecord, request: FollowUpAnswer): void {
  refuseUnlessDepartment(request.actor, suggestion.leadDepartment);
  const check = suggestion.feedback.implementation?.followUp;
  if (!check?.askedAt) refuse('WrongState', 'no follow-up check has been asked for yet');
  if (Date.now() < Date.parse(check.askedAt)) refuse('WrongState', `the follow-up check is due on ${check.askedAt}`);
  if (check.confirmedAt) refuse('WrongState', 'the follow-up check is already answered');
  if (typeof request.stillInPlace !== 'boolean') refuse('InvalidAction', 'say whether the change is still in place');
  if (typeof request.note !== 'string' || request.note.trim().length < 2) refuse('InvalidAction', 'the answer describes what was checked');
}

async function answerFollowUp(suggestion: SuggestionRecord, request: FollowUpAnswer) {
  const check = suggestion.feedback.implementation!.followUp!;
  Object.assign(check, { confirmedAt: new Date().toISOString(), confirmedBy: request.actor.name, stillInPlace: request.stillInPlace, note: request.note });
  suggestion.record('follow_up_answered', request.actor.name, { stillInPlace: request.stillInPlace });
  await publish(
    suggestion,
    request.stillInPlace
      ? []
      : [
          {
            key: 'follow-up-lapsed',
            recipient: 'supervisors',
            channel: 'online',
            subject: `Change no longer in place: ${suggestion.intake.trackingNumber}`,
            body: `${request.actor.name} reports that the change from "${suggestion.intake.title}" is no longer in place: ${request.note}`,
          },
        ],
  );
  return suggestion.view();
}
