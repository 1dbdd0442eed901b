import { createHash } from 'node:crypto';
import { isWorkingDay, shanghaiDate, workingDaysBetween, yearOf, type HolidayCalendar } from '../domain/calendar';
import { fromDayNumber, toDayNumber } from '../domain/calendar/iso-date';
import type { Outcome } from '../domain/vocabulary';
import { Prisma, type Database } from '../prisma/client';

// The figures the collection office reports and the public board shows (征集工作统计).

/** Street (街镇) figures roll up to the district's and the city's: the same suggestions, grouped by the street of their place. */
export const groupings = ['department', 'district', 'street', 'category', 'campaign', 'period'] as const;
export type Grouping = (typeof groupings)[number];
export const periods = ['month', 'quarter', 'year'] as const;
export type Period = (typeof periods)[number];

export interface StatisticsRequest {
  groupBy: Grouping;
  period: Period;
  /** Shanghai dates, inclusive. */
  from?: string;
  to?: string;
  department?: string;
  district?: string;
  /** The street or town (街镇) of the matter's place, by its statistics code. */
  street?: string;
  category?: string;
  campaignId?: string;
}

export interface Figures {
  key: string | null;
  /** Matters received: suggestions merged into another (合并办理) are counted with it, once. */
  received: number;
  /** People who raised them: every proposer, merged ones included. */
  proposers: number;
  decided: number;
  /** Adopted in full or in part (采纳, 部分采纳). */
  adopted: number;
  adoptionRate: number | null;
  /** Of the suggestions decided or overdue: the share decided by the deadline. */
  onTimeRate: number | null;
  averageHandlingWorkingDays: number | null;
  rated: number;
  /** Share of ratings that were satisfied or basically satisfied (满意, 基本满意). */
  satisfactionRate: number | null;
  /** Answered (decided), late or not: of the suggestions answered or past their deadline, the share answered (响应率). */
  responseRate: number | null;
  /** Suggestions that reached a department (routed by a rule or by hand, returned ones included). */
  routed: number;
  /** Of those, returned by the department at least once (退回); grouped by department, by the department that returned it. */
  returned: number;
  returnRate: number | null;
  /** Replied to the proposer (答复). */
  replied: number;
  /** Of those, handled again after the proposer was dissatisfied (重办). */
  rehandled: number;
  rehandlingRate: number | null;
}

const adoptedOutcomes: readonly Outcome[] = ['adopted', 'partially_adopted'];
const satisfiedRatings = ['satisfied', 'basically_satisfied'];

interface Tally {
  received: number;
  proposers: number;
  decided: number;
  adopted: number;
  onTime: number;
  late: number;
  handlingDays: number;
  handled: number;
  rated: number;
  satisfied: number;
  overdueUndecided: number;
  routed: number;
  returned: number;
  replied: number;
  rehandled: number;
}

/**
 * The figures of each group, from the summaries by month and by day (`statistics_months`,
 * `statistics_days`, kept by a trigger on `suggestions` in the statement that changes a
 * suggestion: prisma/migrations/*_statistics_by_day, *_statistics_by_month). A year by department
 * sums a few thousand monthly rows instead of reading hundreds of thousands of suggestions and
 * their timelines (docs/BENCHMARKS.md, the archive). The summary's
 * handling times are counted on the calendar it was last rebuilt on; a different calendar (a year
 * loaded, a day edited, a forecast year added at new year) rebuilds it first. The summary counts
 * what each suggestion's row gives (routed: with a lead department); the timeline's returns (退回)
 * and re-handlings (重办), rare, are read for the request's matters by a second statement and
 * counted as `aggregate` counts them.
 */
