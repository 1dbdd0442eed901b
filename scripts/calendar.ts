import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { missingCalendarYears, scheduleExceptions } from '../domain/calendar';
import { readConfig } from '../domain/config';
import { connectDatabase } from '../prisma/client';
import { loadCalendarYear } from '../prisma/seed';
import { fail, runCommand } from './command-line';

// `npm run calendar -- <list|show|load>`: the collection office's tool for the working-day
// calendar. When the State Council publishes next year's holiday schedule, the office types it
// into a JSON file and loads it; deadlines reaching into that year can then be computed.

const usage = `usage:
  npm run calendar -- list                     the years loaded, and any year deadlines will soon need
  npm run calendar -- show <year>              that year's holidays and adjusted working days
  npm run calendar -- load <year> <file.json>  load (or replace) a year from the published schedule

file.json: { "source": "<the notice>", "holidays": [{ "date": "YYYY-MM-DD", "name": "春节" }, ...],
             "workdays": [{ "date": "YYYY-MM-DD", "name": "春节调休" }, ...] }`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [command, yearText, file] = positionals;
  const year = Number(yearText);
  if (!command || (command !== 'list' && !(Number.isInteger(year) && year >= 2000 && year <= 2200))) return fail(usage);
  const { DATABASE_URL } = readConfig(process.env);
  if (!DATABASE_URL) throw new Error('set DATABASE_URL to the database whose calendar to manage');
  const db = connectDatabase(DATABASE_URL, 1);
  try {
    switch (command) {
      case 'list': {
        const years = await db.calendarYear.findMany({ orderBy: { year: 'asc' } });
        for (const y of years) console.log(`${y.year}  ${y.source}  loaded ${y.loadedAt.toISOString()}`);
        for (const missing of missingCalendarYears(
          years.map((y) => y.year),
          new Date(),
        ))
          console.log(`${missing}  not published yet: deadlines reaching it are counted on the forecast and marked provisional until it is loaded`);
        return 0;
      }
      case 'show': {
        const days = await db.calendarDay.findMany({ where: { year }, orderBy: { date: 'asc' } });
        if (days.length === 0) return fail(`no calendar for ${year}`);
        for (const d of days) console.log(`${d.date.toISOString().slice(0, 10)}  ${d.kind.padEnd(7)}  ${d.name ?? ''}`);
        return 0;
      }
      case 'load': {
        if (!file) return fail(usage);
        const { source, exceptions } = scheduleExceptions(year, JSON.parse(readFileSync(file, 'utf8')));
        await loadCalendarYear(db, year, exceptions, source);
        console.log(
          `loaded ${year}: ${exceptions.filter((e) => e.kind === 'holiday').length} holidays on weekdays, ${exceptions.filter((e) => e.kind === 'workday').length} adjusted working days (${source})`,
        );
        console.log('the workers give it to the open suggestions within a minute: their provisional deadlines in that year are corrected');
        return 0;
      }
      default:
        return fail(usage);
    }
  } finally {
    await db.$disconnect();
  }
}

runCommand(main);
