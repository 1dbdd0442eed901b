import { attachmentRefsProblem, type AttachmentRef } from './attachments';
import { adoptionUsages, type AdoptionUsage } from './vocabulary';

// 落实转化: how an adopted suggestion is carried out, milestone by milestone, and checked later.
// Kept free of zod so the workflow's update validators use the same rules as the API.

/** A milestone as the department plans it: due a number of working days after the plan is made. */
export interface MilestoneInput {
  title: string;
  ownerDepartment: string;
  dueInWorkingDays: number;
}

/** The plan that comes with an adoption (Art 13: record how the suggestion is used). */
export interface ImplementationPlanInput {
  usage: AdoptionUsage[];
  /** What changes, in words fit for the public board: never the proposer's identity. */
  summary: string;
  milestones: MilestoneInput[];
}

export interface ProgressReport {
  at: string;
  by: string;
  percent: number;
  note: string;
  evidenceUrl?: string;
  /** Photos and documents the department attached: public with the report. */
  evidence?: AttachmentRef[];
}

export interface MilestoneView extends MilestoneInput {
  id: string;
  dueAt: string;
  percent: number;
  doneAt?: string;
  /** Past its due date: the owner was reminded (催办). */
  remindedAt?: string;
  /** When the grace after the reminder ends. */
  escalatesAt?: string;
  /** Still not done after the grace period: supervisors were told (督办). */
  escalatedAt?: string;
  reports: ProgressReport[];
}

export interface PlanRevision {
  at: string;
  by: string;
  reason: string;
  /** The milestones as they were before the revision. */
  previous: Pick<MilestoneView, 'id' | 'title' | 'ownerDepartment' | 'dueAt' | 'percent'>[];
}

export interface FollowUpCheck {
  /** When the department is asked to confirm the change is still in place. */
  dueAt: string;
  /** When the department is asked: the request is queued at implementation and goes out on its day. */
  askedAt?: string;
  /** The department's answer is due by then; after it, supervisors are told. */
  answerDueAt?: string;
  escalatedAt?: string;
  confirmedAt?: string;
  confirmedBy?: string;
  stillInPlace?: boolean;
  note?: string;
}

export interface ImplementationView {
  usage: AdoptionUsage[];
  summary: string;
  startedAt: string;
  milestones: MilestoneView[];
  revisions: PlanRevision[];
  implementedAt?: string;
  /** A re-handling decision that no longer adopts the suggestion stops the plan. */
  stoppedAt?: string;
  followUp?: FollowUpCheck;
}

const text = (value: unknown, min = 2): value is string => typeof value === 'string' && value.trim().length >= min;
const departmentCode = /^[a-z0-9_-]{2,64}$/;
export const maxMilestones = 20;
/** About three years of working days: a plan further out is a new plan, not a milestone. */
export const maxDueInWorkingDays = 750;

export function milestonesProblem(milestones: unknown): string | null {
  if (!Array.isArray(milestones) || milestones.length === 0) return 'an implementation plan has at least one milestone';
  if (milestones.length > maxMilestones) return `an implementation plan has at most ${maxMilestones} milestones`;
  for (const [i, m] of milestones.entries()) {
    const milestone = m as Partial<MilestoneInput>;
    if (!text(milestone?.title)) return `milestone ${i + 1} needs a title`;
    if (typeof milestone.ownerDepartment !== 'string' || !departmentCode.test(milestone.ownerDepartment))
      return `milestone ${i + 1} names its owner department`;
    const days = milestone.dueInWorkingDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > maxDueInWorkingDays) {
      return `milestone ${i + 1} is due in 1 to ${maxDueInWorkingDays} working days`;
    }
  }
  return null;
}

/** What is wrong with a plan, or null. */
export function planProblem(plan: unknown): string | null {
  const p = plan as Partial<ImplementationPlanInput> | undefined;
  if (!p || typeof p !== 'object') return 'an adoption comes with an implementation plan';
  if (!Array.isArray(p.usage) || p.usage.length === 0 || !p.usage.every((u) => adoptionUsages.includes(u))) {
    return `the plan records how the suggestion is used (Art 13): one or more of ${adoptionUsages.join(', ')}`;
  }
  if (!text(p.summary, 10)) return 'the plan summarises what changes, for the public record';
  return milestonesProblem(p.milestones);
}

export function progressProblem(r: { percent?: unknown; note?: unknown; evidenceUrl?: unknown; evidence?: unknown }): string | null {
  if (typeof r.percent !== 'number' || !Number.isInteger(r.percent) || r.percent < 0 || r.percent > 100) return 'progress is a whole percentage from 0 to 100';
  if (!text(r.note)) return 'a progress report says what was done';
  if (r.evidenceUrl !== undefined && (typeof r.evidenceUrl !== 'string' || !/^https?:\/\/\S+$/.test(r.evidenceUrl))) return 'evidence is an http(s) link';
  return attachmentRefsProblem(r.evidence);
}

export function revisionProblem(r: { reason?: unknown; milestones?: unknown }): string | null {
  if (!text(r.reason)) return 'a revised plan gives its reason';
  return milestonesProblem(r.milestones);
}

/** Overall progress: the mean of the milestones' percentages. */
export function overallPercent(milestones: readonly Pick<MilestoneView, 'percent'>[]): number {
  if (milestones.length === 0) return 0;
  return Math.round(milestones.reduce((sum, m) => sum + m.percent, 0) / milestones.length);
}