export async function computeStatistics(db: Database, calendar: () => Promise<HolidayCalendar>, request: StatisticsRequest): Promise<Figures[]> {
  await countedOn(db, await calendar());
  const [rows, chains] = await Promise.all([
    db.$queryRaw<(Omit<Tally, 'returned' | 'rehandled'> & { key: string | null })[]>(
      byStreet(request) ? streetStatisticsQuery(request) : statisticsQuery(request),
    ),
    db.$queryRaw<ChainRow[]>(chainQuery(request)),
  ]);
  const tallies = new Map<string | null, Tally>(rows.map(({ key, ...t }) => [key, { ...t, returned: 0, rehandled: 0 }]));
  const tallyOf = (key: string | null) => {
    const t = tallies.get(key) ?? emptyTally();
    tallies.set(key, t);
    return t;
  };
  for (const row of chains) {
    // The summary counted the matter as routed when it has a lead department; the returns move that as `aggregate` counts them.
    const t = tallyOf(keyOf(request, row));
    if (request.groupBy === 'department') {
      if (row.leadDepartment && row.returnedBy.includes(row.leadDepartment)) t.routed -= 1;
      for (const department of new Set(row.returnedBy)) {
        const by = tallyOf(department);
        by.routed += 1;
        by.returned += 1;
      }
    } else if (row.returnedBy.length) {
      if (!row.leadDepartment) t.routed += 1;
      t.returned += 1;
    }
    if (row.repliedAt && row.rehandled) t.rehandled += 1;
  }
  return figuresOf(tallies);
}

/** A matter of the request returned (退回) or handled again (重办), with the departments that returned it in order. */
interface ChainRow extends StatisticsRow {
  returnedBy: string[];
  rehandled: boolean;
}

/**
 * The timeline's returns and re-handlings of the request's own matters (merged ones left out):
 * rare events, found by their partial index (prisma/migrations/*_statistics_indicators) and
 * joined to their suggestions, rather than reading the period's whole timeline.
 */
export function chainQuery(r: StatisticsRequest): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`e.type IN ('returned', 'rehandling_opened')`, Prisma.sql`s.merged_into IS NULL`];
  // Dates are Shanghai calendar days: from 00:00 of `from` to the end of `to`, in UTC+8.
  if (r.from) conditions.push(Prisma.sql`s.received_at >= ${new Date(`${r.from}T00:00:00+08:00`)}`);
  if (r.to) conditions.push(Prisma.sql`s.received_at < ${new Date(new Date(`${r.to}T00:00:00+08:00`).getTime() + 86_400_000)}`);
  conditions.push(...suggestionConditions(r));
  return Prisma.sql`
    SELECT s.id, s.lead_department AS "leadDepartment", s.district, s.street, s.category, s.campaign_id AS "campaignId", s.received_at AS "receivedAt",
      s.decided_at AS "decidedAt", s.due_at AS "dueAt", s.outcome, s.overdue, s.replied_at AS "repliedAt",
      coalesce(array_agg(e.detail ->> 'department' ORDER BY e.seq) FILTER (WHERE e.type = 'returned' AND jsonb_typeof(e.detail -> 'department') = 'string'), '{}') AS "returnedBy",
      bool_or(e.type = 'rehandling_opened') AS rehandled
    FROM suggestion_events e JOIN suggestions s ON s.id = e.suggestion_id
    WHERE ${Prisma.join(conditions, ' AND ')}
    GROUP BY s.id`;
}

/** Whether the request is about streets (a street's figures, or a district's by street): the summaries do not keep streets. */
function byStreet(r: StatisticsRequest): boolean {
  return r.groupBy === 'street' || r.street !== undefined;
}

/** The request's filters on the suggestions themselves, dates aside. */
function suggestionConditions(r: StatisticsRequest): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (r.department) conditions.push(Prisma.sql`s.lead_department = ${r.department}`);
  if (r.district) conditions.push(Prisma.sql`s.district = ${r.district}`);
  if (r.street) conditions.push(Prisma.sql`s.street = ${r.street}`);
  if (r.category) conditions.push(Prisma.sql`s.category = ${r.category}`);
  if (r.campaignId) conditions.push(Prisma.sql`s.campaign_id = ${r.campaignId}`);
  return conditions;
}

/**
 * A street's figures, or a district's by street: counted from the suggestions of the request by
 * the summary's own rule (`statistics_contribution`, the trigger's), so they add up to the
 * district's and the city's from the summaries. A district's suggestions of a period are found by
 * their index on (district, received_at), a street's by (district, street).
 */
