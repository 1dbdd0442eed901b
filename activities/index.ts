import type { KeyRing } from '../codec';
import type { Database } from '../prisma/client';
import { calendarStore } from '../prisma/calendar-store';
import { campaignActivities } from './campaigns';
import { feedbackActivities } from './feedback';
import { followUpSweepActivities } from './follow-up-sweep';
import { handlingLookupsActivities } from './handling-lookups';
import { projectionActivities } from './projection';
import { registrationWithLookupsActivities } from './registration-with-lookups';
import { routingActivities } from './routing';
import { timeLimitActivities } from './time-limits';

/**
 * Every activity of the suggestion chain, bound to its dependencies. The working-day calendar is
 * read again from PostgreSQL once it is `calendarTtlMs` old (a minute unless told).
 */
export function createActivities(db: Database, keys: KeyRing, opts: { calendarTtlMs?: number } = {}) {
  const currentCalendar = calendarStore(db, opts.calendarTtlMs);
  const routing = routingActivities(db);
  const timeLimits = timeLimitActivities(db, currentCalendar);
  const projection = projectionActivities(db, keys);
  const handlingLookups = handlingLookupsActivities(routing, timeLimits);
  return {
    ...projection,
    ...routing,
    ...timeLimits,
    ...handlingLookups,
    ...registrationWithLookupsActivities(projection, handlingLookups),
    ...campaignActivities(db, currentCalendar),
    ...feedbackActivities(db, currentCalendar),
    ...followUpSweepActivities(db),
  };
}

export type SuggestionActivities = ReturnType<typeof createActivities>;
export type { OutgoingMessage } from '../notifications/outbox';
export type { RoutingRequest, RoutingResult } from './routing';
export type { ReminderTime } from './time-limits';
export type { HandlingLookupsRequest, LookupAnswer } from './handling-lookups';
