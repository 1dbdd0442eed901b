import { shanghaiDate, yearOf, type HolidayCalendar } from '../domain/calendar';
import { yearsOf, type CalendarYear } from '../domain/calendar/calendar-years';
import { feedbackTermsFrom, type FeedbackTerms } from '../domain/feedback-terms';
import type { SuggestionIntake, SuggestionView, TimelineEvent } from '../domain/suggestion';
import { defaultHandlingPolicy, timeLimitsFor, type HandlingPolicy, type TimeLimits } from '../domain/time-limits';
import type { Database } from '../prisma/client';
import type { OutgoingMessage } from '../notifications/outbox';
import type { projectionActivities } from './projection';
import type { Route, routingActivities } from './routing';

/** The years a suggestion carries: a deadline it counts reaches at most this far past its receipt. */
const carriedYearsAhead = 4;

/**
 * What a new suggestion's routing needs, looked up as it is registered: where it goes, how long each
 * step may take (as the office's settings stand now: later changes apply to later suggestions),
 * and the working-day calendar its deadlines are counted on, official years and forecast ones.
 */
export interface RoutingPlan {
  limits: TimeLimits;
  policy: HandlingPolicy;
  feedbackTerms: FeedbackTerms;
  calendar: CalendarYear[];
  route: Route;
}

type Registration = Pick<ReturnType<typeof projectionActivities>, 'writeRegistration'>;
type Routing = ReturnType<typeof routingActivities>;

export function registrationActivities(db: Database, registration: Registration, routing: Routing, currentCalendar: () => Promise<HolidayCalendar>) {
  return {
    /**
     * 登记: writes the new suggestion into the read model (with its timeline so far and the
     * acknowledgement) and answers with its routing plan, in one local activity. The write and the
     * reads are independent, so they run side by side; the activity retries as a whole, and both
     * halves are idempotent.
     */
    async registerSuggestion(intake: SuggestionIntake, view: SuggestionView, events: TimelineEvent[], messages: OutgoingMessage[]): Promise<RoutingPlan> {
      const [, plan] = await Promise.all([registration.writeRegistration(intake, view, events, messages), planRouting(intake)]);
      return plan;
    },
  };

  async function planRouting(intake: SuggestionIntake): Promise<RoutingPlan> {
    const [settings, calendar, route] = await Promise.all([
      db.timeLimitSetting.findMany(),
      currentCalendar(),
      routing.routeToDepartment({ trackingNumber: intake.trackingNumber, category: intake.category, district: intake.district, channel: intake.channel, street: intake.place?.street, exclude: [] }),
    ]);
    const receivedYear = yearOf(shanghaiDate(new Date(intake.receivedAt)));
    return {
      limits: timeLimitsFor(intake.channel, intake.category, settings),
      policy: defaultHandlingPolicy,
      feedbackTerms: feedbackTermsFrom(settings),
      calendar: yearsOf(calendar, receivedYear, receivedYear + carriedYearsAhead),
      route,
    };
  }
}