export function streetStatisticsQuery(r: StatisticsRequest): Prisma.Sql {
  const conditions = [...suggestionConditions(r)];
  if (r.from) conditions.push(Prisma.sql`s.received_at >= ${new Date(`${r.from}T00:00:00+08:00`)}`);
  if (r.to) conditions.push(Prisma.sql`s.received_at < ${new Date(new Date(`${r.to}T00:00:00+08:00`).getTime() + 86_400_000)}`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  return summed(r, Prisma.sql`SELECT c.*, s.street FROM suggestions s, LATERAL statistics_contribution(s, 1) c ${where}`);
}

/**
 * The summary's rows of the request, summed per group: one statement. The whole months of the
 * period are read from the summary by month, the days of a month it cuts (at either end) from
 * the summary by day (`summaryRanges`).
 */
export function statisticsQuery(r: StatisticsRequest): Prisma.Sql {
  const filters: Prisma.Sql[] = [];
  if (r.department) filters.push(Prisma.sql`lead_department = ${r.department}`);
  if (r.district) filters.push(Prisma.sql`district = ${r.district}`);
  if (r.category) filters.push(Prisma.sql`category = ${r.category}`);
  if (r.campaignId) filters.push(Prisma.sql`campaign_id = ${r.campaignId}`);
  const ranges = summaryRanges(r.from, r.to);
  const columns = Prisma.sql`lead_department, district, category, campaign_id, proposers, received, decided, adopted, on_time, late, handled, handling_days,
      rated, satisfied, overdue_undecided, routed, replied`;
  const part = (table: 'months' | 'days', range: SummaryRange) => {
    const column = table === 'months' ? Prisma.sql`month` : Prisma.sql`day`;
    const conditions = [...filters];
    if (range.from) conditions.push(Prisma.sql`${column} >= ${range.from}::date`);
    if (range.before) conditions.push(Prisma.sql`${column} < ${range.before}::date`);
    const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
    return table === 'months'
      ? Prisma.sql`SELECT month AS day, ${columns} FROM statistics_months ${where}`
      : Prisma.sql`SELECT day, ${columns} FROM statistics_days ${where}`;
  };
  const parts = [...(ranges.months ? [part('months', ranges.months)] : []), ...ranges.days.map((range) => part('days', range))];
  return summed(r, Prisma.join(parts, ' UNION ALL '));
}

/** The figures' rows (a summary's, or contributions counted now) summed per group of the request. */
function summed(r: StatisticsRequest, rows: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT ${groupKey(r)} AS key, sum(proposers)::int AS proposers, sum(received)::int AS received, sum(decided)::int AS decided,
      sum(adopted)::int AS adopted, sum(on_time)::int AS "onTime", sum(late)::int AS late, sum(handling_days)::int AS "handlingDays",
      sum(handled)::int AS handled, sum(rated)::int AS rated, sum(satisfied)::int AS satisfied, sum(overdue_undecided)::int AS "overdueUndecided",
      sum(routed)::int AS routed, sum(replied)::int AS replied
    FROM (${rows}) summary
    GROUP BY 1
    HAVING sum(proposers) > 0`;
}

/** Calendar days from `from` (inclusive) to `before` (exclusive), ISO dates; an end left open is unbounded. */
export interface SummaryRange {
  from?: string;
  before?: string;
}

/**
 * Where a period's figures are read from: the whole months inside it from the summary by month,
 * the days before its first whole month and after its last from the summary by day. `from` and
 * `to` are inclusive Shanghai days; either may be absent (unbounded).
 */
export function summaryRanges(from?: string, to?: string): { months?: SummaryRange; days: SummaryRange[] } {
  const after = to ? nextDay(to) : undefined;
  // The first whole month begins on `from` if it is the 1st, else on the next 1st; the last whole month ends before `after`'s month if `after` is not a 1st.
  const monthsFrom = from && !from.endsWith('-01') ? firstOfNextMonth(from) : from;
  const monthsBefore = after && !after.endsWith('-01') ? `${after.slice(0, 7)}-01` : after;
  if (monthsFrom && monthsBefore && monthsFrom >= monthsBefore) return { days: [{ from, before: after }] };
  const days: SummaryRange[] = [];
  if (from && monthsFrom !== from) days.push({ from, before: monthsFrom });
  if (after && monthsBefore !== after) days.push({ from: monthsBefore, before: after });
  return { months: { from: monthsFrom, before: monthsBefore }, days };
}

function nextDay(isoDate: string): string {
  return fromDayNumber(toDayNumber(isoDate) + 1);
}

function firstOfNextMonth(isoDate: string): string {
  const [year, month] = isoDate.split('-').map(Number);
  return month === 12 ? `${String(year + 1).padStart(4, '0')}-01-01` : `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-01`;
}

function groupKey(r: Pick<StatisticsRequest, 'groupBy' | 'period'>): Prisma.Sql {
  switch (r.groupBy) {
    case 'department':
      return Prisma.sql`NULLIF(lead_department, '')`;
    case 'district':
      return Prisma.sql`district`;
    case 'street':
      return Prisma.sql`street`;
    case 'category':
      return Prisma.sql`category`;
    case 'campaign':
      return Prisma.sql`NULLIF(campaign_id, '')`;
    case 'period':
      return r.period === 'year'
        ? Prisma.sql`to_char(day, 'YYYY')`
        : r.period === 'quarter'
          ? Prisma.sql`to_char(day, 'YYYY-"Q"Q')`
          : Prisma.sql`to_char(day, 'YYYY-MM')`;
  }
}

/**
 * The calendar as the summary counts it: from the day before its first year to the end of its
 * last, each day's running count of working days, a day of a year the calendar does not know
 * counting 1,000,000 (so a span through it is left out of the average, as workingDaysBetween
 * refuses it). The fingerprint names the calendar.
 */
export function workingDayOrdinals(cal: HolidayCalendar): { first: string; ordinals: number[]; fingerprint: string } {
  const known = cached.get(cal);
  if (known) return known;
  const years = [...cal.years];
  const first = toDayNumber(`${String(Math.min(...years)).padStart(4, '0')}-01-01`) - 1;
  const last = toDayNumber(`${String(Math.max(...years)).padStart(4, '0')}-12-31`);
  const ordinals = [0];
  for (let day = first + 1, count = 0; day <= last; day++) {
    const date = fromDayNumber(day);
    if (!cal.years.has(yearOf(date))) count += unknownDay;
    else if (isWorkingDay(cal, date)) count += 1;
    ordinals.push(count);
  }
  const result = {
    first: fromDayNumber(first),
    ordinals,
    fingerprint: createHash('sha256')
      .update(`${first}:${ordinals.join(',')}`)
      .digest('hex'),
  };
  cached.set(cal, result);
  return result;
}

const unknownDay = 1_000_000;
const cached = new WeakMap<HolidayCalendar, ReturnType<typeof workingDayOrdinals>>();
/** The calendar this process last found each database's summary counted on. */
const confirmed = new WeakMap<Database, HolidayCalendar>();

/**
 * Makes sure the summary's handling times are counted on `cal`, rebuilding it if not. Another
 * replica may hold a calendar a minute newer or older (the calendar store's cache): a summary
 * rebuilt in the last two minutes is taken as it is, so two replicas never rebuild in turn.
 */
export async function countedOn(db: Database, cal: HolidayCalendar, opts: { force?: boolean } = {}): Promise<void> {
  if (confirmed.get(db) === cal && !opts.force) return;
  const { fingerprint } = workingDayOrdinals(cal);
  const fresh = (state: { calendar_fingerprint: string | null; rebuilt_at: Date | null } | undefined) =>
    !opts.force &&
    state?.calendar_fingerprint != null &&
    (state.calendar_fingerprint === fingerprint || (state.rebuilt_at !== null && Date.now() - state.rebuilt_at.getTime() < 120_000));
  const [state] = await db.$queryRaw<
    { calendar_fingerprint: string | null; rebuilt_at: Date | null }[]
  >`SELECT calendar_fingerprint, rebuilt_at FROM statistics_state WHERE id = 1`;
  if (!fresh(state)) {
    await db.$transaction(
      async (tx) => {
        // One rebuild at a time; the next one in finds it done.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('statistics_days'))`;
        const [now] = await tx.$queryRaw<
          { calendar_fingerprint: string | null; rebuilt_at: Date | null }[]
        >`SELECT calendar_fingerprint, rebuilt_at FROM statistics_state WHERE id = 1`;
        if (!fresh(now)) await rebuildSummary(tx, cal);
      },
      { maxWait: 600_000, timeout: 3_600_000 },
    );
  }
  confirmed.set(db, cal);
}

