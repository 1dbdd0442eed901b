import { labelledSuggestions, registerAll, type Registered, type LabelledSuggestion } from '../../bench/support/similarity-corpus';
import { sameMatterCheck } from '../../api/similarity';
import { as, client, conformanceChecker, serveApi, unlimited } from '../support/api-client';
import { ownDatabase } from '../support/service-process';
import { startStack, type Stack } from '../support/stack';

// 多件同一事项 through the API: the suggestions about the same matter as one (office, lead
// department), the public board's like a citizen's draft, and the period's hotspots. On a database
// of its own, so no other test's suggestions are among the answers.

let database: Awaited<ReturnType<typeof ownDatabase>>;
let stack: Stack;
let api: Awaited<ReturnType<typeof serveApi>>;
let check: ReturnType<typeof conformanceChecker>;
let rows: Registered<LabelledSuggestion>[];
const now = new Date('2026-11-20T04:00:00Z');
const day = 86_400_000;
const groups = ['guoding-stop-shelter', 'handan-stop-shelter', 'guoding-zhengli-crossing', 'guoding-illegal-parking', 'qishan-lift'];
const idsOf = (group: string) => rows.filter((r) => r.item.group === group).map((r) => r.id);

beforeAll(async () => {
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  api = await serveApi(stack, { rateLimits: unlimited, now: () => now });
  check = conformanceChecker((await client(api.baseUrl)('GET', '/openapi.json')).body);
  const items = labelledSuggestions().filter((s) => groups.includes(s.group));
  // The crossing's first two complaints came the month before; the rest in the last 30 days.
  let crossing = 0;
  rows = await registerAll(
    stack.db,
    stack.keys,
    items,
    (item, i) => new Date(now.getTime() - (item.group === 'guoding-zhengli-crossing' && crossing++ < 2 ? 40 : 1 + (i % 20)) * day),
  );
  await stack.db.suggestion.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { leadDepartment: 'transport', status: 'handling' } });
  // One Guoding Road shelter was adopted and published with its proposer's consent; another adopted one was not consented.
  const [published, unconsented] = idsOf('guoding-stop-shelter');
  const adopted = {
    status: 'implementing',
    outcome: 'adopted',
    decidedAt: now,
    repliedAt: now,
    feedback: { implementation: { summary: '国定路站加装候车亭和座椅', usage: ['improving_work'], milestones: [] } },
  };
  await stack.db.suggestion.update({ where: { id: published }, data: { ...adopted, publishConsent: true } });
  await stack.db.suggestion.update({ where: { id: unconsented }, data: adopted });
});
afterAll(async () => {
  await api.stop();
  await stack.stop();
  await database.drop();
});

