import { clusterBySimilarity, mostCommon, representativeOf, type Clusterable } from '../domain/similarity-clusters';
import type { FeedbackView } from '../domain/feedback';
import {
  defaultHotspotThreshold,
  defaultSimilarityThreshold,
  lookupTerms,
  plausiblySameMatter,
  similarity,
  type Comparable,
  type Similarity,
} from '../domain/similarity';
import type { SimilarityProfile } from '../domain/similarity-profile';
import type { Category, District, Outcome, SuggestionStatus } from '../domain/vocabulary';
import { Prisma, type Database } from '../prisma/client';
import { profileOf } from '../segmenter';

// 多件同一事项: the suggestions about the same matter as one suggestion, as a citizen's draft, or
// among a period's suggestions (hotspots). The words and places each suggestion was registered
// with (suggestion_terms) are looked up through their GIN index: the candidates share one of the
// heavy words; domain/similarity.ts scores them. Measured in docs/BENCHMARKS.md (similarity).

export interface SimilaritySettings {
  /** Above this score two suggestions are the same matter (domain/similarity.ts). */
  threshold: number;
  /** Closed suggestions are compared for this many days after they closed; open ones always. */
  windowDays: number;
  /**
   * Two suggestions join one hotspot above this score: stricter than the lookup's, since a group
   * chains pairs and each pair's error compounds (measured: docs/BENCHMARKS.md).
   */
  hotspotThreshold: number;
  /** Candidates the index hands the scoring, the best sharing the most weight first. */
  candidates: number;
}

export const defaultSimilaritySettings: SimilaritySettings = {
  threshold: defaultSimilarityThreshold,
  hotspotThreshold: defaultHotspotThreshold,
  windowDays: 180,
  candidates: 200,
};

/** SIMILARITY_THRESHOLD, SIMILARITY_HOTSPOT_THRESHOLD (0 to 1) and SIMILARITY_WINDOW_DAYS where set, the defaults otherwise. */
export function similaritySettingsFromEnv(env: Record<string, string | undefined>): SimilaritySettings {
  const read = (name: string, fallback: number, valid: (n: number) => boolean, what: string) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!valid(n)) throw new Error(`${name} must be ${what}, not ${JSON.stringify(value)}`);
    return n;
  };
  return {
    ...defaultSimilaritySettings,
    threshold: read('SIMILARITY_THRESHOLD', defaultSimilaritySettings.threshold, (n) => n > 0 && n < 1, 'a number between 0 and 1'),
    hotspotThreshold: read('SIMILARITY_HOTSPOT_THRESHOLD', defaultSimilaritySettings.hotspotThreshold, (n) => n > 0 && n < 1, 'a number between 0 and 1'),
    windowDays: read('SIMILARITY_WINDOW_DAYS', defaultSimilaritySettings.windowDays, (n) => Number.isInteger(n) && n >= 0, 'a whole number of days'),
  };
}

interface TermsRow {
  id: string;
  terms: string[];
  weights: number[];
  places: string[];
  place_names: string[];
  title: string;
  status: SuggestionStatus;
  lead_department: string | null;
  district: District;
  category: Category;
}

const termColumns = Prisma.sql`t.suggestion_id AS id, t.terms, t.weights, t.places, t.place_names, s.title, s.status, s.lead_department, s.district, s.category`;

function comparable(row: Pick<TermsRow, 'terms' | 'weights' | 'places' | 'district' | 'category'>): Comparable {
  return { terms: row.terms, weights: row.weights.map(Number), places: row.places, district: row.district, category: row.category };
}

/**
 * The suggestions in `scope` that share a heavy word with the profile, scored, above the
 * threshold, best first. The index finds those sharing one of the profile's heaviest words; the
 * `candidates` naming one of its places first, then sharing the most weight, are scored: the same
 * request at a hundred other stops must not crowd out the one at this stop. A scope of the words'
 * own columns only (`{ terms }`) picks the candidates before their suggestions are read: of a
 * city's archive, thousands share a word, only the candidates' rows are needed.
 */
