import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import { boardQuery, readBoard } from '../api/public-board';
import { loadProfileFile } from '../profiles';
import { defaultSimilaritySettings, profileOfSuggestion, similarSuggestions } from '../api/similarity';
import { computeStatistics, countedOn, type StatisticsRequest } from '../api/statistics';
import { listPage, queueQuery, suggestionListQuery } from '../api/suggestion-list';
import { PrismaClient } from '../generated/prisma/client';
import { calendarStore } from '../prisma/calendar-store';
import { connectDatabase, type Database } from '../prisma/client';
import { describeArchive, fillArchive, type ArchiveSummary } from './support/archive-data';
import { getLoad, pooled, type LoadResult } from './support/load';
import { loadAverage, loadNote, machine, report, runWhenMain, table } from './support/report';
import { freePort, startBenchServers, waitForHttp } from './support/servers';

// A city's archive, read: a million suggestions over five years written into the read model by
// bulk SQL (support/archive-data.ts), then the pages staff and the public read most, through the
// real API (autocannon, 1 and 16 connections), each against the same page fetched by the same SQL
// through `pg` directly (baseline/bare-sql-server.ts) in the same run, in the order bare, API,
// API, bare. The SQL is captured from the ORM as the API's own code issues it, and its plan
// (EXPLAIN ANALYZE) is kept in the report.
// Goal: every API p99 at most 2× its bare SQL's and under 100 ms at 16 connections; statistics
// for a year under 300 ms.

export const goals = { p99Ratio: 2, p99Ms: 100, statisticsMs: 300 };

/** Who reads a page: a staff key of a role, or the public (many citizens: X-Forwarded-For of their own). */
type Reader = { role: 'department'; department: string } | { role: 'office' | 'supervisor' } | { role: 'public' };

export interface ReadCase {
  name: string;
  /** What a reader does with it, for the report. */
  what: string;
  path: string;
  reader: Reader;
  /** Runs the API's own code for the page on `db`, whose queries are captured. */
  run(db: Database): Promise<unknown>;
  statistics?: boolean;
}

interface Statement {
  text: string;
  values: unknown[];
}

export interface CaseResult {
  name: string;
  what: string;
  path: string;
  statements: Statement[][];
  plans: string[];
  runs: { connections: number; api: LoadResult; bare: LoadResult }[];
  /** The machine's load average (1 min) when the case's windows began: the share of two cores this case had. */
  load: number;
}

export interface ArchiveResult {
  /** `reused`: the archive was the one in the database given; its generation was not timed in this run. */
  archive: ArchiveSummary & { reused?: boolean };
  cases: CaseResult[];
  loadAtStart: number;
  loadAtEnd: number;
  seconds: number;
}

/** One calendar store per database, as the API keeps one: its minute's cache is what a page served in steady state reads. */
const calendars = new WeakMap<Database, ReturnType<typeof calendarStore>>();
function calendarOf(db: Database): ReturnType<typeof calendarStore> {
  const store = calendars.get(db) ?? calendarStore(db);
  calendars.set(db, store);
  return store;
}

/** Shanghai's date of an instant. */
const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A cursor as the list endpoints return it (api/suggestion-list.ts): the sort, the last row's value and id. */
const cursorOf = (sort: string, value: string | null, id: string) => Buffer.from(JSON.stringify({ sort, value, id })).toString('base64url');

/**
 * The pages measured. `deepCursor` is a position deep in the filtered list (rows already paged
 * through); `year` the last whole year of the archive.
 */