test('the office sees the suggestions about the same matter, best first: the same stop, never the other stop, never itself', async () => {
  const [first, ...others] = idsOf('guoding-stop-shelter');
  const reply = await api.call('GET', `/v1/suggestions/${first}/similar`, undefined, as(await stack.issueKey('office')));
  expect(reply.status).toBe(200);
  expect(check('GET', `/v1/suggestions/${first}/similar`, reply)).toEqual([]);
  const ids = reply.body.items.map((i: { id: string }) => i.id);
  expect(ids).not.toContain(first);
  expect(ids.filter((id: string) => others.includes(id)).length).toBeGreaterThanOrEqual(2);
  for (const handan of idsOf('handan-stop-shelter')) expect(ids).not.toContain(handan);
  const scores = reply.body.items.map((i: { score: number }) => i.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  expect(reply.body.items[0]).toEqual({
    id: expect.any(String),
    score: expect.any(Number),
    title: expect.any(String),
    status: expect.any(String),
    department: 'transport',
  });
});

test('a department sees the similar suggestions of its own suggestions only, as it sees the suggestion itself', async () => {
  const [id] = idsOf('guoding-zhengli-crossing');
  expect((await api.call('GET', `/v1/suggestions/${id}/similar`, undefined, as(await stack.issueKey('department', 'transport')))).status).toBe(200);
  const other = await api.call('GET', `/v1/suggestions/${id}/similar`, undefined, as(await stack.issueKey('department', 'health')));
  expect(other.status).toBe(404);
  expect(check('GET', `/v1/suggestions/${id}/similar`, other)).toEqual([]);
  expect((await api.call('GET', '/v1/suggestions/JY-20261120-AAAAAA/similar', undefined, as(await stack.issueKey('office')))).status).toBe(404);
});

test("a citizen typing sees the board's published suggestions like it, and nobody's open or unconsented one", async () => {
  const [published] = idsOf('guoding-stop-shelter');
  const reply = await api.call('GET', `/v1/public/similar?text=${encodeURIComponent('国定路公交站没有候车亭，下雨天没地方躲雨')}&district=yangpu`);
  expect(reply.status).toBe(200);
  expect(check('GET', '/v1/public/similar', reply)).toEqual([]);
  expect(reply.body.items).toEqual([
    {
      trackingNumber: published,
      score: expect.any(Number),
      title: expect.any(String),
      summary: '国定路站加装候车亭和座椅',
      department: 'transport',
      district: 'yangpu',
      category: 'transport',
      outcome: 'adopted',
    },
  ]);
  expect(JSON.stringify(reply.body)).not.toMatch(/content|proposer/);
  // The same words about another stop find nothing on the board.
  const elsewhere = await api.call('GET', `/v1/public/similar?text=${encodeURIComponent('邯郸路公交站没有候车亭，下雨天没地方躲雨')}`);
  expect(elsewhere.body.items).toEqual([]);
  expect((await api.call('GET', '/v1/public/similar?text=')).status).toBe(400);
});

test("hotspots: the period's groups, largest first, with their growth over the period before and their place", async () => {
  const reply = await api.call('GET', '/v1/hotspots?to=2026-11-20', undefined, as(await stack.issueKey('supervisor')));
  expect(reply.status).toBe(200);
  expect(check('GET', '/v1/hotspots', reply)).toEqual([]);
  expect(reply.body).toMatchObject({ from: '2026-10-22', to: '2026-11-20', previousFrom: '2026-09-22', previousTo: '2026-10-21' });
  const sizes = reply.body.items.map((h: { size: number }) => h.size);
  expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  const crossing = reply.body.items.find((h: { suggestions: string[] }) => h.suggestions.includes(idsOf('guoding-zhengli-crossing')[5]));
  expect(crossing).toMatchObject({ size: 4, previousSize: 2, growth: 2, growthRate: 1, district: 'yangpu', category: 'transport' });
  expect(['国定路', '政立路']).toContain(crossing.place);
  // The same request at two stops is two hotspots.
  const shelterSpots = reply.body.items.filter((h: { suggestions: string[] }) =>
    h.suggestions.some((id) => idsOf('guoding-stop-shelter').includes(id) || idsOf('handan-stop-shelter').includes(id)),
  );
  for (const spot of shelterSpots) expect(spot.place === '国定路' || spot.place === '邯郸路').toBe(true);
  expect((await api.call('GET', '/v1/hotspots?from=2026-11-20&to=2026-01-01', undefined, as(await stack.issueKey('office')))).status).toBe(400);
});

test('the merge check: two wordings at one stop are plausibly one matter, the same words at two stops are not', async () => {
  const [a, b] = idsOf('guoding-stop-shelter');
  const [handan] = idsOf('handan-stop-shelter');
  expect(await sameMatterCheck(stack.db, a, b)).toMatchObject({ plausible: true, place: 'same' });
  expect(await sameMatterCheck(stack.db, a, handan)).toMatchObject({ plausible: false, place: 'different' });
  expect(await sameMatterCheck(stack.db, a, 'JY-20261120-AAAAAA')).toBeNull();
});
