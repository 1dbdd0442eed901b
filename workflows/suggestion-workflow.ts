import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import type { SuggestionIntake, SuggestionView } from '../domain/suggestion';
import { routeToDepartment } from './activities';
import { assignUpdate, decideUpdate, stateQuery } from './messages';
import { recordDecision, refuseInvalidDecision } from './stages/decision';
import { assign, assignByOffice, awaitDepartmentDecision, refuseInvalidAssignment } from './stages/handling';
import { register } from './stages/registration';
import { replyToProposer } from './stages/reply';
import { SuggestionRecord } from './suggestion-record';

/**
 * One people's suggestion, from registration to the proposer's reply:
 * register → route to the responsible department → the department handles it under its
 * deadline (reminded, escalated when late) → decision → reply → closed.
 */
export async function suggestionWorkflow(intake: SuggestionIntake): Promise<SuggestionView> {
  const suggestion = new SuggestionRecord(intake);
  setHandler(stateQuery, () => suggestion.view());
  setHandler(decideUpdate, (request) => recordDecision(suggestion, request), {
    validator: (request) => refuseInvalidDecision(suggestion, request),
  });
  setHandler(assignUpdate, (request) => assignByOffice(suggestion, request), {
    validator: (request) => refuseInvalidAssignment(suggestion, request),
  });

  await register(suggestion);
  await assign(suggestion, await routeToDepartment({ ...intake }));
  await awaitDepartmentDecision(suggestion);
  await replyToProposer(suggestion);

  await condition(allHandlersFinished);
  return suggestion.view();
}