export function readCases(opts: { year: number; deepCursor: string; boardPage: number; similarId: string }): ReadCase[] {
  const deepList = { category: 'transport', district: 'pudong', status: 'closed', sort: '-receivedAt', cursor: opts.deepCursor };
  const statistics: StatisticsRequest = { groupBy: 'department', period: 'month', from: `${opts.year}-01-01`, to: `${opts.year}-12-31` };
  const board = { district: 'pudong', category: 'transport', page: String(opts.boardPage) };
  const query = (q: Record<string, string>) => new URLSearchParams(q).toString();
  return [
    {
      name: 'department inbox',
      what: "the transport commission's suggestions in handling, nearest deadline first (a department key)",
      path: `/v1/suggestions?${query({ status: 'handling', sort: 'dueAt' })}`,
      reader: { role: 'department', department: 'transport' },
      run: (db) => listPage(db, suggestionListQuery.parse({ status: 'handling', sort: 'dueAt' }), { department: 'transport' }),
    },
    {
      name: 'triage queue',
      what: "the office's queue of suggestions no rule routed, oldest first",
      path: '/v1/triage-queue',
      reader: { role: 'office' },
      run: (db) => listPage(db, queueQuery('receivedAt').parse({}), { status: 'triage' }),
    },
    {
      name: 'overdue list',
      what: "the supervisors' list of everything past its limit, longest overdue first",
      path: '/v1/overdue',
      reader: { role: 'supervisor' },
      run: (db) => listPage(db, queueQuery('dueAt').parse({}), { overdue: 'true' }),
    },
    {
      name: 'filtered list, deep',
      what: 'closed transport suggestions from Pudong, newest first, a page deep in its cursor',
      path: `/v1/suggestions?${query(deepList)}`,
      reader: { role: 'office' },
      run: (db) => listPage(db, suggestionListQuery.parse(deepList), {}),
    },
    {
      name: 'statistics, a year by department',
      what: `GET /v1/statistics for ${opts.year} by department (the office)`,
      path: `/v1/statistics?${query({ groupBy: 'department', from: statistics.from!, to: statistics.to! })}`,
      reader: { role: 'office' },
      run: (db) => computeStatistics(db, calendarOf(db), statistics),
      statistics: true,
    },
    {
      name: 'public board, filtered',
      what: `the public board, transport in Pudong, page ${opts.boardPage} (public)`,
      path: `/v1/public/suggestions?${query(board)}`,
      reader: { role: 'public' },
      run: (db) => readBoard(db, boardQuery.parse(board), loadProfileFile('shanghai').profile),
    },
    {
      name: 'similar, at intake',
      what: 'the suggestions about the same matter as one just received (多件同一事项), for the office',
      path: `/v1/suggestions/${opts.similarId}/similar`,
      reader: { role: 'office' },
      run: async (db) => {
        const profile = await profileOfSuggestion(db, opts.similarId);
        if (!profile) throw new Error(`no suggestion ${opts.similarId}`);
        return similarSuggestions(db, defaultSimilaritySettings, opts.similarId, profile);
      },
    },
  ];
}

/**
 * The statements a page's code runs, in rounds: a statement that began before the round's
 * first one ended ran beside it (Promise.all), one that began after is the next round.
 */
async function capture(databaseUrl: string, run: (db: Database) => Promise<unknown>): Promise<Statement[][]> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 4 }), log: [{ emit: 'event', level: 'query' }] });
  const seen: { text: string; values: unknown[]; start: number; end: number }[] = [];
  let recording = false;
  (db as unknown as { $on(e: 'query', f: (e: { query: string; params: string; duration: number; timestamp: Date }) => void): void }).$on('query', (e) => {
    if (recording) seen.push({ text: e.query, values: JSON.parse(e.params), start: e.timestamp.getTime(), end: e.timestamp.getTime() + Number(e.duration) });
  });
  try {
    // Once to warm what the code caches (the calendar, the summary's check), then the statements of a page as it is served.
    await run(db as unknown as Database);
    recording = true;
    await run(db as unknown as Database);
  } finally {
    await db.$disconnect();
  }
  seen.sort((a, b) => a.start - b.start);
  const rounds: (typeof seen)[] = [];
  for (const s of seen) {
    const round = rounds.at(-1);
    if (round && s.start < Math.min(...round.map((r) => r.end))) round.push(s);
    else rounds.push([s]);
  }
  return rounds.map((round) => round.map(({ text, values }) => ({ text, values })));
}

async function explain(databaseUrl: string, statements: Statement[][]): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const plans: string[] = [];
    for (const s of statements.flat()) {
      const { rows } = await client.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, values: s.values });
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    return plans;
  } finally {
    await client.end();
  }
}

