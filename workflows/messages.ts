import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AttachmentRef } from '../domain/attachments';
import type { CalendarYear } from '../domain/calendar/calendar-years';
import type { ImplementationPlanInput } from '../domain/implementation';
import type { RecordedDecision, SuggestionView } from '../domain/suggestion';
import type { Outcome, SatisfactionRating } from '../domain/vocabulary';
import type { Issued } from './issued-for';

/** Who acts: a department (by its code) or the collection office. */
export interface Actor {
  role: 'department' | 'office' | 'supervisor' | 'system';
  departmentCode?: string;
  /** Where an office or supervisor works: city, a district's code, a street's nine digits. */
  jurisdiction?: string;
  /** A label for the timeline, e.g. the API key's label; never a proposer. */
  name: string;
}

export interface DecideRequest extends Issued {
  actor: Actor;
  outcome: Outcome;
  reason?: string;
  reply: string;
  /** Adopted and partially adopted: how it is carried out and used (落实转化, Art 13). */
  plan?: ImplementationPlanInput;
  /** Photos and documents the department publishes with its decision: references only. */
  evidence?: AttachmentRef[];
}

/** The full current state, for staff and for the Temporal UI. */
export const stateQuery = defineQuery<SuggestionView>('state');
/** The hash of the proposer's tracking token, which the registration also writes to the read model. */
export const trackingTokenHashQuery = defineQuery<string | null>('trackingTokenHash');

/** The lead department records its decision (采纳 …) and the reply to the proposer. */
export const decideUpdate = defineUpdate<SuggestionView, [DecideRequest]>('decide');

export interface AssignRequest extends Issued {
  actor: Actor;
  leadDepartment: string;
  /** The lead department's name as the office's list has it now, for the timeline. */
  leadDepartmentName?: string;
  coDepartments?: string[];
  reason: string;
}

/** The collection office routes a suggestion by hand (triage) or reassigns it before the decision. */
export const assignUpdate = defineUpdate<SuggestionView, [AssignRequest]>('assign');

/**
 * The State Council's schedule of a year, once the office loads it: every open suggestion counts
 * again the deadlines it counted on that year's forecast (workflows/calendar-year-workflow.ts).
 */
export const officialCalendarSignal = defineSignal<[{ year: CalendarYear } & Issued]>('officialCalendarYear');

/** The office merges this suggestion into another on the same matter (合并办理), or undoes it. */
export interface MergeRequest extends Issued {
  actor: Actor;
  into: string;
  reason: string;
}
export const mergeUpdate = defineUpdate<SuggestionView, [MergeRequest]>('mergeInto');

export interface UnmergeRequest extends Issued {
  actor: Actor;
  reason: string;
}
export const unmergeUpdate = defineUpdate<SuggestionView, [UnmergeRequest]>('unmerge');

// Between a primary and the suggestions merged into it: each is a workflow of its own, and they
// tell each other what the other needs (never a shared row).

/** Member → primary: it joined or left the group. */
export const groupChangedSignal = defineSignal<[{ member: string; joined: boolean; by: string; reason: string } & Issued]>('groupChanged');
/** Primary → member: the group's decision, to reply to the member's proposer (again after a re-handling). */
export const primaryDecidedSignal = defineSignal<[{ decision: RecordedDecision; round: number; department: string } & Issued]>('primaryDecided');
/** Primary → member: every proposer of the group has rated the answer (or let the window close); no further answer comes. */
export const groupSettledSignal = defineSignal<[Issued]>('groupSettled');
/** Member → primary: how the member's proposer rated the answer; a dissatisfied one re-handles the primary once. */
export const memberRatedSignal =
  defineSignal<[{ member: string; round: number; rating: SatisfactionRating | 'not_rated'; comment?: string } & Issued]>('memberRated');
