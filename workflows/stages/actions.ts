import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { SuggestionView } from '../../domain/suggestion';
import { answerFollowUpUpdate, campaignFeedbackSignal, followUpOverdueSignal, rateUpdate, reportProgressUpdate, revisePlanUpdate } from '../feedback-messages';
import { closeOutOfScopeUpdate, decideExtensionUpdate, markUrgentUpdate, requestExtensionUpdate, returnUpdate } from '../handling-messages';
import { assignUpdate, decideUpdate, officialCalendarSignal, stateQuery, trackingTokenHashQuery } from '../messages';
import { issuedHere, refuseUnlessIssuedHere, type Issued } from '../issued-for';
import { recorded } from '../recording';
import type { Suggestion } from '../suggestion';
import { takeOfficialCalendar } from './calendar-correction';
import { recordDecision, refuseInvalidDecision } from './decision';
import { refuseInvalidReturn, returnToTriage } from './department-return';
import { decideExtension, refuseInvalidExtensionDecision, refuseInvalidExtensionRequest, requestExtension } from './extension';
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
  action(suggestion, returnUpdate, refuseInvalidReturn, returnToTriage);
  action(suggestion, requestExtensionUpdate, refuseInvalidExtensionRequest, requestExtension);
  action(suggestion, decideExtensionUpdate, refuseInvalidExtensionDecision, decideExtension);
  action(suggestion, decideUpdate, refuseInvalidDecision, recordDecision);
  // After the decision: the departments carry the plan out (落实转化, 回头看), the proposer rates (回访).
  action(suggestion, reportProgressUpdate, refuseInvalidProgress, reportProgress);
  action(suggestion, revisePlanUpdate, refuseInvalidRevision, revisePlan);
  action(suggestion, answerFollowUpUpdate, refuseInvalidFollowUpAnswer, answerFollowUp);
  action(suggestion, rateUpdate, refuseInvalidRating, rate);

  // From the campaign's results, the daily follow-up sweep and a loaded calendar year.
  setHandler(campaignFeedbackSignal, (signal) => {
    if (!issuedHere(signal, 'campaignFeedback')) return;
    const { issuedFor: _proof, ...feedback } = signal;
    receiveCampaignFeedback(suggestion, feedback);
    suggestion.touch();
  });
  setHandler(followUpOverdueSignal, (signal) => {
    if (!issuedHere(signal, 'followUpOverdue')) return;
    suggestion.lateFollowUpReported = true;
    suggestion.touch();
  });
  setHandler(officialCalendarSignal, (signal) => {
    if (!issuedHere(signal, 'officialCalendarYear')) return;
    takeOfficialCalendar(suggestion, signal.year);
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