/** A citizen's address, one of many (the city's reverse proxy names it in X-Forwarded-For). */
const citizen = () => `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

export async function benchArchive(opts: {
  suggestions: number;
  years: number;
  seconds: number;
  concurrency: number[];
  log: (m: string) => void;
  plans?: boolean;
}): Promise<ArchiveResult> {
  const loadAtStart = loadAverage();
  const started = Date.now();
  const servers = await startBenchServers(opts.log);
  try {
    const now = new Date();
    const probe = new Client({ connectionString: servers.databaseUrl });
    await probe.connect();
    const existing = Number((await probe.query('SELECT count(*) AS n FROM suggestions')).rows[0].n);
    // A database given with an archive in it (DATABASE_URL) is read as it is: to measure again without writing it again.
    const reused = existing > 0 ? { ...(await describeArchive(probe)), seconds: NaN, reused: true } : undefined;
    await probe.end();
    const archive: ArchiveResult['archive'] =
      reused ?? (await fillArchive(servers.databaseUrl, { suggestions: opts.suggestions, years: opts.years, now, log: (m) => opts.log(`archive: ${m}`) }));
    const db = connectDatabase(servers.databaseUrl, 2);
    try {
      // The summary counted on the calendar the API will read (the generator writes with its trigger off).
      const t = Date.now();
      await countedOn(db, await calendarStore(db)(), { force: !archive.reused });
      archive.summarySeconds = (Date.now() - t) / 1000;
    } finally {
      await db.$disconnect();
    }

    const lastYear = Number(shanghaiDay(now).slice(0, 4)) - 1;
    const client = new Client({ connectionString: servers.databaseUrl });
    await client.connect();
    const deepRows = Number(
      (await client.query(`SELECT count(*) AS n FROM suggestions WHERE category = 'transport' AND district = 'pudong' AND status = 'closed'`)).rows[0].n,
    );
    const depth = Math.floor(deepRows / 3);
    const deep = (
      await client.query(
        `SELECT received_at, id FROM suggestions WHERE category = 'transport' AND district = 'pudong' AND status = 'closed' ORDER BY received_at DESC, id DESC OFFSET $1 LIMIT 1`,
        [Math.max(0, depth - 1)],
      )
    ).rows[0];
    const boardRows = Number(
      (
        await client.query(
          `SELECT count(*) AS n FROM suggestions WHERE publish_consent AND outcome IN ('adopted', 'partially_adopted') AND replied_at IS NOT NULL AND district = 'pudong' AND category = 'transport'`,
        )
      ).rows[0].n,
    );
    // At intake: the newest suggestion the office sees, with its words as registration kept them.
    const similarId: string = (
      await client.query(
        `SELECT s.id FROM suggestions s JOIN suggestion_terms t ON t.suggestion_id = s.id WHERE s.status IN ('triage', 'handling') ORDER BY s.received_at DESC LIMIT 1`,
      )
    ).rows[0].id;
    await client.end();
    const cases = readCases({
      similarId,
      year: lastYear,
      deepCursor: cursorOf('-receivedAt', deep ? new Date(`${deep.received_at.toISOString?.() ?? deep.received_at}`).toISOString() : null, deep?.id ?? 'none'),
      boardPage: Math.max(1, Math.min(3, Math.ceil(boardRows / 20))),
    });

    opts.log('capturing the statements of each page');
    const statements: Record<string, Statement[][]> = {};
    for (const c of cases) statements[c.name] = await capture(servers.databaseUrl, c.run);
    const pagesFile = join(servers.dir, 'baseline-pages.json');
    writeFileSync(pagesFile, JSON.stringify(statements));

    const apiPort = await freePort();
    const barePort = await freePort();
    const queue = `bench-${randomUUID().slice(0, 8)}`;
    // The city's reverse proxy names each citizen; the public reads are counted per citizen, as in production.
    await servers.spawn('api', 'api/main.ts', { PORT: String(apiPort), TEMPORAL_TASK_QUEUE: queue, TRUST_PROXY: 'loopback' });
    await servers.spawn('baseline-sql', 'bench/baseline/bare-sql-server.ts', { PORT: String(barePort), BASELINE_PAGES: pagesFile, BASELINE_POOL: '10' });
    await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`);
    await waitForHttp(`http://127.0.0.1:${barePort}/healthz`);
    const keys = {
      office: await servers.issueKey('office'),
      supervisor: await servers.issueKey('supervisor'),
      department: await servers.issueKey('department', 'transport'),
    };
    const headersOf = (reader: Reader): { headers: Record<string, string>; perRequest?: () => Record<string, string> } =>
      reader.role === 'public'
        ? { headers: {}, perRequest: () => ({ 'x-forwarded-for': citizen() }) }
        : { headers: { authorization: `Bearer ${keys[reader.role]}` } };

    const results: CaseResult[] = [];
    for (const c of cases) {
      opts.log(c.name);
      const load = loadAverage();
      const { headers, perRequest } = headersOf(c.reader);
      const apiUrl = `http://127.0.0.1:${apiPort}${c.path}`;
      const bareUrl = `http://127.0.0.1:${barePort}/page/${encodeURIComponent(c.name)}`;
      // The page answers through the API as the captured code answered it.
      const answer = await fetch(apiUrl, { headers: { ...headers, ...perRequest?.() } });
      if (answer.status !== 200) throw new Error(`${c.path}: ${answer.status} ${await answer.text()}`);
      const api = (connections: number, seconds: number) => getLoad({ url: apiUrl, headers, perRequest, connections, seconds });
      const bare = (connections: number, seconds: number) => getLoad({ url: bareUrl, connections, seconds });
      // Warm both (JIT, pools, PostgreSQL's cache of the pages' rows).
      await bare(2, 1);
      await api(2, 1);
      const runs: CaseResult['runs'] = [];
      for (const connections of opts.concurrency) {
        const first = await bare(connections, opts.seconds);
        const apiRuns = [await api(connections, opts.seconds), await api(connections, opts.seconds)];
        const bareRuns = [first, await bare(connections, opts.seconds)];
        runs.push({ connections, api: pooled(apiRuns), bare: pooled(bareRuns) });
      }
      results.push({
        name: c.name,
        what: c.what,
        path: c.path,
        statements: statements[c.name],
        plans: opts.plans === false ? [] : await explain(servers.databaseUrl, statements[c.name]),
        runs,
        load,
      });
    }
    return { archive, cases: results, loadAtStart, loadAtEnd: loadAverage(), seconds: (Date.now() - started) / 1000 };
  } finally {
    await servers.stop();
  }
}

