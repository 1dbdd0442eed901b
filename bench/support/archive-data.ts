import { Client } from 'pg';
import { cityWide } from '../../domain/profile';
import type { Category, District } from '../../domain/vocabulary';
import { loadProfileFile } from '../../profiles';
import { profileOf } from '../../segmenter';
import { labelledSuggestions } from './similarity-corpus';

/** The archive is Shanghai's: its categories, districts (and the whole city), departments and routing rules, from the shipped profile. */
const shanghai = loadProfileFile('shanghai').profile.document;
const categories: Category[] = shanghai.categories.map((c) => c.code);
const districts: District[] = [...shanghai.districts.map((d) => d.code), cityWide];
const departments = shanghai.departments;
const routingRules = shanghai.routingRules;

// A city's archive in the read model, written by bulk SQL (generate_series inside PostgreSQL, no
// round trip per row), not through the API: `suggestions` with their proposers, tracking tokens
// and data keys, the timeline (`suggestion_events`) and the outbox (`notifications`), as the
// workflow's projections would have left them after years of service.
//
// Each suggestion is given a fate drawn when it arrives (how long routing, the decision, the rating
// and the implementation take, what was decided, how the proposer rated it) and is shown as it
// stands at `now`: most are closed, the recent ones are still open, and those past their limit are
// overdue. Spread: volume growing 15% a year, fewer on weekends, busy hours; categories and districts
// Zipf-like (transport and Pudong first); departments by the seeded routing rules, with street
// offices taking part of the neighbourhood matters and district governments the matters no rule
// routes (triaged by the office).

export interface ArchiveOptions {
  suggestions: number;
  years: number;
  /** The instant the archive ends at: open suggestions, overdue flags and pending messages are as of then. */
  now: Date;
  /** PostgreSQL's random seed, in [-1, 1]: the same seed gives the same archive. */
  seed?: number;
  log?: (m: string) => void;
}

export interface ArchiveSummary {
  suggestions: number;
  events: number;
  notifications: number;
  byStatus: Record<string, number>;
  overdue: number;
  /** Seconds the generation took, and the size of the read model's tables (bytes, with indexes). */
  seconds: number;
  tableBytes: Record<string, number>;
  /** Seconds the statistics summary took to count from the archive (set by bench/archive.ts). */
  summarySeconds?: number;
}

/** Zipf-like weights 1/k^s for k = 1..n, as cumulative thresholds for width_bucket (first 0). */
function zipfThresholds(n: number, s: number): number[] {
  const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const thresholds = [0];
  let sum = 0;
  for (const w of weights.slice(0, -1)) thresholds.push((sum += w / total));
  return thresholds;
}

function thresholdsOf(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const thresholds = [0];
  let sum = 0;
  for (const w of weights.slice(0, -1)) thresholds.push((sum += w / total));
  return thresholds;
}

/** Categories and districts by how often a city hears of them, most first. */
const categoryOrder: Category[] = [
  'transport',
  'city_appearance',
  'housing',
  'planning',
  'environment',
  'health',
  'education',
  'elderly_care',
  'public_safety',
  'market_regulation',
  'digital_government',
  'culture_tourism',
  'other',
];
const districtOrder: District[] = [
  'pudong',
  'minhang',
  'baoshan',
  'songjiang',
  'jiading',
  'xuhui',
  'yangpu',
  'putuo',
  'jingan',
  'huangpu',
  'changning',
  'hongkou',
  'qingpu',
  'fengxian',
  'jinshan',
  'chongming',
  'city',
];
const channelWeights: [string, number][] = [
  ['web', 40],
  ['hotline', 25],
  ['service_rating', 10],
  ['email', 6],
  ['letter', 4],
  ['visit', 3],
  ['station', 5],
  ['campaign', 7],
];
const replyChannelWeights: [string, number][] = [
  ['online', 45],
  ['sms', 25],
  ['phone', 20],
  ['email', 6],
  ['written', 4],
];
/** Matters a street office takes part of, in the districts. */
const neighbourhoodCategories: Category[] = ['city_appearance', 'housing', 'public_safety', 'elderly_care'];

const ownTitles: Record<Category, string[]> = {
  transport: ['地铁站出口增设非机动车停放点', '公交线路末班车延长至二十三点', '学校门口上下学时段交通疏导', '高架匝道口排队过长的建议'],
  city_appearance: ['小区周边占道经营的治理建议', '街心花园增设遮阳设施', '沿街店招整治后的夜间照明'],
  housing: ['老旧小区加装电梯的协调建议', '物业费公示和维修基金使用', '旧里改造居民临时安置'],
  planning: ['滨江步道贯通后的配套设施', '新建住宅区配建社区食堂'],
  environment: ['河道黑臭水体整治后的长效管理', '垃圾分类投放点的开放时间'],
  health: ['社区卫生服务中心延长门诊时间', '互联网医院复诊配药'],
  education: ['课后服务的时间和内容', '幼儿园托班学位'],
  elderly_care: ['社区长者食堂的布点', '独居老人紧急呼叫设备'],
  public_safety: ['电动自行车楼道充电的治理', '夜间施工噪声扰民'],
  market_regulation: ['预付卡消费的退款保障', '菜场价格公示'],
  digital_government: ['一网通办事项的办理指引', '随申码使用中的适老化'],
  culture_tourism: ['公共图书馆夜间开放', '历史风貌区的导览标识'],
  other: ['关于市民热线回访方式的建议', '社区公共空间的使用'],
};
/**
 * The texts a category's suggestions carry: the labelled suggestions of the similarity benchmark
 * (test/fixtures/similarity/, title and content as citizens wrote them) and the titles above, each
 * matter raised again and again over the years as a city's are (the same stop, the same lift, the
 * same market): what GET /v1/suggestions/{id}/similar looks through. No sentence is shared by all
 * of them: a boilerplate paragraph in every suggestion would make every suggestion like every other.
 */
