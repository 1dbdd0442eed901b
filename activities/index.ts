import type { KeyRing } from '../codec';
import type { Database } from '../prisma/client';
import { calendarStore, type CalendarStore } from '../prisma/calendar-store';
import { calendarYearActivities } from './calendar-year';
import { campaignActivities } from './campaigns';
import { followUpSweepActivities } from './follow-up-sweep';
import { projectionActivities } from './projection';
import { registrationActivities } from './registration';
import { routingActivities } from './routing';

/**
 * Every activity of the suggestion chain, bound to its dependencies. The working-day calendar is
 * read again from PostgreSQL once it is `calendarTtlMs` old (a minute unless told), or at once
 * when the worker hears of a loaded year (the `calendar` given here is the one it forgets).
 */
export function createActivities(db: Database, keys: KeyRing, opts: { calendarTtlMs?: number; calendar?: CalendarStore } = {}) {
  const currentCalendar = opts.calendar ?? calendarStore(db, opts.calendarTtlMs);
  const routing = routingActivities(db);
  const projection = projectionActivities(db);
  return {
    ...registrationActivities(db, projection, routing, currentCalendar),
    projectSuggestion: projection.projectSuggestion,
    ...routing,
    ...campaignActivities(db, currentCalendar),
    ...followUpSweepActivities(db),
    ...calendarYearActivities(db, currentCalendar),
  };
}

export type SuggestionActivities = ReturnType<typeof createActivities>;
export type { OutgoingMessage } from '../notifications/outbox';
export type { RoutingRequest, Route } from './routing';
export type { RoutingPlan } from './registration';
