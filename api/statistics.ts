import { shanghaiDate, workingDaysBetween, type HolidayCalendar } from '../domain/calendar';
import type { Outcome } from '../domain/vocabulary';
import type { Database, Prisma } from '../prisma/client';

// The figures the collection office reports and the public board shows (征集工作统计).

export const groupings = ['department', 'district', 'category', 'campaign', 'period'] as const;
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

export async function computeStatistics(db: Database, calendar: () => Promise<HolidayCalendar>, request: StatisticsRequest): Promise<Figures[]> {
  const rows = await db.suggestion.findMany({
    where: whereOf(request),
    select: { id: true, leadDepartment: true, district: true, category: true, campaignId: true, receivedAt: true, decidedAt: true, dueAt: true, outcome: true, overdue: true, repliedAt: true, mergedInto: true },
  });
  const ids = rows.map((r) => r.id);
  const [ratings, chain] = await Promise.all([latestRatings(db, ids), returnsAndRehandling(db, ids)]);
  const withChain = rows.map((r) => ({ ...r, returnedBy: chain.returnedBy.get(r.id) ?? [], rehandled: chain.rehandled.has(r.id) }));
  return aggregate(withChain, ratings, rows.some((r) => r.decidedAt) ? await calendar() : undefined, request);
}

export interface StatisticsRow {
  id: string;
  leadDepartment: string | null;
  district: string;
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

/** The figures of each group, from the suggestions and their latest satisfaction ratings. */
export function aggregate(rows: StatisticsRow[], ratings: Map<string, string>, cal: HolidayCalendar | undefined, request: Pick<StatisticsRequest, 'groupBy' | 'period'>): Figures[] {
  const tallies = new Map<string | null, Tally>();
  const tallyOf = (key: string | null) => {
    const t = tallies.get(key) ?? { received: 0, proposers: 0, decided: 0, adopted: 0, onTime: 0, late: 0, handlingDays: 0, handled: 0, rated: 0, satisfied: 0, overdueUndecided: 0, routed: 0, returned: 0, replied: 0, rehandled: 0 };
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

function whereOf(r: StatisticsRequest): Prisma.SuggestionWhereInput {
  // Dates are Shanghai calendar days: from 00:00 of `from` to the end of `to`, in UTC+8.
  const start = r.from ? new Date(`${r.from}T00:00:00+08:00`) : undefined;
  const end = r.to ? new Date(new Date(`${r.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined;
  return {
    ...(start || end ? { receivedAt: { ...(start ? { gte: start } : {}), ...(end ? { lt: end } : {}) } } : {}),
    ...(r.department ? { leadDepartment: r.department } : {}),
    ...(r.district ? { district: r.district } : {}),
    ...(r.category ? { category: r.category } : {}),
    ...(r.campaignId ? { campaignId: r.campaignId } : {}),
  };
}

function keyOf(r: Pick<StatisticsRequest, 'groupBy' | 'period'>, row: StatisticsRow): string | null {
  switch (r.groupBy) {
    case 'department':
      return row.leadDepartment;
    case 'district':
      return row.district;
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

/**
 * The proposer's latest satisfaction rating (回访) per suggestion, read from the timeline: an
 * event of type `rated` whose detail carries `rating`. Suggestions never rated are absent.
 */
async function latestRatings(db: Database, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const events = await db.suggestionEvent.findMany({
    where: { suggestionId: { in: ids }, type: 'rated' },
    orderBy: { seq: 'asc' },
    select: { suggestionId: true, detail: true },
  });
  const latest = new Map<string, string>();
  for (const e of events) {
    const rating = (e.detail as { rating?: unknown } | null)?.rating;
    if (typeof rating === 'string') latest.set(e.suggestionId, rating);
  }
  return latest;
}

/** From the timeline: which departments returned each suggestion (退回), and which were handled again (重办). */
async function returnsAndRehandling(db: Database, ids: string[]): Promise<{ returnedBy: Map<string, string[]>; rehandled: Set<string> }> {
  const returnedBy = new Map<string, string[]>();
  const rehandled = new Set<string>();
  if (ids.length === 0) return { returnedBy, rehandled };
  const events = await db.suggestionEvent.findMany({
    where: { suggestionId: { in: ids }, type: { in: ['returned', 'rehandling_opened'] } },
    orderBy: { seq: 'asc' },
    select: { suggestionId: true, type: true, detail: true },
  });
  for (const e of events) {
    if (e.type === 'rehandling_opened') rehandled.add(e.suggestionId);
    const department = (e.detail as { department?: unknown } | null)?.department;
    if (e.type === 'returned' && typeof department === 'string') returnedBy.set(e.suggestionId, [...(returnedBy.get(e.suggestionId) ?? []), department]);
  }
  return { returnedBy, rehandled };
}