function textsOf(): { category: Category; k: number; n: number; title: string; content: string }[] {
  const rows: { category: Category; k: number; n: number; title: string; content: string }[] = [];
  for (const category of categories) {
    const texts = [
      ...labelledSuggestions()
        .filter((l) => l.category === category)
        .map((l) => ({ title: l.title, content: l.content })),
      ...ownTitles[category].map((title) => ({ title, content: `${title}，请有关部门研究。` })),
    ];
    texts.forEach((t, i) => rows.push({ category, k: i + 1, n: texts.length, ...t }));
  }
  return rows;
}

const contentSentence =
  '建议有关部门结合实际情况研究解决，具体情况如下：该问题已经持续较长时间，周边居民反映较多，希望能够统筹考虑、分步实施，并及时向市民公开进展。';

function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Every (category, district): the lead department, its co-handling departments, and street offices that may take it instead. */
function routeTable(): string {
  const rows: string[] = [];
  for (const category of categories) {
    for (const district of districts) {
      const rule =
        routingRules.find((r) => r.category === category && r.district === district) ?? routingRules.find((r) => r.category === category && !r.district);
      const districtGov = district === 'city' ? 'civil-affairs' : `${district}-gov`;
      const lead = rule?.leadDepartment ?? districtGov;
      const co = rule?.coDepartments ?? [];
      const streets = district !== 'city' && neighbourhoodCategories.includes(category) ? [1, 2, 3].map((k) => `${district}-street-${k}`) : [];
      rows.push(
        `(${sqlText(category)}, ${sqlText(district)}, ${sqlText(lead)}, ARRAY[${co.map(sqlText).join(',')}]::text[], ARRAY[${streets.map(sqlText).join(',')}]::text[], ${rule ? 'true' : 'false'})`,
      );
    }
  }
  return rows.join(',\n');
}

/** The district governments and street offices the archive routes to, beyond the seeded departments. */
function extraDepartments(): string {
  const known = new Set(departments.map((d) => d.code));
  const rows: string[] = [];
  for (const district of districts) {
    if (district === 'city') continue;
    const gov = `${district}-gov`;
    if (!known.has(gov))
      rows.push(`(${sqlText(gov)}, ${sqlText(`${district}区人民政府`)}, ${sqlText(`${district} District Government`)}, 'district', ${sqlText(district)})`);
    for (const k of [1, 2, 3])
      rows.push(
        `(${sqlText(`${district}-street-${k}`)}, ${sqlText(`${district}区第${k}街道办事处`)}, ${sqlText(`Street office ${k}, ${district}`)}, 'street', ${sqlText(district)})`,
      );
  }
  return rows.join(',\n');
}

const arrayLiteral = (values: (string | number)[]) => `ARRAY[${values.map((v) => (typeof v === 'number' ? String(v) : sqlText(v))).join(',')}]`;

