import type { RoutingPlan } from '../../activities';
import { registerSuggestion } from '../activities';
import { notices } from '../notices';
import type { Suggestion } from '../suggestion';

/**
 * 登记: the suggestion is registered in the read model and the proposer is given the tracking
 * number; the answer is its routing plan (where the rules send it, its time limits, the calendar
 * its deadlines are counted on).
 */
export async function register(suggestion: Suggestion): Promise<RoutingPlan> {
  suggestion.record('registered', 'system', { channel: suggestion.intake.channel });
  const { events } = suggestion.takeUnrecorded();
  const version = suggestion.version;
  const plan = await registerSuggestion(suggestion.intake, suggestion.view(), events, [notices.acknowledgement(suggestion)]);
  suggestion.recordedVersion = version;
  const h = suggestion.handling;
  h.limits = plan.limits;
  h.policy = plan.policy;
  h.feedbackTerms = plan.feedbackTerms;
  suggestion.carryCalendar(plan.calendar);
  return plan;
}
