import type { SuggestionIntake, SuggestionView, TimelineEvent } from '../domain/suggestion';
import type { HandlingLookupsRequest, handlingLookupsActivities, LookupAnswer } from './handling-lookups';
import type { OutgoingMessage } from '../notifications/outbox';
import type { projectionActivities } from './projection';

type Registration = Pick<ReturnType<typeof projectionActivities>, 'registerSuggestion'>;
type Lookups = ReturnType<typeof handlingLookupsActivities>;

/**
 * Registration and the routing's look-ups of a new suggestion in one local activity, so its first
 * workflow task records one marker before the routing where it recorded two. The two are
 * independent (a write of the new suggestion, reads of the reference data), so they run side by
 * side; the activity retries as a whole, and both halves are idempotent.
 */
export function registrationWithLookupsActivities(registration: Registration, lookups: Lookups) {
  return {
    async registerWithHandlingLookups(
      intake: SuggestionIntake,
      view: SuggestionView,
      events: TimelineEvent[],
      messages: OutgoingMessage[],
      lookupsRequest: HandlingLookupsRequest,
    ): Promise<LookupAnswer[]> {
      const [, answers] = await Promise.all([registration.registerSuggestion(intake, view, events, messages), lookups.handlingLookups(lookupsRequest)]);
      return answers;
    },
  };
}