/** An instant as the workflow writes it in JSON (UTC, milliseconds, Z). */
const iso = (expr: string) => `to_char(${expr}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The timeline a fate leaves, as (type, actor, instant, whether it happened, detail); only those before `now` are written. */
const timeline: { type: string; actor: string; at: string; when: string; detail: string }[] = [
  { type: 'registered', actor: `'system'`, at: `received_at + interval '1 second'`, when: 'true', detail: `jsonb_build_object('channel', channel)` },
  {
    type: 'sent_to_triage',
    actor: `'system'`,
    at: `received_at + interval '2 seconds'`,
    when: 'NOT auto_routed',
    detail: `'{"reason": "no routing rule matched"}'::jsonb`,
  },
  {
    type: 'closed_out_of_scope',
    actor: `'collection-office/triage'`,
    at: 'routed_at',
    when: 'out_of_scope',
    detail: `'{"kind": "personal_claim", "reason": "个人诉求，不属于人民建议", "referral": "12345市民服务热线"}'::jsonb`,
  },
  {
    type: 'assigned',
    actor: `CASE WHEN auto_routed THEN 'system' ELSE 'collection-office/triage' END`,
    at: 'routed_at',
    when: 'NOT out_of_scope',
    detail: `jsonb_build_object('dueAt', ${iso('due0')}, 'leadDepartment', lead, 'coDepartments', to_jsonb(co), 'returnableUntil', ${iso("routed_at + interval '7 days'")})`,
  },
  {
    type: 'merged_into',
    actor: `'collection-office/office'`,
    at: `routed_at + interval '2 hours'`,
    when: 'merged',
    detail: `jsonb_build_object('into', previous_id)`,
  },
  {
    type: 'reminded',
    actor: `'system'`,
    at: `due0 - interval '3 days'`,
    when: `NOT out_of_scope AND NOT merged AND decided1 > due0 - interval '3 days'`,
    detail: `jsonb_build_object('dueAt', ${iso('due0')}, 'department', lead, 'workingDaysLeft', 3)`,
  },
  {
    type: 'reminded',
    actor: `'system'`,
    at: `due0 - interval '1 day'`,
    when: `NOT out_of_scope AND NOT merged AND decided1 > due0 - interval '1 day'`,
    detail: `jsonb_build_object('dueAt', ${iso('due0')}, 'department', lead, 'workingDaysLeft', 1)`,
  },
  {
    type: 'extension_requested',
    actor: `lead || '/handler'`,
    at: `due0 - interval '2 days'`,
    when: `extended AND decided1 > due0 - interval '2 days'`,
    detail: `'{"days": 15, "unit": "calendar_days", "reason": "需要会同相关单位现场踏勘"}'::jsonb`,
  },
  {
    type: 'extension_approved',
    actor: `'supervisor'`,
    at: `due0 - interval '2 days' + interval '4 hours'`,
    when: `extended AND decided1 > due0 - interval '2 days'`,
    detail: `jsonb_build_object('dueAt', ${iso('due_at')}, 'previousDueAt', ${iso('due0')})`,
  },
  {
    type: 'escalated_overdue',
    actor: `'system'`,
    at: 'due_at',
    when: 'NOT out_of_scope AND NOT merged AND decided1 > due_at',
    detail: `jsonb_build_object('dueAt', ${iso('due_at')}, 'department', lead)`,
  },
  {
    type: 'decided',
    actor: `lead || '/handler'`,
    at: 'decided1',
    when: 'NOT out_of_scope',
    detail: `jsonb_build_object('outcome', outcome1) || CASE WHEN adopted THEN jsonb_build_object('usage', jsonb_build_array(usage), 'milestones', milestones) ELSE '{}' END`,
  },
  { type: 'replied', actor: 'lead', at: 'decided1', when: 'NOT out_of_scope', detail: `jsonb_build_object('round', 1, 'channel', reply_channel)` },
  {
    type: 'implementation_started',
    actor: 'lead',
    at: 'decided1',
    when: 'adopted',
    detail: `jsonb_build_object('usage', jsonb_build_array(usage), 'milestones', milestones)`,
  },
  {
    type: 'rated',
    actor: `'proposer'`,
    at: 'rated1',
    when: 'rated1 IS NOT NULL AND NOT out_of_scope',
    detail: `jsonb_build_object('round', 1, 'rating', rating1)`,
  },
  { type: 'not_rated', actor: `'system'`, at: `decided1 + interval '21 days'`, when: 'rated1 IS NULL AND NOT out_of_scope', detail: `'{"round": 1}'::jsonb` },
  {
    type: 'rehandling_opened',
    actor: `'system'`,
    at: 'rated1',
    when: 'rehandle',
    detail: `jsonb_build_object('dueAt', ${iso("rated1 + interval '30 days'")}, 'department', lead)`,
  },
  { type: 'decided_again', actor: `lead || '/handler'`, at: 'decided2', when: 'rehandle', detail: `jsonb_build_object('outcome', outcome2)` },
  { type: 'replied', actor: 'lead', at: 'decided2', when: 'rehandle', detail: `jsonb_build_object('round', 2, 'channel', reply_channel)` },
  { type: 'rated', actor: `'proposer'`, at: 'rated2', when: 'rehandle AND rated2 IS NOT NULL', detail: `jsonb_build_object('round', 2, 'rating', rating2)` },
  { type: 'not_rated', actor: `'system'`, at: `decided2 + interval '21 days'`, when: 'rehandle AND rated2 IS NULL', detail: `'{"round": 2}'::jsonb` },
  {
    type: 'milestone_done',
    actor: `lead || '/handler'`,
    at: 'implemented_at',
    when: 'adopted',
    detail: `jsonb_build_object('milestoneId', 'M' || milestones, 'percent', 100)`,
  },
  { type: 'implemented', actor: `'system'`, at: 'implemented_at', when: 'adopted', detail: `jsonb_build_object('milestones', milestones)` },
  {
    type: 'follow_up_scheduled',
    actor: `'system'`,
    at: 'implemented_at',
    when: 'adopted',
    detail: `jsonb_build_object('askedAt', ${iso('follow_up_at')}, 'department', lead, 'answerDueAt', ${iso("follow_up_at + interval '30 days'")})`,
  },
  { type: 'follow_up_answered', actor: `lead || '/handler'`, at: 'answered_at', when: 'adopted', detail: `'{"stillInPlace": true}'::jsonb` },
  {
    type: 'closed',
    actor: `'system'`,
    at: 'closed_at1',
    when: 'NOT out_of_scope',
    detail: `jsonb_build_object('satisfaction', CASE WHEN coalesce(rated2, rated1) IS NULL THEN 'not_rated' ELSE 'rated' END)`,
  },
];

/** The outbox rows a fate leaves: (key, recipient, channel, subject, instant, whether, send_after). */
const outbox: { key: string; recipient: string; channel: string; subject: string; at: string; when: string; sendAfter?: string }[] = [
  {
    key: 'acknowledgement',
    recipient: `'proposer'`,
    channel: 'reply_channel',
    subject: `'Suggestion received: ' || id`,
    at: `received_at + interval '1 second'`,
    when: 'true',
  },
  { key: 'assigned-2', recipient: `'department:' || lead`, channel: `'online'`, subject: `'New suggestion ' || id`, at: 'routed_at', when: 'NOT out_of_scope' },
  { key: 'out-of-scope', recipient: `'proposer'`, channel: 'reply_channel', subject: `'Where to turn with ' || id`, at: 'routed_at', when: 'out_of_scope' },
  {
    key: 'reminder-3',
    recipient: `'department:' || lead`,
    channel: `'online'`,
    subject: `'Reminder: ' || id || ' is due in 3 working day(s)'`,
    at: `due0 - interval '3 days'`,
    when: `NOT out_of_scope AND NOT merged AND decided1 > due0 - interval '3 days'`,
  },
  {
    key: 'overdue',
    recipient: `'supervisors'`,
    channel: `'online'`,
    subject: `'Overdue: ' || id`,
    at: 'due_at',
    when: 'NOT out_of_scope AND NOT merged AND decided1 > due_at',
  },
  { key: 'reply-1', recipient: `'proposer'`, channel: 'reply_channel', subject: `'Reply to your suggestion ' || id`, at: 'decided1', when: 'NOT out_of_scope' },
  {
    key: 'implementation',
    recipient: `'department:' || lead`,
    channel: `'online'`,
    subject: `'Implementation planned: ' || id`,
    at: 'decided1',
    when: 'adopted',
  },
  {
    key: 'rating-1',
    recipient: `'department:' || lead`,
    channel: `'online'`,
    subject: `'Rating of ' || id || ': ' || rating1`,
    at: 'rated1',
    when: 'rated1 IS NOT NULL AND NOT out_of_scope',
  },
  { key: 'rehandling', recipient: `'department:' || lead`, channel: `'online'`, subject: `'Re-handling: ' || id`, at: 'rated1', when: 'rehandle' },
  { key: 'reply-2', recipient: `'proposer'`, channel: 'reply_channel', subject: `'Reply to your suggestion ' || id`, at: 'decided2', when: 'rehandle' },
  {
    key: 'implemented',
    recipient: `'proposer'`,
    channel: 'reply_channel',
    subject: `'Your suggestion ' || id || ' is implemented'`,
    at: 'implemented_at',
    when: 'adopted',
  },
  {
    key: 'follow-up',
    recipient: `'department:' || lead`,
    channel: `'online'`,
    subject: `'Follow-up check: ' || id`,
    at: 'implemented_at',
    when: 'adopted',
    sendAfter: 'follow_up_at',
  },
];

/**
 * Fills the read model with an archive of `suggestions` suggestions received over `years` years up
 * to `now`. The tables must hold no suggestion yet (a database of its own, migrated and seeded).
 */
export async function fillArchive(databaseUrl: string, opts: ArchiveOptions): Promise<ArchiveSummary> {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t = Date.now();
    const result = await client.query(sql, params);
    log(`${what}: ${result.rowCount ?? 0} rows, ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return result;
  };
  try {
    const existing = await client.query('SELECT count(*)::int AS n FROM suggestions');
    if (existing.rows[0].n > 0) throw new Error(`the read model already holds ${existing.rows[0].n} suggestions: the archive is written into an empty one`);
    // One backend, one plan, the seed's sequence of random numbers: the same archive each time.
    await client.query('SET max_parallel_workers_per_gather = 0');
    await client.query('SET synchronous_commit = off');
    await client.query("SET work_mem = '256MB'");
    await client.query("SET maintenance_work_mem = '512MB'");
    // Written as a restore writes: no foreign-key checks row by row (every reference is made here),
    // no statistics trigger (the summary is counted once at the end, as after a calendar change).
    await client.query("SET session_replication_role = 'replica'");
    await client.query('SELECT setseed($1)', [opts.seed ?? 0.42]);

    await step('departments', `INSERT INTO departments (code, name, name_en, level, district) VALUES ${extraDepartments()} ON CONFLICT DO NOTHING`);
    const now = opts.now.toISOString();
    const startsAt = new Date(opts.now.getTime() - opts.years * 365.25 * 86_400_000).toISOString();
    const campaignRows: string[] = [];
    for (let year = new Date(startsAt).getUTCFullYear(); year <= opts.now.getUTCFullYear(); year++) {
      // Six thematic campaigns a year, two months each (主动征集).
      for (let k = 1; k <= 6; k++) {
        const opens = new Date(Date.UTC(year, 2 * (k - 1), 1) - 8 * 3_600_000);
        const closes = new Date(Date.UTC(year, 2 * k, 1) - 8 * 3_600_000 - 1);
        const status = closes.getTime() < opts.now.getTime() ? 'closed' : opens.getTime() <= opts.now.getTime() ? 'open' : 'scheduled';
        const topic = categoryOrder[(year * 6 + k) % 12];
        const lead = routingRules.find((r) => r.category === topic && !r.district)?.leadDepartment ?? 'collection-office';
        campaignRows.push(
          `(${sqlText(`CAMP-${year}-${k}`)}, 'campaign', ${sqlText(`campaign-CAMP-${year}-${k}`)}, ${sqlText(`${year}年第${k}期专题征集`)}, ${sqlText(contentSentence)}, ARRAY['意见建议']::text[], ${sqlText(lead)}, ${sqlText(opens.toISOString())}::timestamp, ${sqlText(closes.toISOString())}::timestamp, ${sqlText(status)}, 1, now(), now())`,
        );
      }
    }
    await step(
      'campaigns',
      `INSERT INTO campaigns (id, kind, workflow_id, title, description, topics, lead_department, opens_at, closes_at, status, version, created_at, updated_at) VALUES ${campaignRows.join(',\n')} ON CONFLICT DO NOTHING`,
    );

    await client.query('DROP TABLE IF EXISTS pg_temp.archive_routes, pg_temp.archive_draws, pg_temp.archive_fates');
    await client.query(
      'CREATE TEMP TABLE archive_routes (category text, district text, lead text, co text[], streets text[], ruled boolean, PRIMARY KEY (category, district))',
    );
    await client.query(`INSERT INTO archive_routes VALUES ${routeTable()}`);

    // The draws: when it came (volume growing 15% a year), what about, where from, how, and the dice of its fate.
    const growth = Math.log(1.15) * opts.years;
    const dice = [
      'r_weekend',
      'r_hour',
      'r_minute',
      'r_street',
      'r_street_k',
      'r_triage',
      'r_oos',
      'r_merge',
      'r_ext',
      'r_outcome',
      'r_outcome2',
      'r_consent',
      'r_rated',
      'r_rated_at',
      'r_rating',
      'r_rehandle',
      'r_decide2',
      'r_rated2',
      'r_rating2',
      'r_impl',
      'r_milestones',
      'r_answer',
      'r_title',
      'r_usage',
      'r_details',
    ];
    await step(
      'draws',
      `CREATE TEMP TABLE archive_draws AS
       WITH raw AS (
         SELECT n, ln(1 + random() * (exp(${growth}) - 1)) / ${growth} AS t,
           width_bucket(random(), ${arrayLiteral(zipfThresholds(categoryOrder.length, 1))}::float8[]) AS cat_i,
           width_bucket(random(), ${arrayLiteral(zipfThresholds(districtOrder.length, 0.8))}::float8[]) AS dist_i,
           width_bucket(random(), ${arrayLiteral(thresholdsOf(channelWeights.map(([, w]) => w)))}::float8[]) AS chan_i,
           width_bucket(random(), ${arrayLiteral(thresholdsOf(replyChannelWeights.map(([, w]) => w)))}::float8[]) AS reply_i,
           random_normal(ln(9), 0.75) AS decide_ln,
           ${dice.map((d) => `random() AS ${d}`).join(', ')}
         FROM generate_series(1, $1::int) AS n
       ),
       placed AS (
         -- The day in Shanghai; half of a weekend's suggestions come on the Monday instead.
         SELECT raw.*, date_trunc('day', $2::timestamp + t * ($3::timestamp - $2::timestamp) + interval '8 hours') AS day0 FROM raw
       )
       SELECT n,
         least($3::timestamp - interval '1 minute',
           CASE WHEN extract(isodow FROM day0) >= 6 AND r_weekend < 0.5 THEN day0 + (8 - extract(isodow FROM day0)) * interval '1 day' ELSE day0 END
           -- Busy hours: mornings and afternoons, some in the evening.
           + (${arrayLiteral([8, 9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17, 19, 20, 21, 22])})[1 + floor(r_hour * 20)::int] * interval '1 hour'
           + r_minute * interval '1 hour' - interval '8 hours') AS received_at,
         (${arrayLiteral(categoryOrder)})[cat_i] AS category,
         (${arrayLiteral(districtOrder)})[dist_i] AS district,
         (${arrayLiteral(channelWeights.map(([c]) => c))})[chan_i] AS channel,
         (${arrayLiteral(replyChannelWeights.map(([c]) => c))})[reply_i] AS reply_channel,
         decide_ln, ${dice.join(', ')}
       FROM placed`,
      [opts.suggestions, startsAt, now],
    );

    // Each suggestion's fate: when each step happens, whether or not it has by `now`.
    await step(
      'fates',
      `CREATE TEMP TABLE archive_fates AS
       WITH routed AS (
         SELECT d.*, r.ruled OR d.channel = 'campaign' AS auto_routed,
           CASE WHEN cardinality(r.streets) > 0 AND d.r_street < 0.3 THEN r.streets[1 + floor(d.r_street_k * d.r_street_k * 3)::int] ELSE r.lead END AS lead,
           CASE WHEN cardinality(r.streets) > 0 AND d.r_street < 0.3 THEN ARRAY[r.lead] ELSE r.co END AS co,
           CASE WHEN d.channel = 'campaign' THEN 'CAMP-' || extract(year FROM d.received_at + interval '8 hours') || '-' || (1 + floor((extract(month FROM d.received_at + interval '8 hours') - 1) / 2)) END AS campaign_id,
           -- A tracking number: the day, and six characters of a bijection of n (distinct for every n below 2^30).
           'JY-' || to_char(d.received_at + interval '8 hours', 'YYYYMMDD') || '-' ||
             (SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + ((((d.n::bigint * 738197467) % 1073741824) >> (5 * k)) % 32)::int, 1), '' ORDER BY k DESC) FROM generate_series(0, 5) AS k) AS id,
           (${arrayLiteral(['livelihood_measure', 'improving_work', 'law_or_policy', 'other'])})[1 + floor(d.r_usage * d.r_usage * 4)::int] AS usage
         FROM archive_draws d JOIN archive_routes r USING (category, district)
       ),
       timed AS (
         SELECT *,
           lag(id) OVER (PARTITION BY category, district ORDER BY received_at) AS previous_id,
           received_at + CASE WHEN auto_routed THEN (2 + r_triage * 20) * interval '1 second' ELSE (0.1 + 3 * r_triage * r_triage) * interval '1 day' END AS routed_at,
           NOT auto_routed AND r_oos < 0.08 AS out_of_scope,
           r_ext < 0.03 AS extended,
           -- The response deadline: 30 calendar days after the day of receipt, to the end of that day in Shanghai.
           date_trunc('day', received_at + interval '8 hours') + interval '31 days' - interval '8 hours' - interval '1 millisecond' AS due0,
           CASE WHEN r_outcome < 0.06 THEN 'adopted' WHEN r_outcome < 0.11 THEN 'partially_adopted' WHEN r_outcome < 0.63 THEN 'for_reference' ELSE 'not_adopted' END AS outcome1,
           CASE WHEN r_outcome2 < 0.5 THEN 'not_adopted' ELSE 'for_reference' END AS outcome2,
           1 + floor(r_milestones * 3)::int AS milestones,
           r_consent < 0.4 AS publish_consent
         FROM routed
       ),
       decided AS (
         SELECT *,
           auto_routed AND channel <> 'campaign' AND r_merge < 0.02 AND previous_id IS NOT NULL AS merged,
           due0 + CASE WHEN extended THEN interval '15 days' ELSE interval '0' END AS due_at,
           routed_at + least(120, exp(decide_ln) * CASE WHEN extended THEN 1.6 ELSE 1 END) * interval '1 day' AS decided1,
           outcome1 IN ('adopted', 'partially_adopted') AS adopted
         FROM timed
       ),
       rated AS (
         SELECT *,
           CASE WHEN r_rated < 0.72 THEN decided1 + (0.2 + 14 * r_rated_at * r_rated_at) * interval '1 day' END AS rated1,
           CASE WHEN r_rating < 0.62 THEN 'satisfied' WHEN r_rating < 0.87 THEN 'basically_satisfied' ELSE 'dissatisfied' END AS rating1,
           CASE WHEN r_rating2 < 0.4 THEN 'satisfied' WHEN r_rating2 < 0.8 THEN 'basically_satisfied' ELSE 'dissatisfied' END AS rating2
         FROM decided
       ),
       second AS (
         SELECT *,
           NOT adopted AND rated1 IS NOT NULL AND rating1 = 'dissatisfied' AND r_rehandle < 0.7 AS rehandle,
           CASE WHEN adopted THEN decided1 + milestones * (15 + 25 * r_impl) * interval '1 day' END AS implemented_at,
           CASE WHEN adopted THEN decided1 + milestones * 30 * interval '1 day' END AS milestone_due
         FROM rated
       ),
       again AS (
         SELECT *,
           CASE WHEN rehandle THEN rated1 + (3 + 17 * r_decide2) * interval '1 day' END AS decided2,
           CASE WHEN rehandle AND r_rated2 < 0.8 THEN rated1 + (3 + 17 * r_decide2 + 0.5 + 9 * r_rated2) * interval '1 day' END AS rated2,
           CASE WHEN adopted THEN implemented_at + interval '91 days' END AS follow_up_at,
           CASE WHEN adopted THEN implemented_at + (92 + 20 * r_answer) * interval '1 day' END AS answered_at
         FROM second
       )
       SELECT *,
         CASE WHEN out_of_scope THEN routed_at
           ELSE greatest(CASE WHEN rehandle THEN coalesce(rated2, decided2 + interval '21 days') ELSE coalesce(rated1, decided1 + interval '21 days') END, answered_at)
         END AS closed_at1
       FROM again`,
    );

    // Where each stands at \`now\`.
    await step(
      'states',
      `CREATE TEMP TABLE archive_states AS
       SELECT f.*, CASE
           WHEN out_of_scope THEN CASE WHEN routed_at <= $1 THEN 'closed' ELSE 'triage' END
           WHEN routed_at > $1 THEN 'triage'
           WHEN decided1 > $1 THEN CASE WHEN merged THEN 'merged' ELSE 'handling' END
           WHEN closed_at1 <= $1 THEN 'closed'
           WHEN rehandle AND rated1 <= $1 AND decided2 > $1 THEN 'rehandling'
           WHEN adopted AND implemented_at > $1 THEN 'implementing'
           WHEN adopted THEN 'implemented'
           ELSE 'replied' END AS status,
         decided1 <= $1 AND NOT out_of_scope AS decided,
         rehandle AND decided2 <= $1 AS decided_twice,
         ${timeline.map((e) => `CASE WHEN (${e.when}) AND (${e.at}) <= $1 THEN 1 ELSE 0 END`).join(' + ')} AS version
       FROM archive_fates f`,
      [now],
    );

    await client.query('DROP TABLE IF EXISTS pg_temp.archive_texts');
    await client.query('CREATE TEMP TABLE archive_texts (category text, k int, n int, title text, content text, PRIMARY KEY (category, k))');
    await client.query(`INSERT INTO archive_texts SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(category text, k int, n int, title text, content text)`, [
      JSON.stringify(textsOf()),
    ]);
    const limits = {
      route: { unit: 'calendar_days', amount: 15 },
      respond: { unit: 'calendar_days', amount: 30 },
      coOpinion: { unit: 'working_days', amount: 10 },
      maxExtension: { unit: 'calendar_days', amount: 30 },
      emergencyRoute: { unit: 'working_days', amount: 1 },
      returnToTriage: { unit: 'working_days', amount: 5 },
      emergencyRespond: { unit: 'working_days', amount: 1 },
    };
    const handlingBase = {
      limits,
      policy: { maxReturns: 2, maxExtensions: 1, reminderOffsets: [3, 1] },
      urgent: false,
      returns: [],
      opinions: [],
      officeOnly: false,
    };
    const satisfaction = `jsonb_build_object(
        'round', CASE WHEN rehandle AND rated1 <= $1 THEN 2 ELSE 1 END,
        'state', CASE WHEN coalesce(CASE WHEN rehandle THEN rated2 ELSE rated1 END, decided1 + interval '21 days') <= $1 AND (NOT rehandle OR decided2 <= $1)
                   THEN CASE WHEN (CASE WHEN rehandle THEN rated2 ELSE rated1 END) IS NULL THEN 'not_rated' ELSE 'rated' END ELSE 'awaiting' END,
        'ratings', CASE WHEN rated1 <= $1 THEN jsonb_build_array(jsonb_build_object('at', ${iso('rated1')}, 'round', 1, 'rating', rating1)) ELSE '[]' END
          || CASE WHEN rated2 <= $1 THEN jsonb_build_array(jsonb_build_object('at', ${iso('rated2')}, 'round', 2, 'rating', rating2)) ELSE '[]' END,
        'windowEndsAt', ${iso("coalesce(decided2, decided1) + interval '21 days'")})`;
    const implementation = `jsonb_build_object(
        'usage', jsonb_build_array(usage), 'summary', title || '：按计划分步实施', 'startedAt', ${iso('decided1')}, 'revisions', '[]'::jsonb,
        'milestones', (SELECT jsonb_agg(jsonb_build_object('id', 'M' || m, 'title', '第' || m || '阶段', 'ownerDepartment', lead, 'dueInWorkingDays', 20,
            'dueAt', ${iso("decided1 + m * interval '30 days'")}, 'percent', CASE WHEN implemented_at <= $1 OR decided1 + m * (15 + 25 * r_impl) * interval '1 day' <= $1 THEN 100 ELSE 40 END,
            'reports', '[]'::jsonb) || CASE WHEN decided1 + m * (15 + 25 * r_impl) * interval '1 day' <= $1 THEN jsonb_build_object('doneAt', ${iso("decided1 + m * (15 + 25 * r_impl) * interval '1 day'")}) ELSE '{}' END ORDER BY m)
          FROM generate_series(1, milestones) AS m))
      || CASE WHEN implemented_at <= $1 THEN jsonb_build_object('implementedAt', ${iso('implemented_at')},
           'followUp', jsonb_build_object('dueAt', ${iso('follow_up_at')}, 'answerDueAt', ${iso("follow_up_at + interval '30 days'")})
             || CASE WHEN follow_up_at <= $1 THEN jsonb_build_object('askedAt', ${iso('follow_up_at')}) ELSE '{}' END
             || CASE WHEN answered_at <= $1 THEN jsonb_build_object('confirmedAt', ${iso('answered_at')}, 'stillInPlace', true) ELSE '{}' END)
         ELSE '{}' END`;
    await step(
      'suggestions',
      `INSERT INTO suggestions (id, tracking_number, workflow_id, channel, category, district, title, content, status, lead_department, co_departments,
          campaign_id, received_at, due_at, due_at_provisional, merged_into, raised_by, grouping, overdue, handling, feedback, outcome, decision_reason, reply,
          decided_at, replied_at, closed_at, publish_consent, version, created_at, updated_at)
       SELECT id, id, 'suggestion-' || id, channel, category, district, title, content, status,
         CASE WHEN routed_at <= $1 AND NOT out_of_scope THEN lead END,
         CASE WHEN routed_at <= $1 AND NOT out_of_scope THEN co ELSE '{}' END,
         campaign_id, received_at,
         CASE WHEN status = 'triage' THEN date_trunc('day', received_at + interval '8 hours') + interval '16 days' - interval '8 hours' - interval '1 millisecond'
              WHEN status = 'merged' THEN NULL
              -- The deadline that binds stays shown once the decision is made: the response's, or the re-handling's.
              WHEN rehandle AND rated1 <= $1 THEN rated1 + interval '30 days'
              ELSE due_at END,
         false,
         CASE WHEN merged AND routed_at + interval '2 hours' <= $1 THEN previous_id END, 1,
         CASE WHEN merged AND routed_at + interval '2 hours' <= $1 THEN jsonb_build_object('mergedInto', jsonb_build_object('into', previous_id, 'at', ${iso("routed_at + interval '2 hours'")})) END,
         CASE status WHEN 'handling' THEN due_at < $1 WHEN 'rehandling' THEN rated1 + interval '30 days' < $1 WHEN 'implementing' THEN milestone_due < $1 AND r_impl > 0.5 WHEN 'triage' THEN received_at + interval '16 days' < $1 ELSE false END,
         ${sqlText(JSON.stringify(handlingBase))}::jsonb || jsonb_build_object(
           'triageDueAt', ${iso("date_trunc('day', received_at + interval '8 hours') + interval '16 days' - interval '8 hours' - interval '1 millisecond'")},
           'assignedAt', CASE WHEN routed_at <= $1 THEN ${iso('routed_at')} END, 'responseDueAt', ${iso('due_at')}, 'returnableUntil', ${iso("routed_at + interval '7 days'")},
           'remindersSent', CASE WHEN decided1 > due0 - interval '3 days' AND due0 - interval '3 days' <= $1 THEN jsonb_build_array(lead || '@' || ${iso('due0')} || '-3') ELSE '[]' END,
           'extensions', CASE WHEN extended AND due0 - interval '2 days' <= $1 THEN jsonb_build_array(jsonb_build_object('id', 1, 'days', 15, 'unit', 'calendar_days', 'status', 'approved', 'newDueAt', ${iso('due_at')}, 'previousDueAt', ${iso('due0')})) ELSE '[]' END),
         CASE WHEN decided THEN jsonb_build_object('satisfaction', ${satisfaction}) || CASE WHEN adopted THEN jsonb_build_object('implementation', ${implementation}) ELSE '{}' END END,
         CASE WHEN decided_twice THEN outcome2 WHEN decided THEN outcome1 END,
         CASE WHEN decided AND NOT adopted THEN '已转有关部门研究，在后续工作中统筹考虑' END,
         CASE WHEN decided THEN '感谢您的建议。' || CASE WHEN adopted THEN '您的建议已被采纳，我们将按计划落实。' ELSE '我们已认真研究，将在今后的工作中参考。' END END,
         CASE WHEN decided_twice THEN decided2 WHEN decided THEN decided1 END,
         CASE WHEN decided_twice THEN decided2 WHEN decided THEN decided1 END,
         CASE WHEN status = 'closed' THEN closed_at1 END,
         publish_consent, version, received_at, received_at
       FROM (SELECT s.*, x.title, x.content FROM archive_states s JOIN archive_texts x ON x.category = s.category AND x.k = 1 + floor(s.r_title * x.n)::int) s
       ORDER BY received_at`,
      [now],
    );

    // The proposers (their details sealed as intake seals them: here only as long), data keys and tracking tokens.
    const sealedLength = `encode(decode(md5(id) || md5(id || 'a') || md5(id || 'b') || md5(id || 'c') || md5(id || 'd'), 'hex'), 'base64')`;
    await step(
      'proposers',
      `INSERT INTO proposers (suggestion_id, key_id, details, reply_channel, created_at)
       SELECT id, md5('key:' || id)::uuid::text, CASE WHEN r_details < 0.8 THEN 'dk:' || replace(${sealedLength}, E'\\n', '') END, reply_channel, received_at FROM archive_states ORDER BY received_at`,
    );
    await step(
      'proposer keys',
      `INSERT INTO proposer_keys (id, key, created_at)
       SELECT md5('key:' || id)::uuid::text, 'aes-gcm:archive:' || replace(encode(decode(md5(id || 'k') || md5(id || 'l') || md5(id || 'm'), 'hex'), 'base64'), E'\\n', ''), received_at FROM archive_states ORDER BY received_at`,
    );
    await step(
      'tracking tokens',
      `INSERT INTO tracking_tokens (suggestion_id, hash, issued_at) SELECT id, encode(sha256(convert_to(id, 'UTF8')), 'hex'), received_at FROM archive_states ORDER BY received_at`,
    );

    // The timeline, numbered per suggestion in the order it happened.
    await step(
      'timeline',
      `INSERT INTO suggestion_events (suggestion_id, seq, type, actor, at, detail)
       SELECT s.id, e.seq, e.type, e.actor, e.at, e.detail
       FROM archive_states s, LATERAL (
         SELECT row_number() OVER (ORDER BY v.at, v.k) AS seq, v.*
         FROM (VALUES ${timeline.map((e, k) => `(${k}, ${sqlText(e.type)}, ${e.actor}, ${e.at}, CASE WHEN (${e.when}) AND (${e.at}) <= $1 THEN ${e.detail} END)`).join(',\n')}) AS v(k, type, actor, at, detail)
         WHERE v.detail IS NOT NULL
       ) e
       ORDER BY s.received_at, e.seq`,
      [now],
    );
    // The outbox: sent, but for what was queued in the last minutes and what waits for its day.
    await step(
      'notifications',
      `INSERT INTO notifications (id, suggestion_id, recipient, channel, subject, body, status, created_at, sent_at, attempts, send_after)
       SELECT s.id || ':' || o.key, s.id, o.recipient, o.channel, o.subject, o.subject || '。' || ${sqlText(contentSentence)},
         CASE WHEN coalesce(o.send_after, o.at) <= $1::timestamp - interval '2 minutes' THEN 'sent' ELSE 'pending' END, o.at,
         CASE WHEN coalesce(o.send_after, o.at) <= $1::timestamp - interval '2 minutes' THEN coalesce(o.send_after, o.at) + interval '3 seconds' END, 0, o.send_after
       FROM archive_states s, LATERAL (VALUES ${outbox.map((o) => `(${sqlText(o.key)}, ${o.recipient}, ${o.channel}, CASE WHEN (${o.when}) AND (${o.at}) <= $1 THEN ${o.subject} END, ${o.at}, ${o.sendAfter ?? 'NULL::timestamp'})`).join(',\n')}) AS o(key, recipient, channel, subject, at, send_after)
       WHERE o.subject IS NOT NULL
       ORDER BY s.received_at, o.at`,
      [now],
    );
    await writeTerms(client, step, log);
    await client.query('DROP TABLE archive_routes, archive_draws, archive_fates, archive_states, archive_texts');
    await step(
      'analyze',
      'ANALYZE suggestions, suggestion_terms, suggestion_events, notifications, proposers, proposer_keys, tracking_tokens, departments, campaigns',
    );
    return { ...(await describeArchive(client)), seconds: (Date.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

type Step = (what: string, sql: string, params?: unknown[]) => Promise<unknown>;

/**
 * The words and places registration keeps for each suggestion (activities/suggestion-terms.ts):
 * segmented once per distinct text (title, content, district and category make the profile), then
 * written for every suggestion with that text.
 */
export async function writeTerms(client: Client, step: Step, log: (m: string) => void): Promise<void> {
  const t = Date.now();
  const texts = (
    await client.query<{ title: string; content: string; district: District; category: Category }>(
      'SELECT DISTINCT title, content, district, category FROM suggestions',
    )
  ).rows;
  const profiles = texts.map((text) => {
    const p = profileOf(text);
    return { ...text, terms: p.terms, weights: p.weights, places: p.places, place_names: p.placeNames };
  });
  log(`segmented ${profiles.length} distinct texts, ${((Date.now() - t) / 1000).toFixed(1)} s`);
  // As a restore writes: the GIN index built once over all the rows, not entry by entry.
  const ginIndexes = (
    await client.query<{ indexdef: string; indexname: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'suggestion_terms' AND indexdef ILIKE '%USING gin%'`,
    )
  ).rows;
  for (const index of ginIndexes) await client.query(`DROP INDEX "${index.indexname}"`);
  // A table the planner knows the size of: a hash join, not a scan of the archive per text.
  await client.query(
    'CREATE TEMP TABLE archive_profiles (title text, content text, district text, category text, terms text[], weights real[], places text[], place_names text[])',
  );
  await client.query(
    'INSERT INTO archive_profiles SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(title text, content text, district text, category text, terms text[], weights real[], places text[], place_names text[])',
    [JSON.stringify(profiles)],
  );
  await client.query('ANALYZE archive_profiles');
  // Even so a nested loop may be chosen (four text columns make its estimate of the matches small): a scan of a million rows per text.
  await client.query('SET enable_nestloop = off');
  await step(
    'suggestion terms',
    `INSERT INTO suggestion_terms (suggestion_id, terms, weights, places, place_names, closed_at, window_months)
     SELECT s.id, p.terms, p.weights, p.places, p.place_names, s.closed_at, ARRAY[coalesce(to_char(s.closed_at, 'YYYY-MM'), 'open')]
     FROM archive_profiles p JOIN suggestions s USING (title, content, district, category)
     ORDER BY s.received_at`,
  );
  await client.query('RESET enable_nestloop');
  await client.query('DROP TABLE archive_profiles');
  for (const index of ginIndexes) await step(`index ${index.indexname}`, index.indexdef);
}

/** What the archive in the read model holds: counts by status, rows and the tables' sizes. */
export async function describeArchive(client: Client): Promise<Omit<ArchiveSummary, 'seconds'>> {
  const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);
  const byStatus = Object.fromEntries(
    (await client.query('SELECT status, count(*)::int AS n FROM suggestions GROUP BY status ORDER BY status')).rows.map((r) => [r.status, r.n]),
  );
  const tables = ['suggestions', 'suggestion_terms', 'suggestion_events', 'notifications', 'proposers', 'proposer_keys', 'tracking_tokens'];
  const tableBytes: Record<string, number> = {};
  for (const table of tables) tableBytes[table] = await count(`SELECT pg_total_relation_size('${table}') AS n`);
  return {
    suggestions: await count('SELECT count(*) AS n FROM suggestions'),
    events: await count('SELECT count(*) AS n FROM suggestion_events'),
    notifications: await count('SELECT count(*) AS n FROM notifications'),
    byStatus,
    overdue: await count('SELECT count(*) AS n FROM suggestions WHERE overdue'),
    tableBytes,
  };
}
