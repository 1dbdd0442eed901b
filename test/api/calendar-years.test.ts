import {
  addWorkingDays,
  buildCalendar,
  officialSchedule,
  officialYears,
  provisionalSchedule,
  shanghaiDate,
  type CalendarException,
} from '../../domain/calendar';
import { loadCalendarYear } from '../../prisma/seed';
import { watchCalendar } from '../../worker/calendar-watcher';
import { calendarStore } from '../../prisma/calendar-store';
import { collectionScheduleId } from '../../temporal-client/schedule-calendar';
import { workflowIdFor } from '../../domain/tracking-number';
import { DueAt, DueAtProvisional } from '../../workflows/search-attributes';
import { as, client } from '../support/api-client';
import { ownDatabase } from '../support/service-process';
import { eventually, startStack, type Stack } from '../support/stack';

// The working-day calendar through the API, and the correction it brings: a suggestion whose
// deadline reaches a year without a published schedule is routed at once on the forecast; the
// office loads the year (PUT /v1/calendar-years/{year}, or the CLI, which only writes PostgreSQL
// and is heard by the workers) and within a minute the suggestion's deadline, its DueAt search
// attribute and its timeline follow the official day. On a database of its own, whose calendar
// ends with this year whatever the date: next year is a forecast here.

let database: { url: string; drop(): Promise<void> };
let stack: Stack;
let office: string;
let transport: string;
let call: ReturnType<typeof client>;
const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));