/**
 * Counts the summary again from every suggestion, on `cal`. Changes of suggestions wait meanwhile
 * (their trigger's writes to the summary): seconds for a million suggestions, when a calendar
 * year is loaded or a forecast year added.
 */
export async function rebuildSummary(tx: Prisma.TransactionClient, cal: HolidayCalendar): Promise<void> {
  const { first, ordinals, fingerprint } = workingDayOrdinals(cal);
  await tx.$executeRaw`LOCK TABLE statistics_days, statistics_months IN SHARE ROW EXCLUSIVE MODE`;
  await tx.$executeRaw`DELETE FROM statistics_working_days`;
  await tx.$executeRaw`
    INSERT INTO statistics_working_days (day, ordinal)
    SELECT ${first}::date + (i - 1)::int, o FROM unnest(${ordinals}::bigint[]) WITH ORDINALITY AS u(o, i)`;
  await tx.$executeRaw`DELETE FROM statistics_days`;
  await tx.$executeRaw`
    INSERT INTO statistics_days (day, lead_department, district, category, campaign_id, proposers, received, decided, adopted, on_time, late, handled, handling_days, rated, satisfied,
      overdue_undecided, routed, replied)
    SELECT c.day, c.lead_department, c.district, c.category, c.campaign_id, sum(c.proposers), sum(c.received), sum(c.decided), sum(c.adopted),
      sum(c.on_time), sum(c.late), sum(c.handled), sum(c.handling_days), sum(c.rated), sum(c.satisfied), sum(c.overdue_undecided), sum(c.routed), sum(c.replied)
    FROM suggestions s, LATERAL statistics_contribution(s, 1) c
    GROUP BY 1, 2, 3, 4, 5`;
  await tx.$executeRaw`DELETE FROM statistics_months`;
  await tx.$executeRaw`
    INSERT INTO statistics_months (month, lead_department, district, category, campaign_id, proposers, received, decided, adopted, on_time, late, handled, handling_days,
      rated, satisfied, overdue_undecided, routed, replied)
    SELECT date_trunc('month', day)::date, lead_department, district, category, campaign_id, sum(proposers), sum(received), sum(decided), sum(adopted),
      sum(on_time), sum(late), sum(handled), sum(handling_days), sum(rated), sum(satisfied), sum(overdue_undecided), sum(routed), sum(replied)
    FROM statistics_days
    GROUP BY 1, 2, 3, 4, 5`;
  await tx.$executeRaw`UPDATE statistics_state SET calendar_fingerprint = ${fingerprint}, rebuilt_at = ${new Date()} WHERE id = 1`;
}

