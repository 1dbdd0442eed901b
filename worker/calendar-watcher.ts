import type { Client } from '@temporalio/client';
import type { CalendarStore } from '../prisma/calendar-store';
import { shanghaiDate, yearOf } from '../domain/calendar';
import type { Database } from '../prisma/client';
import { listenOn } from '../prisma/listen';
import { startCalendarYearCorrection } from '../temporal-client/calendar-year';

/** How often the loads not yet given to the open suggestions are looked for, whether or not a notification was heard. */
const pollMs = 30_000;

export interface CalendarWatcher {
  /** Looks for loads not yet given to the open suggestions now (what a notification does). */
  check(): Promise<void>;
  /** Resolves once PostgreSQL's notifications are heard (a load before that is found by the poll). */
  listening: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker's part when the office loads a year's holiday schedule (through the API or
 * `npm run calendar -- load`, which only write PostgreSQL): it drops the calendar it keeps and
 * starts the calendar-year workflow that gives the year to every open suggestion. PostgreSQL
 * announces each load (calendar_years_changed); a load made while no worker listened is found by
 * the poll. Every worker does this; the workflow id, one per load, makes it run once.
 */
export function watchCalendar(opts: {
  db: Database;
  databaseUrl: string;
  temporal: Client;
  taskQueue: string;
  calendar: CalendarStore;
  onError: (err: unknown) => void;
}): CalendarWatcher {
  let running: Promise<void> | undefined;
  // A load heard while a check runs is looked for by another check right after it.
  let again = false;
  const check = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await startCorrections(opts);
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const onChange = () => {
    opts.calendar.forget();
    check().catch(opts.onError);
  };
  let heard: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (heard = resolve));
  const listener = listenOn(opts.databaseUrl, 'calendar_years_changed', { notified: onChange, listening: (on) => on && heard(), onError: opts.onError });
  const poll = setInterval(onChange, pollMs);
  onChange();
  return {
    check,
    listening,
    async stop() {
      clearInterval(poll);
      await listener.close();
      await running?.catch(() => undefined);
    },
  };
}

/** Years this far back hold no open deadline: a load of one is only marked as given. */
const yearsBackThatMatter = 1;

async function startCorrections(opts: { db: Database; temporal: Client; taskQueue: string }): Promise<void> {
  const pending = await opts.db.$queryRaw<
    { year: number; loaded_at: Date }[]
  >`SELECT year, loaded_at FROM calendar_years WHERE corrected_at IS NULL OR corrected_at < loaded_at`;
  const oldest = yearOf(shanghaiDate(new Date())) - yearsBackThatMatter;
  const past = pending.filter((p) => p.year < oldest).map((p) => p.year);
  if (past.length) await opts.db.calendarYear.updateMany({ where: { year: { in: past } }, data: { correctedAt: new Date() } });
  for (const { year, loaded_at: loadedAt } of pending.filter((p) => p.year >= oldest))
    await startCalendarYearCorrection(opts.temporal, opts.taskQueue, year, loadedAt);
}