beforeAll(async () => {
  database = await ownDatabase();
  // The worker reads the calendar afresh for every registration: a load is seen at once, as a worker hears of it from PostgreSQL.
  stack = await startStack({ databaseUrl: database.url, calendarTtlMs: 0 });
  await stack.db.calendarDay.deleteMany({ where: { year: { gt: thisYear } } });
  await stack.db.calendarYear.deleteMany({ where: { year: { gt: thisYear } } });
  if (!(await stack.db.calendarYear.findUnique({ where: { year: thisYear } })))
    await loadCalendarYear(stack.db, thisYear, provisionalSchedule(thisYear), 'test: this year as published');
  // Hotline answers in 260 working days here: from any day, the deadline lands in a later year.
  await stack.db.timeLimitSetting.create({ data: { step: 'respond', channel: 'hotline', category: null, amount: 260, unit: 'working_days' } });
  office = await stack.issueKey('office');
  transport = await stack.issueKey('department', 'transport');
  call = client(stack.baseUrl);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

async function hotlineSuggestion() {
  const intakeKey = await stack.issueKey('intake');
  const submitted = await call(
    'POST',
    '/v1/suggestions',
    {
      title: 'A crossing light at Guoding Road',
      content: 'Children cross four lanes to reach the school; a light would make it safe.',
      category: 'transport',
      district: 'yangpu',
      channel: 'hotline',
      publishConsent: false,
      source: { workOrder: `WO-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` },
      proposer: { name: 'Li Lei', phone: '13800000009', replyChannel: 'sms' },
    },
    as(intakeKey),
  );
  expect(submitted.status).toBe(202);
  const id: string = submitted.body.id;
  const token: string = submitted.body.trackingToken;
  const routed = await eventually(async () => {
    const r = await call('GET', `/v1/suggestions/${id}`, undefined, as(transport));
    return r.status === 200 && r.body.status === 'handling' ? r.body : undefined;
  }, 'routed to transport');
  return { id, token, routed };
}

/** The forecast of `year` with one more weekday off, the first working day of the forecast after its start that lies before `before`. */
function publishedSchedule(year: number, before: string) {
  const forecast = provisionalSchedule(year);
  let extra = '';
  for (let d = new Date(`${year}-01-02T04:00:00Z`); shanghaiDate(d) < before; d = new Date(d.getTime() + 86_400_000)) {
    const day = shanghaiDate(d);
    if (!forecast.some((e) => e.date === day) && d.getUTCDay() !== 0 && d.getUTCDay() !== 6) {
      extra = day;
      break;
    }
  }
  const holidays = [...forecast.filter((e) => e.kind === 'holiday'), { date: extra, kind: 'holiday' as const, name: '补休' }];
  const workdays = forecast.filter((e) => e.kind === 'workday');
  return {
    extra,
    body: {
      source: '国办发明电〔test〕1号',
      holidays: holidays.map(({ date, name }) => ({ date, ...(name ? { name } : {}) })),
      workdays: workdays.map(({ date, name }) => ({ date, ...(name ? { name } : {}) })),
    },
  };
}

test('the calendar years list the loaded years and the forecast ones, and a year reads back as loaded or as forecast', async () => {
  const list = await call('GET', '/v1/calendar-years', undefined, as(office));
  expect(list.status).toBe(200);
  const years = list.body.items as { year: number; official: boolean; source: string }[];
  expect(years.find((y) => y.year === thisYear)).toMatchObject({ official: true });
  expect(years.find((y) => y.year === thisYear + 1)).toMatchObject({ official: false, source: 'forecast' });
  const next = await call('GET', `/v1/calendar-years/${thisYear + 1}`, undefined, as(transport));
  expect(next.status).toBe(200);
  expect(next.body).toMatchObject({ year: thisYear + 1, official: false });
  expect(next.body.holidays.map((d: CalendarException) => d.date)).toEqual(
    provisionalSchedule(thisYear + 1)
      .filter((e) => e.kind === 'holiday')
      .map((e) => e.date),
  );
  if (officialYears().includes(2025))
    expect((await call('GET', '/v1/calendar-years/2025', undefined, as(office))).body.holidays.length).toBe(
      officialSchedule(2025).filter((e) => e.kind === 'holiday').length,
    );
  expect((await call('GET', '/v1/calendar-years/2199', undefined, as(office))).status).toBe(404);
});

test('a schedule that does not fit its year is refused with what is wrong, and nothing is loaded', async () => {
  const year = thisYear + 2;
  const wrong = await call(
    'PUT',
    `/v1/calendar-years/${year}`,
    { source: 'a typo', holidays: [{ date: `${year + 1}-01-01` }], workdays: [{ date: `${year}-03-04` }] },
    as(office),
  );
  expect(wrong.status).toBe(422);
  expect(wrong.body.detail).toMatch(new RegExp(`${year + 1}-01-01 is not in ${year}`));
  expect((await call('PUT', `/v1/calendar-years/${year}`, { holidays: [] }, as(office))).status).toBe(400);
  expect((await call('PUT', `/v1/calendar-years/${year}`, { source: 'x', holidays: [{ date: `${year}-01-01` }], workdays: [] }, as(transport))).status).toBe(
    403,
  );
  expect(await stack.db.calendarYear.findUnique({ where: { year } })).toBeNull();
});

test("loading next year's schedule through the API corrects an open suggestion's provisional deadline within a minute: the view, DueAt and the timeline", async () => {
  const { id, token, routed } = await hotlineSuggestion();
  expect(routed.dueAtProvisional).toBe(true);
  const dueYear = Number(shanghaiDate(new Date(routed.dueAt)).slice(0, 4));
  expect(dueYear).toBeGreaterThan(thisYear);
  // Lists, the proposer's tracking and the status page say so too.
  const listed = await call('GET', `/v1/departments/transport/inbox`, undefined, as(transport));
  expect(listed.body.items.find((i: { id: string }) => i.id === id)).toMatchObject({ dueAtProvisional: true });
  expect((await call('GET', `/v1/suggestions/${id}/tracking`, undefined, { 'x-tracking-token': token })).body).toMatchObject({
    dueAt: routed.dueAt,
    dueAtProvisional: true,
  });
  const page = await call('POST', '/status?lang=en', `trackingNumber=${id}&token=${encodeURIComponent(token)}`, {
    'content-type': 'application/x-www-form-urlencoded',
    'sec-fetch-site': 'same-origin',
  });
  expect(page.status).toBe(200);
  expect(page.body).toContain('counted on the forecast of a holiday schedule not yet published');
  const handle = stack.temporal.workflow.getHandle(workflowIdFor(id));
  await eventually(async () => (await handle.describe()).typedSearchAttributes.get(DueAtProvisional) === true, 'DueAtProvisional = true');

  // Years up to the deadline's are published, the deadline's with a day off the forecast lacked.
  for (let year = thisYear + 1; year < dueYear; year++)
    expect(
      (
        await call(
          'PUT',
          `/v1/calendar-years/${year}`,
          {
            source: 'test',
            holidays: provisionalSchedule(year)
              .filter((e) => e.kind === 'holiday')
              .map(({ date }) => ({ date })),
            workdays: provisionalSchedule(year)
              .filter((e) => e.kind === 'workday')
              .map(({ date }) => ({ date })),
          },
          as(office),
        )
      ).status,
    ).toBe(200);
  const { body } = publishedSchedule(dueYear, shanghaiDate(new Date(routed.dueAt)));
  const startedAt = Date.now();
  const loaded = await call('PUT', `/v1/calendar-years/${dueYear}`, body, as(office));
  expect(loaded.status).toBe(200);
  expect(loaded.body).toMatchObject({ year: dueYear, official: true, source: body.source });

  const corrected = await eventually(
    async () => {
      const r = await call('GET', `/v1/suggestions/${id}`, undefined, as(transport));
      return r.body.dueAtProvisional === false && r.body.dueAt !== routed.dueAt ? r.body : undefined;
    },
    'the corrected deadline',
    60_000,
  );
  expect(Date.now() - startedAt).toBeLessThan(60_000);
  const officialCal = buildCalendar(
    [thisYear, ...Array.from({ length: dueYear - thisYear }, (_, i) => thisYear + 1 + i)],
    [...(await stack.db.calendarDay.findMany()).map((d) => ({ date: d.date.toISOString().slice(0, 10), kind: d.kind as 'holiday' | 'workday' }))],
  );
  expect(corrected.dueAt).toBe(addWorkingDays(officialCal, new Date(corrected.receivedAt), 260).toISOString());
  expect(shanghaiDate(new Date(corrected.dueAt)) > shanghaiDate(new Date(routed.dueAt))).toBe(true);
  expect((await call('GET', `/v1/suggestions/${id}/tracking`, undefined, { 'x-tracking-token': token })).body).not.toHaveProperty('dueAtProvisional');
  const event = corrected.timeline.find(
    (e: { type: string; detail?: { deadline?: string } }) => e.type === 'deadline_corrected' && e.detail?.deadline === 'response',
  );
  expect(event.detail).toMatchObject({ from: routed.dueAt, to: corrected.dueAt, year: dueYear });
  await eventually(async () => {
    const attributes = (await handle.describe()).typedSearchAttributes;
    return attributes.get(DueAt)?.toISOString() === corrected.dueAt && attributes.get(DueAtProvisional) === false;
  }, 'DueAt on the official day');
});

test('a year loaded with the CLI (PostgreSQL only) reaches the open suggestions through the worker that hears of it, and the monthly collections list its first working days', async () => {
  const collection = await call(
    'POST',
    '/v1/collections',
    {
      id: `monthly-${Date.now()}`,
      title: 'Wujiaochang monthly problem list',
      description: 'Problems of the month, gathered on the first working day.',
      topics: ['lifts'],
      leadDepartment: 'yangpu-wujiaochang',
      jointDepartments: [],
      districts: ['yangpu'],
      categories: ['housing'],
      roundWorkingDays: 5,
    },
    as(office),
  );
  expect(collection.status).toBe(201);
  // Twice as long: past the years the test before loaded.
  const lastLoaded = (await stack.db.calendarYear.findFirstOrThrow({ orderBy: { year: 'desc' } })).year;
  await stack.db.timeLimitSetting.updateMany({ where: { step: 'respond', channel: 'hotline' }, data: { amount: 520 } });
  const { id, routed } = await hotlineSuggestion();
  const dueYear = Number(shanghaiDate(new Date(routed.dueAt)).slice(0, 4));
  expect(routed.dueAtProvisional).toBe(true);
  for (let year = lastLoaded + 1; year < dueYear; year++) await loadCalendarYear(stack.db, year, provisionalSchedule(year), 'test');
  const watcher = watchCalendar({
    db: stack.db,
    databaseUrl: database.url,
    temporal: stack.temporal,
    taskQueue: stack.taskQueue,
    calendar: calendarStore(stack.db),
    onError: () => undefined,
  });
  await watcher.listening;
  try {
    // As `npm run calendar -- load` does: rows only.
    const { body } = publishedSchedule(dueYear, shanghaiDate(new Date(routed.dueAt)));
    const days = [...body.holidays.map((d) => ({ ...d, kind: 'holiday' as const })), ...body.workdays.map((d) => ({ ...d, kind: 'workday' as const }))];
    await loadCalendarYear(
      stack.db,
      dueYear,
      days.filter((d) => new Date(`${d.date}T04:00:00Z`).getUTCDay() % 6 !== 0 || d.kind === 'workday'),
      'the CLI, from the notice',
    );
    const corrected = await eventually(
      async () => {
        const r = await call('GET', `/v1/suggestions/${id}`, undefined, as(transport));
        // The years before it were loaded as rows too, before the watcher listened: it hears of
        // them on its first look, maybe after this one, and the deadline is firm once all are in.
        return r.body.timeline.some((e: { type: string; detail?: { year?: number } }) => e.type === 'deadline_corrected' && e.detail?.year === dueYear) &&
          r.body.dueAtProvisional === false
          ? r.body
          : undefined;
      },
      'the correction, with every year it counts through published',
      60_000,
    );
    expect(corrected.dueAtProvisional).toBe(false);
    const schedule = await stack.temporal.schedule.getHandle(collectionScheduleId(collection.body.id)).describe();
    const listed = (schedule.spec.calendars ?? []).filter((c) =>
      (c.year ?? []).some((range) => range.start <= dueYear && (range.end ?? range.start) >= dueYear),
    );
    expect(listed.length).toBeGreaterThan(0);
  } finally {
    await watcher.stop();
  }
});