export interface StatisticsRow {
  id: string;
  leadDepartment: string | null;
  district: string;
  /** The street or town of the matter's place; null or absent when it names none. */
  street?: string | null;
  category: string;
  campaignId: string | null;
  receivedAt: Date;
  decidedAt: Date | null;
  dueAt: Date | null;
  outcome: string | null;
  overdue: boolean;
  /** Merged into another suggestion: its proposer and rating count, the matter does not again. */
  mergedInto?: string | null;
  repliedAt?: Date | null;
  /** The departments that returned it (退回), in order; empty when none did. */
  returnedBy?: string[];
  /** Whether a re-handling round was opened after a dissatisfied rating. */
  rehandled?: boolean;
}

/**
 * The figures of each group, from the suggestions, their latest satisfaction ratings and their
 * timelines' returns and re-handlings: the rule the summary's trigger (`statistics_contribution`)
 * and `computeStatistics` follow, kept here as their reference
 * (test/integration/statistics-summary.test.ts checks one against the other).
 */
export function aggregate(
  rows: StatisticsRow[],
  ratings: Map<string, string>,
  cal: HolidayCalendar | undefined,
  request: Pick<StatisticsRequest, 'groupBy' | 'period'>,
): Figures[] {
  const tallies = new Map<string | null, Tally>();
  const tallyOf = (key: string | null) => {
    const t = tallies.get(key) ?? emptyTally();
    tallies.set(key, t);
    return t;
  };
  for (const row of rows) {
    const key = keyOf(request, row);
    const t = tallyOf(key);
    t.proposers += 1;
    const rating = ratings.get(row.id);
    if (rating) {
      t.rated += 1;
      if (satisfiedRatings.includes(rating)) t.satisfied += 1;
    }
    if (row.mergedInto) continue;
    t.received += 1;
    const returnedBy = row.returnedBy ?? [];
    if (request.groupBy === 'department') {
      // A return counts against the department that returned it, whoever handles it now.
      if (row.leadDepartment && !returnedBy.includes(row.leadDepartment)) t.routed += 1;
      for (const department of new Set(returnedBy)) {
        const by = tallyOf(department);
        by.routed += 1;
        by.returned += 1;
      }
    } else {
      if (row.leadDepartment || returnedBy.length) t.routed += 1;
      if (returnedBy.length) t.returned += 1;
    }
    if (row.repliedAt) {
      t.replied += 1;
      if (row.rehandled) t.rehandled += 1;
    }
    if (row.decidedAt) {
      t.decided += 1;
      if (row.outcome && adoptedOutcomes.includes(row.outcome as Outcome)) t.adopted += 1;
      if (row.dueAt) {
        if (row.decidedAt <= row.dueAt) t.onTime += 1;
        else t.late += 1;
      }
      const days = cal && workingDaysOrUndefined(cal, row.receivedAt, row.decidedAt);
      if (days !== undefined) {
        t.handlingDays += days;
        t.handled += 1;
      }
    } else if (row.overdue) {
      t.late += 1;
      t.overdueUndecided += 1;
    }
  }
  return figuresOf(tallies);
}

