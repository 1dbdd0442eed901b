import { workflowInfo } from '@temporalio/workflow';
import type { SuggestionIntake, SuggestionView } from '../domain/suggestion';
import { workflowIdFor } from '../domain/tracking-number';
import { refuseUnsealedInput } from './issued-for';
import { answerMessages } from './stages/actions';
import { close } from './stages/closure';
import { rateImplementAndFollowUp } from './stages/follow-through';
import { handleUntilDecided } from './stages/handling';
import { register } from './stages/registration';
import { reply } from './stages/reply';
import { route } from './stages/routing';
import { Suggestion } from './suggestion';

/**
 * One people's suggestion (人民建议), from registration to closure, as the regulation runs it:
 * registered and given a tracking number (登记); routed to the department responsible, or to the
 * collection office to route by hand (交办, 甄别); handled under its deadline, reminded and
 * escalated when late, returned, extended or co-handled on the way (办理, 催办, 督办, 退回, 延期,
 * 会办) until the lead department decides (办理结果); the proposer answered (答复); then, side by
 * side, the proposer's rating with one re-handling round if dissatisfied (回访) and the
 * implementation of an adopted idea with its follow-up check months later (落实转化, 回头看);
 * closed (办结). A matter that is not a suggestion is closed by the office on the way (Art 10),
 * and one merged into another on the same matter is answered with it (合并办理).
 */
export async function suggestionWorkflow(intake: SuggestionIntake): Promise<SuggestionView> {
  // Its tracking number names its workflow: an intake copied into another workflow is refused.
  refuseUnsealedInput(intake, (i: SuggestionIntake) => workflowIdFor(i.trackingNumber) === workflowInfo().workflowId);
  const suggestion = new Suggestion(intake);
  answerMessages(suggestion);

  const plan = await register(suggestion); // 登记
  route(suggestion, plan); // 交办, or the office's 甄别
  await handleUntilDecided(suggestion); // 办理 until 办理结果
  if (suggestion.decision) {
    await reply(suggestion); // 答复
    await rateImplementAndFollowUp(suggestion); // 回访, 落实转化, 回头看
  }
  await close(suggestion); // 办结
  return suggestion.view();
}
