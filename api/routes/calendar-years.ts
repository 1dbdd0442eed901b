import { Router } from 'express';
import { z } from 'zod';
import { provisionalSchedule, scheduleExceptions, shanghaiDate, yearOf, yearScheduleSchema, type CalendarException } from '../../domain/calendar';
import { loadCalendarYear } from '../../prisma/seed';
import { startCalendarYearCorrection } from '../../temporal-client/calendar-year';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';

// The working-day calendar (法定节假日与调休): the years whose State Council schedule is loaded,
// and the forecast years deadlines are counted on until it is. The office loads a year when the
// notice is published, here or with `npm run calendar -- load`; every open suggestion is then given
// it and its provisional deadlines are corrected (workflows/calendar-year-workflow.ts).

/** Years ahead of this one that a deadline may reach, shown with their forecast when not loaded. */
const forecastYearsAhead = 5;

const yearParams = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2200)
    .describe('a calendar year, e.g. 2027')
    .meta({ examples: [2027] }),
});
const day = z.object({ date: z.string().describe('YYYY-MM-DD, Asia/Shanghai'), name: z.string().optional().describe('the holiday it belongs to, e.g. 春节') });
const yearSummary = z.object({
  year: z.number().int().describe('the year'),
  official: z
    .boolean()
    .describe('true: the State Council schedule is loaded; false: deadlines reaching this year are counted on the forecast and marked provisional'),
  source: z.string().describe("the notice it was typed from, or 'forecast'"),
  loadedAt: z.string().nullable().describe('when it was loaded (ISO 8601, UTC); null: a forecast'),
  correctedAt: z.string().nullable().describe('when the open suggestions were given this load of the year (null: not yet, or a forecast)'),
});
const yearDetail = yearSummary
  .extend({
    holidays: z.array(day).describe('weekdays off (holidays on a weekend are days off anyway and are not listed)'),
    workdays: z.array(day).describe('weekend days worked (调休)'),
  })
  .describe("A year's working-day calendar")
  .meta({
    examples: [
      {
        year: 2027,
        official: true,
        source: '国办发明电〔2026〕7号',
        loadedAt: '2026-11-12T02:00:00.000Z',
        correctedAt: '2026-11-12T02:00:05.000Z',
        holidays: [
          { date: '2027-01-01', name: '元旦' },
          { date: '2027-02-05', name: '春节' },
        ],
        workdays: [{ date: '2027-02-14', name: '春节' }],
      },
    ],
  });

export function calendarYearRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/calendar-years',
      summary: 'The years of the working-day calendar: loaded from the State Council schedule, or forecast until it is published',
      tag: 'time limits',
      access: ['intake', 'office', 'department', 'supervisor', 'admin'],
      responses: { 200: { description: 'Every loaded year, then the forecast years ahead', schema: z.object({ items: z.array(yearSummary) }) } },
    },
    async ({ res }) => {
      const loaded = await ctx.db.calendarYear.findMany({ orderBy: { year: 'asc' } });
      const thisYear = yearOf(shanghaiDate(new Date()));
      const forecast = Array.from({ length: forecastYearsAhead + 1 }, (_, i) => thisYear + i).filter((y) => !loaded.some((l) => l.year === y));
      res.json({ items: [...loaded.map(summaryOf), ...forecast.map(forecastSummary)] });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/calendar-years/:year',
      summary: "One year's holidays and adjusted working days, as loaded or as forecast",
      tag: 'time limits',
      access: ['intake', 'office', 'department', 'supervisor', 'admin'],
      params: yearParams,
      responses: {
        200: { description: 'The year', schema: yearDetail },
        404: { description: 'Neither loaded nor within the forecast years', schema: problemDocument },
      },
    },
    async ({ params, res }) => {
      res.json(await yearOfCalendar(ctx, params.year));
    },
  );

  registry.add(
    router,
    {
      method: 'put',
      path: '/v1/calendar-years/:year',
      summary: "Loads (or replaces) a year from the State Council's published schedule; open suggestions' provisional deadlines are corrected within a minute",
      tag: 'time limits',
      access: ['office', 'admin'],
      params: yearParams,
      body: yearScheduleSchema,
      responses: {
        200: { description: 'Loaded; the open suggestions are being given it', schema: yearDetail },
        422: { description: 'A day outside the year, a weekday as an adjusted working day, or a day listed twice', schema: problemDocument },
      },
    },
    async ({ params, body, res }) => {
      let schedule: { source: string; exceptions: CalendarException[] };
      try {
        schedule = scheduleExceptions(params.year, body);
      } catch (err) {
        throw new Problem(422, 'invalid-schedule', 'Invalid schedule', (err as Error).message);
      }
      const loadedAt = await loadCalendarYear(ctx.db, params.year, schedule.exceptions, schedule.source);
      ctx.forecast?.forget();
      // The workers start it too when they hear of the load; whoever is first runs it.
      await startCalendarYearCorrection(ctx.temporal, ctx.taskQueue, params.year, loadedAt).catch((err) =>
        ctx.logger?.warn({ err }, 'the calendar year is loaded; the workers give it to the open suggestions'),
      );
      res.json(await yearOfCalendar(ctx, params.year));
    },
  );

  return router;
}

type YearRow = { year: number; source: string; loadedAt: Date; correctedAt: Date | null };
const summaryOf = (y: YearRow) => ({
  year: y.year,
  official: true,
  source: y.source,
  loadedAt: y.loadedAt.toISOString(),
  correctedAt: y.correctedAt?.toISOString() ?? null,
});
const forecastSummary = (year: number) => ({ year, official: false, source: 'forecast', loadedAt: null, correctedAt: null });

async function yearOfCalendar(ctx: ApiContext, year: number): Promise<z.infer<typeof yearDetail>> {
  const loaded = await ctx.db.calendarYear.findUnique({ where: { year } });
  const split = (days: { date: string; kind: string; name?: string | null }[]) => ({
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => ({ date: d.date, ...(d.name ? { name: d.name } : {}) })),
    workdays: days.filter((d) => d.kind === 'workday').map((d) => ({ date: d.date, ...(d.name ? { name: d.name } : {}) })),
  });
  if (loaded) {
    const days = await ctx.db.calendarDay.findMany({ where: { year }, orderBy: { date: 'asc' } });
    return { ...summaryOf(loaded), ...split(days.map((d) => ({ date: d.date.toISOString().slice(0, 10), kind: d.kind, name: d.name }))) };
  }
  const thisYear = yearOf(shanghaiDate(new Date()));
  if (year < thisYear || year > thisYear + forecastYearsAhead)
    throw new Problem(404, 'not-found', 'Not found', `no calendar for ${year}: it is not loaded and not among the forecast years`);
  return { ...forecastSummary(year), ...split(provisionalSchedule(year)) };
}
