import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JurisdictionLevel, OutOfScopeKind } from '../domain/handling';
import type { SuggestionView } from '../domain/suggestion';
import type { Issued } from './issued-for';
import type { Actor } from './messages';

// The department, office and supervisor actions of the handling chain. Each is an update whose
// validator refuses a wrong actor (403), a wrong state (409) or bad data (422) before it enters
// history; each carries an action id, so a retried action is applied once.

export interface ActionRequest extends Issued {
  actor: Actor;
}

/** 退回: the lead department says the suggestion is not in its remit. */
export interface ReturnRequest extends ActionRequest {
  reason: string;
}
export const returnUpdate = defineUpdate<SuggestionView, [ReturnRequest]>('returnToTriage');

/** 延期申请: the lead department asks for more time. */
export interface ExtensionRequest extends ActionRequest {
  days: number;
  reason: string;
}
export const requestExtensionUpdate = defineUpdate<SuggestionView, [ExtensionRequest]>('requestExtension');

/** A supervisor approves or refuses the pending extension request; the reason reaches the proposer. */
export interface ExtensionDecision extends ActionRequest {
  approve: boolean;
  reason: string;
}
export const decideExtensionUpdate = defineUpdate<SuggestionView, [ExtensionDecision]>('decideExtension');

/** The office closes what is not a suggestion (Art 10) and tells the proposer where to turn. */
export interface OutOfScopeRequest extends ActionRequest {
  kind: OutOfScopeKind;
  reason: string;
  referral: string;
}
export const closeOutOfScopeUpdate = defineUpdate<SuggestionView, [OutOfScopeRequest]>('closeOutOfScope');

/** The office puts the suggestion on the emergency fast path (Art 14). */
export interface UrgentRequest extends ActionRequest {
  reason: string;
}
export const markUrgentUpdate = defineUpdate<SuggestionView, [UrgentRequest]>('markUrgent');

/**
 * 转办: an office hands the suggestion up or down a level. The API works out from the city profile
 * that `to` is the level above or below `from` (workflows never read the profile); the workflow
 * refuses it if the suggestion is no longer held at `from`.
 */
export interface HandOverRequest extends ActionRequest {
  from: string;
  to: string;
  direction: 'up' | 'down';
  toLevel: JurisdictionLevel;
  reason: string;
}
export const handOverUpdate = defineUpdate<SuggestionView, [HandOverRequest]>('handOver');

// Joint handling (会办): each co-handling department's opinion is its own child workflow.

export interface CoHandlingAssignment {
  trackingNumber: string;
  title: string;
  department: string;
  leadDepartment: string;
  dueAt: string;
}

export interface CoHandlingOutcome {
  department: string;
  status: 'pending' | 'given' | 'missing';
  dueAt: string;
  opinion?: string;
  givenBy?: string;
  at?: string;
}

export interface OpinionRequest extends ActionRequest {
  opinion: string;
}
export const giveOpinionUpdate = defineUpdate<CoHandlingOutcome, [OpinionRequest]>('giveOpinion');
export const coHandlingStateQuery = defineQuery<CoHandlingOutcome>('coHandlingState');

/** The official holiday schedule moved the opinion's deadline (its forecast had been counted). */
export const opinionDueCorrectedSignal = defineSignal<[{ dueAt: string } & Issued]>('opinionDueCorrected');