const emptyTally = (): Tally => ({
  received: 0,
  proposers: 0,
  decided: 0,
  adopted: 0,
  onTime: 0,
  late: 0,
  handlingDays: 0,
  handled: 0,
  rated: 0,
  satisfied: 0,
  overdueUndecided: 0,
  routed: 0,
  returned: 0,
  replied: 0,
  rehandled: 0,
});

/** Rates and averages from each group's counts, groups in order of their keys. */
function figuresOf(tallies: Map<string | null, Tally>): Figures[] {
  return [...tallies.entries()]
    .sort(([a], [b]) => (a ?? '').localeCompare(b ?? ''))
    .map(([key, t]) => ({
      key,
      received: t.received,
      proposers: t.proposers,
      decided: t.decided,
      adopted: t.adopted,
      adoptionRate: ratio(t.adopted, t.decided),
      onTimeRate: ratio(t.onTime, t.onTime + t.late),
      averageHandlingWorkingDays: t.handled ? Math.round((t.handlingDays / t.handled) * 10) / 10 : null,
      rated: t.rated,
      satisfactionRate: ratio(t.satisfied, t.rated),
      responseRate: ratio(t.decided, t.decided + t.overdueUndecided),
      routed: t.routed,
      returned: t.returned,
      returnRate: ratio(t.returned, t.routed),
      replied: t.replied,
      rehandled: t.rehandled,
      rehandlingRate: ratio(t.rehandled, t.replied),
    }));
}

function keyOf(r: Pick<StatisticsRequest, 'groupBy' | 'period'>, row: StatisticsRow): string | null {
  switch (r.groupBy) {
    case 'department':
      return row.leadDepartment;
    case 'district':
      return row.district;
    case 'street':
      return row.street ?? null;
    case 'category':
      return row.category;
    case 'campaign':
      return row.campaignId;
    case 'period':
      return periodOf(shanghaiDate(row.receivedAt), r.period);
  }
}

function periodOf(isoDate: string, period: Period): string {
  const [year, month] = isoDate.split('-');
  if (period === 'year') return year;
  if (period === 'quarter') return `${year}-Q${Math.ceil(Number(month) / 3)}`;
  return `${year}-${month}`;
}

/** A year without calendar data cannot be counted in working days; such a suggestion is left out of the average. */
function workingDaysOrUndefined(cal: HolidayCalendar, from: Date, to: Date): number | undefined {
  try {
    return workingDaysBetween(cal, from, to);
  } catch {
    return undefined;
  }
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}
