import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import type { SuggestionIntake, SuggestionView } from '../domain/suggestion';
import { localActivitiesTakeTurns } from './activities';
import { leanLifecyclePatch } from './alarm';
import { changed, gatherChanges, takeGatheredChanges } from './changes';
import { decideUpdate, stateQuery, trackingTokenHashQuery } from './messages';
import { recordDecision, refuseInvalidDecision } from './stages/decision';
import { handleUntilDecision } from './stages/handling';
import { refuseDecisionBeforeOpinions, registerHandlingActions } from './stages/handling-actions';
import { register } from './stages/registration';
import { followThrough, handleFollowThroughMessages } from './stages/follow-through';
import { SuggestionRecord } from './suggestion-record';

/**
 * One people's suggestion, from registration to closure:
 * register → route to the responsible department → the department handles it under its
 * deadline (reminded, escalated when late) → decision → reply → the proposer rates it (one
 * re-handling round when dissatisfied) while an adopted idea is implemented and checked → closed.
 *
 * New suggestions start as this type (domain/workflow-types.ts): its first workflow task records
 * the registration and the routing's look-ups as one local activity, and no patch.
 */
export async function suggestionWorkflowV2(intake: SuggestionIntake): Promise<SuggestionView> {
  const suggestion = new SuggestionRecord(intake);
  takeGatheredChanges();
  suggestion.lookUpAtRegistration = true;
  return followSuggestion(suggestion);
}

/** Suggestions started before suggestionWorkflowV2: each takes the changes its history recorded. */
export async function suggestionWorkflow(intake: SuggestionIntake): Promise<SuggestionView> {
  const suggestion = new SuggestionRecord(intake);
  gatherChanges();
  return followSuggestion(suggestion);
}

async function followSuggestion(suggestion: SuggestionRecord): Promise<SuggestionView> {
  suggestion.lean = changed(leanLifecyclePatch);
  if (suggestion.lean) localActivitiesTakeTurns();
  setHandler(stateQuery, () => suggestion.view());
  setHandler(trackingTokenHashQuery, () => suggestion.intake.trackingTokenHash ?? null);
  setHandler(decideUpdate, (request) => recordDecision(suggestion, request), {
    validator: (request) => {
      refuseInvalidDecision(suggestion, request);
      refuseDecisionBeforeOpinions(suggestion);
    },
  });
  registerHandlingActions(suggestion);
  handleFollowThroughMessages(suggestion);

  await register(suggestion);
  await handleUntilDecision(suggestion);
  // A matter closed as out of scope (Art 10) has had its answer; only a decision goes on.
  if (suggestion.decision) await followThrough(suggestion);

  await condition(allHandlersFinished);
  return suggestion.view();
}