export async function findSimilar<Extra extends object = object>(
  db: Database,
  settings: SimilaritySettings,
  profile: Comparable,
  scope: Prisma.Sql | { terms: Prisma.Sql },
  extraColumns: Prisma.Sql = Prisma.empty,
  score: (candidate: Comparable) => Similarity = (candidate) => similarity(profile, candidate),
): Promise<{ row: TermsRow & Extra; similarity: Similarity }[]> {
  const lookup = lookupTerms(profile);
  if (lookup.length === 0) return [];
  const rank = (t: Prisma.Sql) => Prisma.sql`
    ORDER BY ${t}.places && ${profile.places}::text[] DESC,
      (SELECT coalesce(sum(u.w), 0) FROM unnest(${t}.terms, ${t}.weights) AS u(term, w) WHERE u.term = ANY(${lookup}::text[])) DESC, ${t}.suggestion_id
    LIMIT ${settings.candidates}`;
  const rows =
    'terms' in scope
      ? await db.$queryRaw<(TermsRow & Extra)[]>`
          SELECT ${termColumns} ${extraColumns}
          FROM (SELECT * FROM suggestion_terms c WHERE c.terms && ${lookup}::text[] AND ${scope.terms} ${rank(Prisma.sql`c`)}) t
          JOIN suggestions s ON s.id = t.suggestion_id`
      : await db.$queryRaw<(TermsRow & Extra)[]>`
          SELECT ${termColumns} ${extraColumns}
          FROM suggestion_terms t JOIN suggestions s ON s.id = t.suggestion_id
          WHERE t.terms && ${lookup}::text[] AND ${scope}
          ${rank(Prisma.sql`t`)}`;
  return rows
    .map((row) => ({ row, similarity: score(comparable(row)) }))
    .filter((m) => m.similarity.score >= settings.threshold)
    .sort((a, b) => b.similarity.score - a.similarity.score || a.row.id.localeCompare(b.row.id));
}

/** A registered suggestion's words and places: as registration kept them, or segmented now for one registered before. */
export async function profileOfSuggestion(db: Database, id: string): Promise<(Comparable & { leadDepartment: string | null; coDepartments: string[] }) | null> {
  const [row] = await db.$queryRaw<(Omit<TermsRow, 'id' | 'status'> & { co_departments: string[]; content: string; has_terms: boolean })[]>`
    SELECT coalesce(t.terms, '{}') AS terms, coalesce(t.weights, '{}') AS weights, coalesce(t.places, '{}') AS places, coalesce(t.place_names, '{}') AS place_names,
      t.suggestion_id IS NOT NULL AS has_terms, s.title, s.content, s.lead_department, s.co_departments, s.district, s.category
    FROM suggestions s LEFT JOIN suggestion_terms t ON t.suggestion_id = s.id
    WHERE s.id = ${id}`;
  if (!row) return null;
  const profile = row.has_terms ? comparable(row) : profileOf({ title: row.title, content: row.content, district: row.district, category: row.category });
  return { ...profile, leadDepartment: row.lead_department, coDepartments: row.co_departments };
}

export interface SimilarSuggestion {
  id: string;
  score: number;
  title: string;
  status: SuggestionStatus;
  department: string | null;
}

/** The open and recently closed suggestions about the same matter as this one, best first; never itself. */
export async function similarSuggestions(
  db: Database,
  settings: SimilaritySettings,
  id: string,
  profile: Comparable,
  now = new Date(),
): Promise<SimilarSuggestion[]> {
  const since = new Date(now.getTime() - settings.windowDays * 86_400_000);
  // The window's months as suggestion_terms keeps them: its index finds only those sharing a word (prisma/migrations/*_archive_read_indexes).
  const months = ['open', ...monthsFrom(since, now)];
  const matches = await findSimilar(db, settings, profile, {
    terms: Prisma.sql`c.window_months && ${months}::text[] AND c.suggestion_id <> ${id} AND (c.closed_at IS NULL OR c.closed_at >= ${since})`,
  });
  return matches.map(({ row, similarity: s }) => ({ id: row.id, score: s.score, title: row.title, status: row.status, department: row.lead_department }));
}

/** The months (UTC, YYYY-MM) from `since`'s to the one after `now`'s: closed_at's months in the window, a clock a little ahead included. */
function monthsFrom(since: Date, now: Date): string[] {
  const months: string[] = [];
  const last = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  for (
    let m = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), 1);
    m <= last;
    m = Date.UTC(new Date(m).getUTCFullYear(), new Date(m).getUTCMonth() + 1, 1)
  ) {
    months.push(new Date(m).toISOString().slice(0, 7));
  }
  return months;
}

export interface BoardMatch {
  trackingNumber: string;
  score: number;
  title: string;
  summary: string;
  department: string;
  district: District;
  category: Category;
  outcome: Outcome;
}

/**
 * The public board's suggestions like a citizen's draft: only adopted or partially adopted ones
 * whose proposer consented, replied to (public-board.ts shows the same rows), never anyone's open
 * suggestion. Only what the board shows is answered.
 */