const MiB = 2 ** 20;

/** What the plans asked for, and what each page reads now (the plans are below, per page). */
const planNotes = [
  '### What the plans asked for',
  '',
  "- **Statistics for a year** read every suggestion of the year and its timeline (the latest rating): now a summary by day, lead department, district, category and campaign (`statistics_days`), kept by a trigger on `suggestions` in the statement that changes a row and rebuilt when the working-day calendar changes (migration `statistics_by_day`; test/integration/statistics-summary.test.ts holds it to a direct count, after real lifecycles too). The summary by day is tens of thousands of rows a year, so a second one by month (`statistics_months`, the same trigger, migration `statistics_by_month`) holds each month's sum: a year reads its twelve months' rows, and only a period that cuts a month reads that month's days.",
  '- **The overdue list** read the whole table (no index on `overdue`): a partial index on `(due_at, id) WHERE overdue`.',
  '- **A filtered list deep in its cursor** (category, district, newest first) read every row of the category and district: an index on `(category, district, received_at, id)`, and the cursor states the bound its OR implies (`received_at <= the cursor`), so the scan starts at the cursor.',
  "- **The public board** with its filters read the whole table for its page and its count: partial indexes on the board's rows (`publish_consent`, replied, adopted or partially adopted) by `decided_at DESC, id`, and by district and category first.",
  "- **/similar** found every suggestion of five years sharing a word, then read each one's row to see whether it was open or closed in the last 180 days: the window is kept beside the words (`suggestion_terms.closed_at`, `window_months`, by a trigger on `suggestions`) under one GIN index on `(terms, window_months)`, and the 200 candidates are chosen before their suggestions are read.",
  '- The department inbox and the triage queue already had what they need (`status, due_at`): a few thousand open suggestions, whatever the size of the archive.',
  '',
  "The API's own cost per request (Express, authentication, Prisma's query building and result mapping, the response's JSON) is the same at any size; where the statement takes a millisecond, that cost, not the SQL, is most of the API's latency, and on two shared cores it is what the p99 ratio measures. A CPU profile of the API serving the triage queue spreads it over Prisma (12%), socket writes (12%), garbage collection (6%), Express's router (6%), `pg` and zod: no one place to cut.",
];

