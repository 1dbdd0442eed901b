import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AttachmentRef } from '../domain/attachments';
import type { CampaignFeedback } from '../domain/feedback';
import type { MilestoneInput } from '../domain/implementation';
import type { SuggestionView } from '../domain/suggestion';
import type { SatisfactionRating } from '../domain/vocabulary';
import type { Issued } from './issued-for';
import type { Actor } from './messages';

// What happens after the decision: the department carries the plan out and is checked on it,
// the proposer rates the handling, and a campaign publishes its collective results.

/** A department reports progress on one milestone; 100 means done. */
export interface ProgressRequest extends Issued {
  actor: Actor;
  milestoneId: string;
  percent: number;
  note: string;
  evidenceUrl?: string;
  /** Photos and documents of the work: references only. */
  evidence?: AttachmentRef[];
}
export const reportProgressUpdate = defineUpdate<SuggestionView, [ProgressRequest]>('reportProgress');

/** The lead department revises the plan, with its reason; milestones that keep their id keep their progress. */
export interface RevisePlanRequest extends Issued {
  actor: Actor;
  reason: string;
  milestones: (MilestoneInput & { id?: string })[];
}
export const revisePlanUpdate = defineUpdate<SuggestionView, [RevisePlanRequest]>('revisePlan');

/** The lead department answers the follow-up check: is the change still in place? */
export interface FollowUpAnswer extends Issued {
  actor: Actor;
  stillInPlace: boolean;
  note: string;
}
export const answerFollowUpUpdate = defineUpdate<SuggestionView, [FollowUpAnswer]>('answerFollowUp');

/**
 * The daily sweep (workflows/follow-up-sweep-workflow.ts) found the follow-up answer past its
 * deadline in the read model: the suggestion escalates it, if it is indeed late by its own clock.
 */
export const followUpOverdueSignal = defineSignal<[Issued]>('followUpOverdue');

/** The proposer rates the handling (the API has checked the tracking token). */
export interface RatingRequest extends Issued {
  rating: SatisfactionRating;
  comment?: string;
}
export const rateUpdate = defineUpdate<SuggestionView, [RatingRequest]>('rate');

/**
 * The campaign's published results reach each suggestion it collected (Art 12): the campaign's
 * workflow signals every suggestion with its CampaignId.
 */
export const campaignFeedbackSignal = defineSignal<[CampaignFeedback & Issued]>('campaignFeedback');
