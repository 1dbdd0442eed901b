import { shanghaiDate, yearOf, type HolidayCalendar } from '../domain/calendar';
import { yearsOf, type CalendarYear } from '../domain/calendar/calendar-years';
import { feedbackTermsFrom, type FeedbackTerms } from '../domain/feedback-terms';
import type { SuggestionIntake, SuggestionView, TimelineEvent } from '../domain/suggestion';
import { defaultHandlingPolicy, timeLimitsFor, type HandlingPolicy, type TimeLimits } from '../domain/time-limits';
import type { Database } from '../prisma/client';
import { readProfile } from '../prisma/profile-store';
import type { TimeLimitSetting } from '../domain/time-limits';
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

/** How long registration keeps the city profile's default time limits before reading them again. */
const profileTtlMs = 10_000;

export function registrationActivities(db: Database, registration: Registration, routing: Routing, currentCalendar: () => Promise<HolidayCalendar>) {
  let defaults: { read: number; settings: Promise<TimeLimitSetting[] | undefined> } | undefined;
  /** The city profile's default time limits (undefined without a profile: the code's defaults apply). */
  const profileDefaults = () => {
    if (!defaults || Date.now() - defaults.read >= profileTtlMs) {
      const settings = readProfile(db).then((p) => p?.timeLimitDefaults());
      defaults = { read: Date.now(), settings };
      settings.catch(() => (defaults = undefined));
    }
    return defaults.settings;
  };
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
    const [settings, calendar, route, cityDefaults] = await Promise.all([
      db.timeLimitSetting.findMany({ where: { jurisdiction: { in: ['city', intake.district] } } }),
      currentCalendar(),
      routing.routeToDepartment({
        trackingNumber: intake.trackingNumber,
        category: intake.category,
        district: intake.district,
        channel: intake.channel,
        street: intake.place?.street,
        exclude: [],
      }),
      profileDefaults(),
    ]);
    const receivedYear = yearOf(shanghaiDate(new Date(intake.receivedAt)));
    return {
      limits: timeLimitsFor(intake.channel, intake.category, settings, cityDefaults),
      policy: defaultHandlingPolicy,
      // A district's own settings come after the city's, so they win.
      feedbackTerms: feedbackTermsFrom([
        ...(cityDefaults ?? []),
        ...settings.filter((s) => s.jurisdiction === 'city'),
        ...settings.filter((s) => s.jurisdiction !== 'city'),
      ]),
      calendar: yearsOf(calendar, receivedYear, receivedYear + carriedYearsAhead),
      route,
    };
  }
}