export function archiveReport(r: ArchiveResult, opts: { years: number }): string {
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const top = Math.max(...r.cases.flatMap((c) => c.runs.map((x) => x.connections)));
  const verdict = (c: CaseResult) => {
    const at = c.runs.find((x) => x.connections === top);
    if (!at) return '—';
    const limit = c.name.startsWith('statistics') ? goals.statisticsMs : goals.p99Ms;
    const misses = [
      at.api.p99 > limit ? `p99 ${at.api.p99} ms > ${limit}` : '',
      at.api.p99 > goals.p99Ratio * at.bare.p99 ? `ratio ${ratio(at.api.p99, at.bare.p99)} > ${goals.p99Ratio}` : '',
    ].filter(Boolean);
    return misses.length ? `not met (${misses.join('; ')})` : 'met';
  };
  const rows = r.cases.flatMap((c) =>
    c.runs.map(({ connections, api, bare }) => [
      c.name,
      connections,
      api.throughput.toFixed(0),
      `${api.p50} / ${api.p99}`,
      bare.throughput.toFixed(0),
      `${bare.p50} / ${bare.p99}`,
      ratio(api.p99, bare.p99),
      api.errors + api.non2xx + bare.errors + bare.non2xx,
      connections === top ? verdict(c) : '',
      connections === top ? c.load.toFixed(1) : '',
    ]),
  );
  const a = r.archive;
  const archiveLines = [
    `${a.suggestions.toLocaleString('en')} suggestions over ${opts.years} years, ${a.events.toLocaleString('en')} timeline events, ${a.notifications.toLocaleString('en')} notifications, ${
      a.reused ? 'the archive already in the database given (its writing not timed in this run)' : `written in ${a.seconds.toFixed(0)} s by bulk SQL`
    }; the statistics summary counted from them in ${(a.summarySeconds ?? 0).toFixed(1)} s.`,
    `At the end of the archive: ${Object.entries(a.byStatus)
      .map(([status, n]) => `${status} ${n.toLocaleString('en')}`)
      .join(', ')}; ${a.overdue.toLocaleString('en')} overdue.`,
    '',
    table(
      ['table', 'MiB (with indexes)', 'bytes per suggestion'],
      Object.entries(a.tableBytes).map(([name, bytes]) => [name, (bytes / MiB).toFixed(0), (bytes / a.suggestions).toFixed(0)]),
    ),
  ];
  return [
    `## The archive: ${a.suggestions.toLocaleString('en')} suggestions, read`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. ${loadNote(r.loadAtStart)} Load average at the end ${r.loadAtEnd.toFixed(1)}.`,
    "Written by `npm run bench:archive` (bench/archive.ts): the read model filled with a city's archive by bulk SQL (bench/support/archive-data.ts), then each page",
    'through the API (autocannon) against the same statements through `pg` directly (bench/baseline/bare-sql-server.ts), captured from the',
    "ORM as the API's own code issues them; windows in the order bare, API, API, bare, each side's two pooled. The public pages are read as",
    'by many citizens (each request its own X-Forwarded-For behind TRUST_PROXY=loopback), so the rate limit counts each apart as in production.',
    `Goal: every API p99 at most ${goals.p99Ratio}× its bare SQL's and under ${goals.p99Ms} ms at ${top} connections; statistics for a year under ${goals.statisticsMs} ms.`,
    '',
    ...archiveLines,
    '',
    table(['page', 'connections', 'API req/s', 'API p50 / p99 ms', 'bare SQL req/s', 'bare p50 / p99 ms', 'p99 ratio', 'failed', 'goal', 'load average'], rows),
    '',
    ...planNotes,
    '',
    ...r.cases.flatMap((c) => [
      `<details><summary>${c.name}: ${c.what} — <code>GET ${c.path.replace(/cursor=[^&]+/, 'cursor=…')}</code>, ${c.statements.flat().length} statement(s), their plans</summary>`,
      '',
      ...c.statements
        .flat()
        .flatMap((s, i) => [
          '```sql',
          s.text.replace(/"public"\."suggestions"\./g, ''),
          '-- ' + JSON.stringify(s.values).slice(0, 300),
          '',
          c.plans[i] ?? '',
          '```',
        ]),
      '',
      '</details>',
      '',
    ]),
  ].join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      suggestions: { type: 'string', default: '1000000' },
      years: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '1,16' },
      smoke: { type: 'boolean', default: false },
    },
  });
  const smoke = values.smoke!;
  const years = Number(values.years);
  const result = await benchArchive({
    suggestions: smoke ? 5_000 : Number(values.suggestions),
    years,
    seconds: smoke ? 1 : Number(values.seconds),
    concurrency: smoke ? [4] : values.concurrency!.split(',').map(Number),
    log: (m) => process.stderr.write(`[bench] ${m}\n`),
  });
  const section = values.suggestions === '1000000' ? 'archive' : `archive-${values.suggestions}`;
  report(section, archiveReport(result, { years }), smoke);
}

runWhenMain(module, main);