export async function similarOnBoard(
  db: Database,
  settings: SimilaritySettings,
  draft: { text: string; district?: District; category?: Category },
  limit: number,
): Promise<BoardMatch[]> {
  const profile = profileOf({ title: draft.text, content: '', district: draft.district ?? 'city', category: draft.category ?? 'other' });
  // What the citizen did not say (the district, the category) weighs neither for nor against.
  const matches = await findSimilar<{ outcome: Outcome; feedback: FeedbackView | null }>(
    db,
    settings,
    profile,
    Prisma.sql`s.publish_consent AND s.outcome IN ('adopted', 'partially_adopted') AND s.replied_at IS NOT NULL`,
    Prisma.sql`, s.outcome, s.feedback`,
    (candidate) => similarity({ ...profile, district: draft.district ?? candidate.district, category: draft.category ?? candidate.category }, candidate),
  );
  return matches.slice(0, limit).map(({ row, similarity: s }) => ({
    trackingNumber: row.id,
    score: s.score,
    title: row.title,
    summary: row.feedback?.implementation?.summary ?? '',
    department: row.lead_department ?? '',
    district: row.district,
    category: row.category,
    outcome: row.outcome,
  }));
}

export interface HotspotQuery {
  /** Shanghai dates, inclusive. */
  from: string;
  to: string;
  district?: District;
  category?: Category;
  minSize: number;
  limit: number;
}

export interface Hotspot {
  size: number;
  previousSize: number;
  growth: number;
  growthRate: number | null;
  district: District;
  place: string | null;
  category: Category;
  title: string;
  representative: string;
  suggestions: string[];
}

const dayMs = 86_400_000;
/** Members listed with a hotspot; its size counts them all. */
const listedMembers = 50;

/**
 * The period's groups of suggestions about one matter, largest first, each with its growth over
 * the period of the same length before it: both periods are clustered together, so a matter that
 * began last month is one group with members in each.
 */
export async function hotspots(db: Database, settings: SimilaritySettings, q: HotspotQuery) {
  const start = new Date(`${q.from}T00:00:00+08:00`);
  const end = new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + dayMs);
  const previousStart = new Date(start.getTime() - (end.getTime() - start.getTime()));
  const rows = await db.$queryRaw<(TermsRow & { received_at: Date })[]>`
    SELECT ${termColumns}, s.received_at
    FROM suggestion_terms t JOIN suggestions s ON s.id = t.suggestion_id
    WHERE s.received_at >= ${previousStart} AND s.received_at < ${end}
      ${q.district ? Prisma.sql`AND s.district = ${q.district}` : Prisma.empty}
      ${q.category ? Prisma.sql`AND s.category = ${q.category}` : Prisma.empty}
    ORDER BY s.received_at, t.suggestion_id`;
  const items: (Clusterable & { row: (typeof rows)[number] })[] = rows.map((row) => ({ id: row.id, ...comparable(row), row }));
  const groups = clusterBySimilarity(items, { threshold: settings.hotspotThreshold });
  const spots: Hotspot[] = [];
  for (const group of groups) {
    const members = group.map((i) => items[i]);
    const current = members.filter((m) => m.row.received_at >= start);
    if (current.length < q.minSize) continue;
    const previousSize = members.length - current.length;
    const representative = current[representativeOf(current)];
    spots.push({
      size: current.length,
      previousSize,
      growth: current.length - previousSize,
      growthRate: previousSize > 0 ? Math.round(((current.length - previousSize) / previousSize) * 100) / 100 : null,
      district: mostCommon(current.map((m) => m.row.district)) as District,
      place: mostCommon(current.flatMap((m) => m.places.filter((p) => !/\d/.test(p)))) ?? null,
      category: mostCommon(current.map((m) => m.row.category)) as Category,
      title: representative.row.title,
      representative: representative.id,
      suggestions: current.slice(0, listedMembers).map((m) => m.id),
    });
  }
  spots.sort((a, b) => b.size - a.size || b.growth - a.growth || a.representative.localeCompare(b.representative));
  return {
    from: q.from,
    to: q.to,
    previousFrom: shanghaiDay(previousStart),
    previousTo: shanghaiDay(new Date(start.getTime() - dayMs)),
    items: spots.slice(0, q.limit),
  };
}

function shanghaiDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * For merging suggestions (POST /v1/suggestions/{id}/merge): whether two registered suggestions
 * are plausibly the same matter, with their score and how their places relate. Null when either
 * does not exist. A merge of two suggestions about different places deserves a second look.
 */
export async function sameMatterCheck(db: Database, a: string, b: string, settings: SimilaritySettings = defaultSimilaritySettings) {
  const [pa, pb] = await Promise.all([profileOfSuggestion(db, a), profileOfSuggestion(db, b)]);
  if (!pa || !pb) return null;
  return { ...similarity(pa, pb), plausible: plausiblySameMatter(pa, pb, settings.threshold) };
}

export type { SimilarityProfile };
