import { aggregate, computeStatistics, countedOn, type StatisticsRequest, type StatisticsRow } from '../../api/statistics';
import { buildCalendar, officialSchedule, provisionalSchedule, type HolidayCalendar } from '../../domain/calendar';
import { calendarStore } from '../../prisma/calendar-store';
import { connectDatabase, type Database } from '../../prisma/client';
import { apiClient, shelterPlan } from '../support/feedback-api';
import { ownDatabase } from '../support/service-process';
import { startStack, type Stack } from '../support/stack';

// /v1/statistics reads a summary by day that a trigger on `suggestions` keeps
// (prisma/migrations/*_statistics_by_day). Whatever happens to the suggestions (registered,
// routed, decided, replied, rated, returned, re-handled, reassigned, merged, deleted), the figures
// from the summary and the timeline's returns and re-handlings are those `aggregate` computes
// from the suggestions and their timelines themselves, and a rebuild changes nothing.

let database: { url: string; drop(): Promise<void> };
let db: Database;
beforeAll(async () => {
  database = await ownDatabase();
  db = connectDatabase(database.url, 2);
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

// 2025 official, 2026 forecast, 2024 unknown: handling times through 2024 are left out of the average.
const calendar = buildCalendar([2025], [...officialSchedule(2025), ...provisionalSchedule(2026)], [2026]);

/** A small deterministic generator of pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
/** Streets of each district the suggestions name (or none). */
const streetsOf = { yangpu: ['310110019', '310110012', null], pudong: ['310115005', null] } as const;

async function figuresFromRows(request: StatisticsRequest, cal: HolidayCalendar = calendar, from: Database = db) {
  const found = await from.suggestion.findMany({
    select: {
      id: true,
      leadDepartment: true,
      district: true,
      street: true,
      category: true,
      campaignId: true,
      receivedAt: true,
      decidedAt: true,
      dueAt: true,
      outcome: true,
      overdue: true,
      mergedInto: true,
      repliedAt: true,
      feedback: true,
    },
  });
  // The timeline's returns and re-handlings, as main's statistics read them from every event of the suggestions.
  const events = await from.suggestionEvent.findMany({
    where: { type: { in: ['returned', 'rehandling_opened'] } },
    orderBy: { seq: 'asc' },
    select: { suggestionId: true, type: true, detail: true },
  });
  const rows = found.map((row) => {
    const own = events.filter((e) => e.suggestionId === row.id);
    const returnedBy = own.filter((e) => e.type === 'returned').flatMap((e) => (e.detail as { department?: string }).department ?? []);
    return { ...row, returnedBy, rehandled: own.some((e) => e.type === 'rehandling_opened') };
  });
  const ratings = new Map<string, string>();
  for (const row of rows) {
    const rating = (row.feedback as { satisfaction?: { ratings?: { rating: string }[] } } | null)?.satisfaction?.ratings?.at(-1)?.rating;
    if (rating) ratings.set(row.id, rating);
  }
  const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const inRange = rows.filter(
    (r) =>
      (!request.from || day(r.receivedAt) >= request.from) &&
      (!request.to || day(r.receivedAt) <= request.to) &&
      (!request.department || r.leadDepartment === request.department) &&
      (!request.district || r.district === request.district) &&
      (!request.street || r.street === request.street),
  );
  return aggregate(inRange as StatisticsRow[], ratings, cal, request);
}

const requests: StatisticsRequest[] = [
  { groupBy: 'department', period: 'month' },
  { groupBy: 'period', period: 'month' },
  { groupBy: 'period', period: 'quarter', from: '2025-03-01', to: '2025-11-30' },
  { groupBy: 'campaign', period: 'year', department: 'transport' },
  { groupBy: 'district', period: 'year' },
  // Periods that cut months, read partly from the summary by day.
  { groupBy: 'department', period: 'month', from: '2025-03-15', to: '2026-02-10' },
  { groupBy: 'period', period: 'month', from: '2025-05-03', to: '2025-05-20' },
  { groupBy: 'category', period: 'year', from: '2025-12-31' },
  { groupBy: 'period', period: 'quarter', to: '2025-06-17' },
  // Streets, counted from the suggestions by the summary's rule: a district's by street, one street's.
  { groupBy: 'street', period: 'year', district: 'yangpu' },
  { groupBy: 'street', period: 'year', from: '2025-03-15', to: '2026-02-10' },
  { groupBy: 'department', period: 'month', street: '310110019' },
];

test('the summary the trigger keeps gives the figures computed from the suggestions, through every kind of change', async () => {
  const r = random(7);
  const departments = ['transport', 'housing', 'health', null];
  const ratings = ['satisfied', 'basically_satisfied', 'dissatisfied'];
  const ids: string[] = [];
  const at = (base: number, days: number) => new Date(base + days * 86_400_000);
  for (let i = 0; i < 300; i++) {
    const id = `JY-T-${String(i).padStart(4, '0')}`;
    // Received from late 2024 (no calendar: left out of the average) to late 2026, at any hour (the Shanghai day matters).
    const received = at(Date.UTC(2024, 11, 20), r() * 700 + r());
    const decided = r() < 0.7 ? at(received.getTime(), r() * 40) : null;
    const district = pick(r, ['pudong', 'yangpu'] as const);
    await db.$executeRaw`
      INSERT INTO suggestions (id, tracking_number, workflow_id, channel, category, district, street, title, content, status, lead_department, campaign_id, received_at, due_at, overdue, decided_at, outcome, feedback, created_at, updated_at)
      VALUES (${id}, ${id}, ${`suggestion-${id}`}, 'web', ${pick(r, ['transport', 'housing'])}, ${district}, ${pick(r, streetsOf[district])}, 't', 'c', ${decided ? 'replied' : 'handling'},
        ${pick(r, departments)}, ${r() < 0.2 ? 'CAMP-1' : null}, ${received}, ${r() < 0.9 ? at(received.getTime(), 30) : null}, ${!decided && r() < 0.3}, ${decided},
        ${decided ? pick(r, ['adopted', 'partially_adopted', 'for_reference', 'not_adopted']) : null},
        ${decided && r() < 0.6 ? JSON.stringify({ satisfaction: { ratings: [{ round: 1, rating: pick(r, ratings) }] } }) : null}::jsonb, now(), now())`;
    ids.push(id);
  }
  // The changes projections make: decisions (again), ratings added, reassignment, deadlines moved, merges undone, overdue flags.
  for (let i = 0; i < 600; i++) {
    const id = pick(r, ids);
    const change = Math.floor(r() * 10);
    if (change === 0)
      await db.$executeRaw`UPDATE suggestions SET decided_at = coalesce(decided_at, received_at) + interval '3 days', outcome = ${pick(r, ['adopted', 'not_adopted'])} WHERE id = ${id}`;
    if (change === 1)
      await db.$executeRaw`UPDATE suggestions SET feedback = jsonb_build_object('satisfaction', jsonb_build_object('ratings', coalesce(feedback #> '{satisfaction,ratings}', '[]') || jsonb_build_array(jsonb_build_object('round', 2, 'rating', ${pick(r, ratings)}::text)))) WHERE id = ${id}`;
    if (change === 2) await db.$executeRaw`UPDATE suggestions SET lead_department = ${pick(r, departments)} WHERE id = ${id}`;
    if (change === 3) await db.$executeRaw`UPDATE suggestions SET due_at = received_at + ${Math.floor(r() * 40)} * interval '1 day' WHERE id = ${id}`;
    if (change === 4) await db.$executeRaw`UPDATE suggestions SET merged_into = CASE WHEN merged_into IS NULL THEN ${pick(r, ids)} END WHERE id = ${id}`;
    if (change === 5) await db.$executeRaw`UPDATE suggestions SET overdue = NOT overdue, version = version + 1 WHERE id = ${id}`;
    // A change the figures do not count (a reminder): the trigger does not run, nothing moves.
    if (change === 6) await db.$executeRaw`UPDATE suggestions SET handling = '{"remindersSent": ["x"]}', version = version + 1 WHERE id = ${id}`;
    // Replied to the proposer (or the reply withdrawn), returned by a department, re-handled: the timeline's events beside the trigger's columns.
    if (change === 7)
      await db.$executeRaw`UPDATE suggestions SET replied_at = CASE WHEN replied_at IS NULL THEN coalesce(decided_at, received_at) + interval '1 day' END WHERE id = ${id}`;
    if (change === 8 || change === 9) {
      const type = change === 8 ? 'returned' : 'rehandling_opened';
      const detail = change === 8 ? JSON.stringify({ department: pick(r, ['transport', 'housing', 'health']) }) : '{}';
      await db.$executeRaw`
        INSERT INTO suggestion_events (suggestion_id, seq, type, actor, at, detail)
        SELECT ${id}, coalesce(max(seq), 0) + 1, ${type}, 'test', now(), ${detail}::jsonb FROM suggestion_events WHERE suggestion_id = ${id}`;
    }
  }
  await db.$executeRaw`DELETE FROM suggestions WHERE id IN (${ids[0]}, ${ids[1]})`;

  // The working-day count the trigger used was the migration's empty one: counted on this calendar, the summary is rebuilt.
  await countedOn(db, calendar);
  for (const request of requests) expect(await computeStatistics(db, async () => calendar, request)).toEqual(await figuresFromRows(request));
  // Changes after the rebuild are counted by the trigger on the calendar it was rebuilt on.
  for (const id of ids.slice(10, 40))
    await db.$executeRaw`UPDATE suggestions SET decided_at = received_at + interval '9 days', outcome = 'adopted', merged_into = NULL WHERE id = ${id}`;
  for (const request of requests) expect(await computeStatistics(db, async () => calendar, request)).toEqual(await figuresFromRows(request));
  // The summary by month is the sum of the summary by day, through every change.
  expect(await db.$queryRaw<unknown[]>`SELECT * FROM statistics_months WHERE proposers <> 0 OR received <> 0 ORDER BY 1, 2, 3, 4, 5`).toEqual(
    await db.$queryRaw<unknown[]>`
      SELECT date_trunc('month', day)::date AS month, lead_department, district, category, campaign_id, sum(proposers)::int AS proposers, sum(received)::int AS received,
        sum(decided)::int AS decided, sum(adopted)::int AS adopted, sum(on_time)::int AS on_time, sum(late)::int AS late, sum(handled)::int AS handled,
        sum(handling_days)::int AS handling_days, sum(rated)::int AS rated, sum(satisfied)::int AS satisfied, sum(overdue_undecided)::int AS overdue_undecided,
        sum(routed)::int AS routed, sum(replied)::int AS replied
      FROM statistics_days GROUP BY 1, 2, 3, 4, 5 HAVING sum(proposers) <> 0 OR sum(received) <> 0 ORDER BY 1, 2, 3, 4, 5`,
  );
  const summary = await db.$queryRaw<unknown[]>`SELECT * FROM statistics_days ORDER BY 1, 2, 3, 4, 5`;
  const months = await db.$queryRaw<unknown[]>`SELECT * FROM statistics_months ORDER BY 1, 2, 3, 4, 5`;
  await countedOn(db, calendar, { force: true });
  expect(await db.$queryRaw<unknown[]>`SELECT * FROM statistics_days ORDER BY 1, 2, 3, 4, 5`).toEqual(summary);
  expect(await db.$queryRaw<unknown[]>`SELECT * FROM statistics_months ORDER BY 1, 2, 3, 4, 5`).toEqual(months);
}, 120_000);

test('another calendar counts the handling times again', async () => {
  // 2026 counted with no holidays at all: Spring Festival and National Day become working days.
  const other = buildCalendar([2025, 2026], officialSchedule(2025));
  const before = await computeStatistics(db, async () => calendar, { groupBy: 'period', period: 'year' });
  // A summary rebuilt in the last two minutes is taken as it is (another replica's calendar may be a minute newer).
  await db.$executeRaw`UPDATE statistics_state SET rebuilt_at = now() - interval '1 hour'`;
  const after = await computeStatistics(db, async () => other, { groupBy: 'period', period: 'year' });
  // The same suggestions, their 2026 handling times counted anew: as computed from the rows on the other calendar.
  expect(after.map((g) => g.received)).toEqual(before.map((g) => g.received));
  expect(after).toEqual(await figuresFromRows({ groupBy: 'period', period: 'year' }, other));
  expect(after.find((g) => g.key === '2026')!.averageHandlingWorkingDays).not.toEqual(before.find((g) => g.key === '2026')!.averageHandlingWorkingDays);
  const [state] = await db.$queryRaw<{ rebuilt_at: Date }[]>`SELECT rebuilt_at FROM statistics_state`;
  expect(state.rebuilt_at).toBeInstanceOf(Date);
}, 60_000);

test('after real lifecycles through the API and the worker, the summary is what counting the suggestions themselves gives', async () => {
  // A database of its own: the figures are of every suggestion in it.
  const own = await ownDatabase();
  let stack: Stack | undefined;
  try {
    stack = await startStack({ databaseUrl: own.url });
    const { call, submitRouted, projected, as, withToken } = apiClient(() => stack!);
    const transport = await stack.issueKey('department', 'transport');
    const suggestion = (title: string) => ({
      title,
      content: 'Passengers wait in the rain at the stop; a shelter would help.',
      category: 'transport',
      district: 'yangpu',
      channel: 'web',
      proposer: { name: 'Zhao Lei', phone: '13700000003', replyChannel: 'sms' },
      publishConsent: true,
    });
    // The summary counted on the calendar first (the empty database's): from here on only the trigger moves it.
    const cal = await calendarStore(stack.db)();
    await countedOn(stack.db, cal);
    const [{ rebuilt_at: rebuilt }] = await stack.db.$queryRaw<{ rebuilt_at: Date }[]>`SELECT rebuilt_at FROM statistics_state`;
    // Adopted with a plan, then rated; not adopted, then rated; one still in handling.
    const adopted = await submitRouted(suggestion('A shelter at the Guoding Road stop'));
    const refused = await submitRouted(suggestion('A second shelter at the same stop'));
    await submitRouted(suggestion('A bench at the Guoding Road stop'));
    expect(
      (
        await call(
          'POST',
          `/v1/suggestions/${adopted.id}/decision`,
          { outcome: 'adopted', reply: 'A shelter will be built.', plan: shelterPlan },
          as(transport),
        )
      ).status,
    ).toBe(200);
    expect(
      (await call('POST', `/v1/suggestions/${refused.id}/decision`, { outcome: 'not_adopted', reason: 'One is enough.', reply: 'No.' }, as(transport))).status,
    ).toBe(200);
    await projected(adopted.id, (r) => r.status === 'implementing', 'the plan to start');
    await projected(refused.id, (r) => r.status === 'replied', 'the reply');
    expect((await call('POST', `/v1/suggestions/${adopted.id}/rating`, { rating: 'satisfied' }, withToken(adopted.token))).status).toBe(200);
    expect((await call('POST', `/v1/suggestions/${refused.id}/rating`, { rating: 'basically_satisfied' }, withToken(refused.token))).status).toBe(200);
    const rated = (r: { feedback: unknown }) => ((r.feedback as { satisfaction?: { ratings?: unknown[] } } | null)?.satisfaction?.ratings?.length ?? 0) > 0;
    await projected(adopted.id, rated, 'the rating');
    await projected(refused.id, rated, 'the rating');

    // The summary, kept by the trigger as the projections wrote each change, against the suggestions counted.
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const request of [...requests, { groupBy: 'department', period: 'month', from: day, to: day } as StatisticsRequest]) {
      expect(await computeStatistics(stack.db, async () => cal, request)).toEqual(await figuresFromRows(request, cal, stack.db));
    }
    const [figures] = await computeStatistics(stack.db, async () => cal, { groupBy: 'department', period: 'month' });
    expect(figures).toMatchObject({ key: 'transport', received: 3, decided: 2, adopted: 1, rated: 2, satisfactionRate: 1 });
    // Never rebuilt meanwhile: the figures are the trigger's.
    expect(await stack.db.$queryRaw<{ rebuilt_at: Date }[]>`SELECT rebuilt_at FROM statistics_state`).toEqual([{ rebuilt_at: rebuilt }]);
  } finally {
    await stack?.stop();
    await own.drop();
  }
}, 180_000);

test('a calendar whose known years lie far apart still counts: the working-day count through nine unknown years passes 2^31', async () => {
  // 2015 and 2025 known, the nine years between not: each of their days adds 1,000,000 to the running count.
  const far = buildCalendar([2015, 2025], officialSchedule(2025));
  await db.$executeRaw`UPDATE statistics_state SET rebuilt_at = now() - interval '1 hour'`;
  // Up to the calendar's last year (after it, the two count differently: a question for the calendar, not for this count).
  const request: StatisticsRequest = { groupBy: 'period', period: 'year', to: '2025-12-31' };
  const figures = await computeStatistics(db, async () => far, request);
  expect(figures.map((f) => f.key)).toEqual(['2024', '2025']);
  expect(figures).toEqual(await figuresFromRows(request, far));
  const [{ max }] = await db.$queryRaw<{ max: bigint }[]>`SELECT max(ordinal) AS max FROM statistics_working_days`;
  expect(Number(max)).toBeGreaterThan(2 ** 31);
});
