import { MONTHS, type CalendarSpec, type Client, type ScheduleSpec } from '@temporalio/client';

// When the Schedules run (schedules.ts creates them): the hour, and for a monthly collection the
// days themselves. A collection round refreshes its days from here when a calendar year is
// loaded; that needs no workflow code, so activities/ can import it without importing workflows/.

export const collectionScheduleId = (collectionId: string) => `collection-${collectionId}`;

/** Runs start at 09:00 in Shanghai (UTC+8, no daylight saving), when the offices open. */
export const runHourUtc = 1;

/**
 * The first working day of a month is not expressible as a cron rule (holidays move it), so the
 * spec lists the days themselves, computed from the working-day calendar.
 */
export function collectionSpec(days: readonly string[]): ScheduleSpec {
  const calendars: CalendarSpec[] = days.map((day) => {
    const [year, month, dayOfMonth] = day.split('-').map(Number);
    return { year, month: MONTHS[month - 1], dayOfMonth, hour: runHourUtc, minute: 0, comment: `first working day of ${day.slice(0, 7)}` };
  });
  return { calendars };
}

/** Brings the listed days up to date with the calendar (a newly loaded year, an edited holiday). */
export async function refreshCollectionDays(client: Client, collectionId: string, days: readonly string[]): Promise<void> {
  await client.schedule.getHandle(collectionScheduleId(collectionId)).update((previous) => ({ ...previous, spec: collectionSpec(days) }));
}
