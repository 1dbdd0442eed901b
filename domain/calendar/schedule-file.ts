import { z } from 'zod';
import type { CalendarException } from './holiday-calendar';
import { isWeekend, toDayNumber, yearOf } from './iso-date';

/**
 * One year's schedule as the collection office types it from the State Council's notice
 * (国务院办公厅关于部分节假日安排的通知): the holidays and the adjusted working days (调休).
 */
const isoDate = z.iso
  .date()
  .describe('the day, YYYY-MM-DD')
  .meta({ examples: ['2027-02-08'] });
const day = z
  .object({
    date: isoDate,
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('the holiday it belongs to')
      .meta({ examples: ['春节'] }),
  })
  .strict();
export const yearScheduleSchema = z
  .object({
    /** Where it comes from, e.g. the notice's number. */
    source: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .describe('the notice it is typed from, e.g. its number')
      .meta({ examples: ['国办发明电〔2026〕7号'] }),
    holidays: z.array(day).min(1).describe('the days off (法定节假日和调休放假日)'),
    workdays: z.array(day).describe('the weekend days worked instead (调休上班), each a Saturday or Sunday'),
  })
  .strict()
  .describe("One year's holiday schedule, from the State Council's notice")
  .meta({
    examples: [
      {
        source: '国办发明电〔2026〕7号',
        holidays: [
          { date: '2027-01-01', name: '元旦' },
          { date: '2027-02-05', name: '春节' },
          { date: '2027-02-08', name: '春节' },
          { date: '2027-02-09', name: '春节' },
          { date: '2027-02-10', name: '春节' },
          { date: '2027-02-11', name: '春节' },
        ],
        workdays: [{ date: '2027-02-14', name: '春节' }],
      },
    ],
  });
export type YearSchedule = z.infer<typeof yearScheduleSchema>;

/**
 * Checks a schedule for `year` and turns it into calendar exceptions. Holidays falling on a
 * weekend are days off anyway and are dropped; an adjusted working day must be a Saturday or
 * Sunday; no day may be both, nor listed twice; every day must be in `year`.
 */
export function scheduleExceptions(year: number, input: unknown): { source: string; exceptions: CalendarException[] } {
  const schedule = yearScheduleSchema.parse(input);
  const problems: string[] = [];
  for (const d of [...schedule.holidays, ...schedule.workdays]) {
    if (yearOf(d.date) !== year) problems.push(`${d.date} is not in ${year}`);
  }
  for (const d of schedule.workdays) {
    if (!isWeekend(toDayNumber(d.date))) problems.push(`${d.date} is a weekday: an adjusted working day (调休) is a Saturday or Sunday`);
  }
  // The database keeps one row a day: a day typed twice would be refused there, not here.
  for (const [list, what] of [
    [schedule.holidays, 'holidays'],
    [schedule.workdays, 'working days'],
  ] as const) {
    const seen = new Set<string>();
    for (const d of list) {
      if (seen.has(d.date)) problems.push(`${d.date} is listed twice among the ${what}`);
      seen.add(d.date);
    }
  }
  const holidayDates = new Set(schedule.holidays.map((d) => d.date));
  for (const d of schedule.workdays) if (holidayDates.has(d.date)) problems.push(`${d.date} is listed both as a holiday and as a working day`);
  if (problems.length) throw new Error(`the ${year} schedule is not valid:\n  ${problems.join('\n  ')}`);

  const exceptions: CalendarException[] = [
    ...schedule.holidays
      .filter((d) => !isWeekend(toDayNumber(d.date)))
      .map((d) => ({ date: d.date, kind: 'holiday' as const, ...(d.name ? { name: d.name } : {}) })),
    ...schedule.workdays.map((d) => ({ date: d.date, kind: 'workday' as const, ...(d.name ? { name: d.name } : {}) })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { source: schedule.source, exceptions };
}
