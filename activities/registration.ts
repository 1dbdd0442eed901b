import { shanghaiDate, yearOf, type HolidayCalendar } from '../domain/calendar';
import { yearsOf, type CalendarYear } from '../domain/calendar/calendar-years';
import { feedbackTermsFrom, type FeedbackTerms } from '../domain/feedback-terms';
import type { SuggestionIntake, SuggestionView, TimelineEvent } from '../domain/suggestion';
import type { RoutingRuleData } from '../domain/routing';
import { defaultHandlingPolicy, timeLimitsFor, type HandlingPolicy, type TimeLimits, type TimeLimitSetting } from '../domain/time-limits';
import { Prisma } from '../prisma/client';
import type { OutgoingMessage } from '../notifications/outbox';
import type { projectionActivities } from './projection';
import { routeBy, type Route } from './routing';

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

/** What routing a new suggestion needs from PostgreSQL, read by the statement that registers it. */
interface RoutingLookups {
  settings: TimeLimitSetting[];
  rules: (RoutingRuleData & { leadDepartmentName: string | null })[];
}

const routingLookups = (category: string) => Prisma.sql`
  SELECT
    (SELECT coalesce(json_agg(json_build_object('step', t.step, 'channel', t.channel, 'category', t.category, 'amount', t.amount, 'unit', t.unit) ORDER BY t.id), '[]')
       FROM time_limit_settings t) AS settings,
    (SELECT coalesce(json_agg(json_build_object('id', r.id, 'category', r.category, 'district', r.district, 'street', r.street, 'channel', r.channel, 'leadDepartment', r.lead_department,
         'coDepartments', r.co_departments, 'priority', r.priority, 'active', r.active, 'leadDepartmentName', d.name) ORDER BY r.id), '[]')
       FROM routing_rules r LEFT JOIN departments d ON d.code = r.lead_department
       WHERE r.category = ${category} AND r.active) AS rules`;

/** The routing plan's calendar years, once per calendar and year of receipt (the calendar is read again each minute). */
const carried = new WeakMap<HolidayCalendar, Map<number, CalendarYear[]>>();

function carriedYears(calendar: HolidayCalendar, receivedYear: number): CalendarYear[] {
  const byYear = carried.get(calendar) ?? new Map<number, CalendarYear[]>();
  carried.set(calendar, byYear);
  const years = byYear.get(receivedYear) ?? yearsOf(calendar, receivedYear, receivedYear + carriedYearsAhead);
  byYear.set(receivedYear, years);
  return years;
}

export function registrationActivities(registration: Registration, currentCalendar: () => Promise<HolidayCalendar>) {
  return {
    /**
     * 登记: writes the new suggestion into the read model (with its timeline so far and the
     * acknowledgement) and answers with its routing plan, in one local activity. The write and
     * the reads routing needs (the time limits, the category's rules and their departments' names)
     * are one statement: one round trip and one statement for PostgreSQL where there were four.
     * The activity retries as a whole, and the write is idempotent.
     */
    async registerSuggestion(intake: SuggestionIntake, view: SuggestionView, events: TimelineEvent[], messages: OutgoingMessage[]): Promise<RoutingPlan> {
      const [[lookups], calendar] = await Promise.all([
        registration.writeRegistration<RoutingLookups>(intake, view, events, messages, routingLookups(intake.category)),
        currentCalendar(),
      ]);
      return planRouting(intake, lookups, calendar);
    },
  };
}

function planRouting(intake: SuggestionIntake, { settings, rules }: RoutingLookups, calendar: HolidayCalendar): RoutingPlan {
  const names = Object.fromEntries(rules.filter((r) => r.leadDepartmentName !== null).map((r) => [r.leadDepartment, r.leadDepartmentName!]));
  const route = routeBy(
    rules,
    {
      trackingNumber: intake.trackingNumber,
      category: intake.category,
      district: intake.district,
      channel: intake.channel,
      street: intake.place?.street,
      exclude: [],
    },
    names,
  );
  const receivedYear = yearOf(shanghaiDate(new Date(intake.receivedAt)));
  return {
    limits: timeLimitsFor(intake.channel, intake.category, settings),
    policy: defaultHandlingPolicy,
    feedbackTerms: feedbackTermsFrom(settings),
    calendar: carriedYears(calendar, receivedYear),
    route,
  };
}
