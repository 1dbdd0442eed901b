import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { addWorkingDays } from '../../domain/calendar';
import { calendarStore } from '../../prisma/calendar-store';
import { connectDatabase, type Database } from '../../prisma/client';

// The office loads a newly published year with `npm run calendar` against the real PostgreSQL;
// deadlines reaching into that year can then be computed. A far-future year keeps the shared
// test database's real years untouched.

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const year = 2099;
const dir = mkdtempSync(join(tmpdir(), 'calendar-cli-'));
let db: Database;

beforeAll(() => {
  db = connectDatabase(process.env.DATABASE_URL!, 1);
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

function calendar(...args: string[]) {
  return run(process.execPath, [require.resolve('tsx/cli'), 'scripts/calendar.ts', ...args], { cwd: root, env: process.env });
}

test('a year loaded from the published schedule is used for working-day deadlines', async () => {
  // 2099-10-01 is a Thursday; Saturday the 10th is made a working day.
  const file = join(dir, `${year}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      source: 'notice for 2099',
      holidays: ['01', '02', '05', '06', '07'].map((d) => ({ date: `${year}-10-${d}`, name: '国庆节' })).concat([{ date: `${year}-01-01`, name: '元旦' }]),
      workdays: [{ date: `${year}-10-10`, name: '国庆节调休' }],
    }),
  );

  await expect(calendar('show', String(year))).rejects.toMatchObject({ code: 2 });
  const loaded = await calendar('load', String(year), file);
  expect(loaded.stdout).toContain(`loaded ${year}: 6 holidays on weekdays, 1 adjusted working days (notice for 2099)`);
  expect((await calendar('show', String(year))).stdout).toContain(`${year}-10-10  workday  国庆节调休`);
  expect((await calendar('list')).stdout).toMatch(new RegExp(`^${year}  notice for 2099`, 'm'));

  const working = await calendarStore(db, 0)();
  // Received Wednesday 30 September: the next working days are Thursday 8, Friday 9 and Saturday 10 October.
  // Received at noon Shanghai time on Wednesday 30 September; due at the end of Saturday 10 October.
  expect(addWorkingDays(working, new Date(`${year}-09-30T04:00:00Z`), 3).toISOString()).toBe(`${year}-10-10T15:59:59.999Z`);
});

test('a schedule with mistakes is refused and nothing is loaded', async () => {
  const file = join(dir, 'wrong.json');
  writeFileSync(file, JSON.stringify({ source: 'typo', holidays: [{ date: '2098-10-01' }], workdays: [{ date: '2098-10-08' }] }));
  const refused = calendar('load', '2098', file);
  await expect(refused).rejects.toMatchObject({ code: 1 });
  await expect(refused.catch((e) => e.stderr)).resolves.toMatch(/2098-10-08 is a weekday/);
  expect(await db.calendarYear.findUnique({ where: { year: 2098 } })).toBeNull();
});
