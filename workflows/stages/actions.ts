import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { SuggestionView } from '../../domain/suggestion';
import { answerFollowUpUpdate, campaignFeedbackSignal, followUpOverdueSignal, rateUpdate, reportProgressUpdate, revisePlanUpdate } from '../feedback-messages';
import { closeOutOfScopeUpdate, decideExtensionUpdate, handOverUpdate, markUrgentUpdate, requestExtensionUpdate, returnUpdate } from '../handling-messages';
import {
  assignUpdate,
  decideUpdate,
  groupChangedSignal,
  groupSettledSignal,
  memberRatedSignal,
  mergeUpdate,
  officialCalendarSignal,
  primaryDecidedSignal,
  stateQuery,
  trackingTokenHashQuery,
  unmergeUpdate,
} from '../messages';
import { groupChanged, groupSettled, memberRated, mergeInto, primaryDecided, refuseInvalidMerge, refuseInvalidUnmerge, unmerge } from './merging';
import { issuedHere, refuseUnlessIssuedHere, type Issued, type IssuedFor } from '../issued-for';
import { recorded } from '../recording';
import type { Suggestion } from '../suggestion';
import { takeOfficialCalendar } from './calendar-correction';
import { recordDecision, refuseInvalidDecision } from './decision';
import { refuseInvalidReturn, returnToTriage } from './department-return';
import { decideExtension, refuseInvalidExtensionDecision, refuseInvalidExtensionRequest, requestExtension } from './extension';
import { handOver, refuseInvalidHandover } from './handover';
import { answerFollowUp, refuseInvalidFollowUpAnswer, refuseInvalidProgress, refuseInvalidRevision, reportProgress, revisePlan } from './implementation';
import { receiveCampaignFeedback } from './publication';
import { rate, refuseInvalidRating } from './satisfaction';
import { assignByOffice, closeOutOfScope, markUrgent, refuseInvalidAssignment, refuseInvalidClosure, refuseInvalidUrgency } from './triage';

/** What people and other workflows may ask of a suggestion, and which stage answers. */
export function answerMessages(suggestion: Suggestion): void {
  setHandler(stateQuery, () => suggestion.view());
  setHandler(trackingTokenHashQuery, () => suggestion.intake.trackingTokenHash ?? null);

  // The office (甄别, 交办), the lead department (办理, 退回, 延期) and a supervisor (延期审批).
  action(suggestion, assignUpdate, refuseInvalidAssignment, assignByOffice);
  action(suggestion, closeOutOfScopeUpdate, refuseInvalidClosure, closeOutOfScope);
  action(suggestion, markUrgentUpdate, refuseInvalidUrgency, markUrgent);
  // 转办: an office hands it to the level above or below (市 → 区 → 街镇 and back).
  action(suggestion, handOverUpdate, refuseInvalidHandover, handOver);
  action(suggestion, returnUpdate, refuseInvalidReturn, returnToTriage);
  action(suggestion, requestExtensionUpdate, refuseInvalidExtensionRequest, requestExtension);
  action(suggestion, decideExtensionUpdate, refuseInvalidExtensionDecision, decideExtension);
  action(suggestion, decideUpdate, refuseInvalidDecision, recordDecision);
  // 合并办理: the office merges a suggestion into another on the same matter, or undoes it.
  action(suggestion, mergeUpdate, refuseInvalidMerge, mergeInto);
  action(suggestion, unmergeUpdate, refuseInvalidUnmerge, unmerge);
  // After the decision: the departments carry the plan out (落实转化, 回头看), the proposer rates (回访).
  action(suggestion, reportProgressUpdate, refuseInvalidProgress, reportProgress);
  action(suggestion, revisePlanUpdate, refuseInvalidRevision, revisePlan);
  action(suggestion, answerFollowUpUpdate, refuseInvalidFollowUpAnswer, answerFollowUp);
  action(suggestion, rateUpdate, refuseInvalidRating, rate);

  // From the campaign's results, the daily follow-up sweep and a loaded calendar year.
  signal(campaignFeedbackSignal, 'campaignFeedback', suggestion, ({ issuedFor: _proof, ...feedback }) => receiveCampaignFeedback(suggestion, feedback));
  signal(followUpOverdueSignal, 'followUpOverdue', suggestion, () => (suggestion.lateFollowUpReported = true));
  signal(officialCalendarSignal, 'officialCalendarYear', suggestion, ({ year }) => takeOfficialCalendar(suggestion, year));
  // Between a primary and the suggestions merged into it.
  signal(groupChangedSignal, 'groupChanged', suggestion, (change) => groupChanged(suggestion, change));
  signal(primaryDecidedSignal, 'primaryDecided', suggestion, (told) => primaryDecided(suggestion, told));
  signal(memberRatedSignal, 'memberRated', suggestion, (rated) => memberRated(suggestion, rated));
  signal(groupSettledSignal, 'groupSettled', suggestion, () => groupSettled(suggestion));
}

/** A signal from another workflow or activity of the service, ignored (and logged) unless issued for this one. */
function signal<A extends Issued>(
  definition: SignalDefinition<[A]>,
  name: string,
  suggestion: Suggestion,
  take: (arg: A & { issuedFor: IssuedFor }) => void,
): void {
  setHandler(definition, (arg: A) => {
    if (!issuedHere(arg, name)) return;
    take(arg);
    suggestion.touch();
  });
}

/**
 * One action as an update: refused by its validator before it enters history, unless the
 * suggestion service issued it for this suggestion and this update (workflows/issued-for.ts);
 * applied once per update id (a retry answers with the current state and changes nothing);
 * answered once the read model holds the change.
 */
function action<R extends Issued>(
  suggestion: Suggestion,
  update: UpdateDefinition<SuggestionView, [R]>,
  refuseInvalid: (suggestion: Suggestion, request: R) => void,
  apply: (suggestion: Suggestion, request: R) => void,
): void {
  setHandler(
    update,
    async (request) => {
      const actionId = request.issuedFor?.updateId;
      if (!suggestion.alreadyApplied(actionId)) {
        suggestion.markApplied(actionId);
        apply(suggestion, request);
      }
      await recorded(suggestion);
      return suggestion.view();
    },
    {
      validator: (request) => {
        refuseUnlessIssuedHere(request);
        if (suggestion.alreadyApplied(request.issuedFor.updateId)) return;
        refuseInvalid(suggestion, request);
      },
    },
  );
}
