import { Context } from '@temporalio/activity';
import { monthlyCollectionDays } from '../domain/campaign';
import { calendarYear, type CalendarYear } from '../domain/calendar/calendar-years';
import type { Database } from '../prisma/client';
import type { CalendarStore } from '../prisma/calendar-store';
import { officialCalendarSignal } from '../workflows/messages';
import { refreshCollectionDays } from '../temporal-client/schedule-calendar';

/** The activities of a loaded calendar year reaching the open suggestions and the collections (workflows/calendar-year-workflow.ts). */
export function calendarYearActivities(db: Database, currentCalendar: CalendarStore) {
  return {
    /**
     * Signals every running suggestion workflow of this task queue with the year as PostgreSQL
     * holds it now (a newer load of the same year supersedes: each suggestion takes whichever
     * reaches it, and an identical year changes nothing). Resumes after its last heartbeat.
     */
    async giveOpenSuggestionsYear(load: { year: number }): Promise<number> {
      const year = await officialYear(db, load.year);
      if (!year) return 0;
      const context = Context.current();
      const { client } = context;
      const query = `WorkflowType = 'suggestionWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${context.info.taskQueue}'`;
      const done = new Set<string>((context.info.heartbeatDetails as string[] | undefined) ?? []);
      let given = 0;
      for await (const execution of client.workflow.list({ query })) {
        if (done.has(execution.workflowId)) continue;
        try {
          await client.workflow.getHandle(execution.workflowId).signal(officialCalendarSignal, { year, issuedFor: { workflowId: execution.workflowId } });
          given += 1;
        } catch (err) {
          // Closed between the listing and the signal: nothing left to correct.
          if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
        }
        done.add(execution.workflowId);
        if (done.size % 100 === 0) context.heartbeat([...done]);
      }
      return given;
    },

    /** Every monthly collection's Schedule lists the first working days of the calendar as it stands now. */
    async refreshCollectionSchedules(): Promise<number> {
      const collections = await db.recurringCollection.findMany({ where: { deletedAt: null }, select: { id: true } });
      currentCalendar.forget();
      const days = monthlyCollectionDays(await currentCalendar(), new Date().getUTCFullYear() - 1);
      for (const { id } of collections) {
        try {
          await refreshCollectionDays(Context.current().client, id, days);
        } catch (err) {
          if ((err as Error).name !== 'ScheduleNotFoundError') throw err;
        }
      }
      return collections.length;
    },

    /** This load of the year has reached the open suggestions (a later load is corrected by its own run). */
    async markCalendarYearCorrected(load: { year: number; loadedAt: string }): Promise<void> {
      await db.calendarYear.updateMany({ where: { year: load.year, loadedAt: new Date(load.loadedAt) }, data: { correctedAt: new Date() } });
    },
  };
}

/** A loaded year in the form suggestions carry; undefined if it is not loaded. */
async function officialYear(db: Database, year: number): Promise<CalendarYear | undefined> {
  const [loaded, days] = await Promise.all([db.calendarYear.findUnique({ where: { year } }), db.calendarDay.findMany({ where: { year } })]);
  if (!loaded) return undefined;
  const exceptions = days.map((d) => ({ date: d.date.toISOString().slice(0, 10), kind: d.kind as 'holiday' | 'workday' }));
  return calendarYear(year, exceptions, loaded.source, false);
}
