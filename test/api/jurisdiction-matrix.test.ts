import type { AnyEndpoint } from '../../api/endpoint';
import { as, serveApi, unlimited } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// Offices by jurisdiction (属地) through the real API, Temporal dev server and PostgreSQL: an office
// or supervisor of a district (or a street) sees, routes and supervises only its district's
// suggestions and those handed to it, on every list, read and action; a hand-over goes one level
// up or down with its reason, onto the timeline with a deadline of its own. The districts and the
// street come from the city profile the stack runs with, so the test holds for any city's.

let stack: Stack;
let api: Awaited<ReturnType<typeof serveApi>>;
let home: string; // a district with streets
let other: string; // another district
let street: string; // a street or town of `home`
let lead: string; // a city department an office can assign to
const key: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  api = await serveApi(stack, { rateLimits: unlimited });
  const profile = stack.profile.current;
  const open = profile.document.districts.filter((d) => !d.retired);
  const withStreets = open.find((d) => d.streets.some((s) => !s.retired))!;
  home = withStreets.code;
  street = withStreets.streets.find((s) => !s.retired)!.code;
  other = open.find((d) => d.code !== home)!.code;
  lead = profile.document.departments.find((d) => d.level === 'city' && d.code !== profile.document.city.office)!.code;
  const issued = await Promise.all([
    stack.issueKey('office'),
    stack.issueKey('office', undefined, home),
    stack.issueKey('office', undefined, other),
    stack.issueKey('office', undefined, street),
    stack.issueKey('supervisor', undefined, home),
    stack.issueKey('supervisor', undefined, other),
    stack.issueKey('admin'),
  ]);
  [key.cityOffice, key.homeOffice, key.otherOffice, key.streetOffice, key.homeSupervisor, key.otherSupervisor, key.admin] = issued;
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await stack?.stop();
});

type Row = { status: string; jurisdiction: string; version: number };
const row = (id: string) =>
  stack.db.suggestion.findUnique({ where: { id }, select: { status: true, jurisdiction: true, version: true } }) as Promise<Row | null>;

/** A suggestion no routing rule takes (category other): it waits in its district office's triage. */
async function inTriage(district: string, title: string): Promise<string> {
  const r = await api.call('POST', '/v1/suggestions', {
    title,
    content: `${title}：希望有关部门研究解决，方便附近居民。`,
    category: 'other',
    district,
    proposer: { phone: '13800000777', replyChannel: 'sms' },
  });
  expect(r.status).toBe(202);
  await eventually(async () => (await row(r.body.id))?.status === 'triage', `${r.body.id} in triage`);
  return r.body.id;
}

/** A body each endpoint would accept, so a refusal comes from the jurisdiction check and not from validation. */
function validBody(endpoint: AnyEndpoint, primary: string): unknown {
  const reason = '属地核查：本区不应看到其他区的建议';
  switch (`${endpoint.method} ${endpoint.path}`) {
    case 'post /v1/suggestions/:id/assignment':
      return { leadDepartment: lead, reason };
    case 'post /v1/suggestions/:id/out-of-scope':
      return { kind: 'personal_claim', reason, referral: '请向所在街道办事处反映。' };
    case 'post /v1/suggestions/:id/urgent':
      return { reason };
    case 'post /v1/suggestions/:id/handover':
      return { to: 'city', reason };
    case 'post /v1/suggestions/:id/merge':
      return { into: primary, reason };
    case 'delete /v1/suggestions/:id/merge':
      return { reason };
    case 'post /v1/suggestions/:id/extension-decision':
      return { approve: true, reason };
    // Reads. No attachment exists on the target: these rows show the refusal is a 404, not that it comes from the
    // jurisdiction check rather than from the missing attachment (api/routes/attachments.ts has the check).
    case 'get /v1/suggestions/:id':
    case 'get /v1/suggestions/:id/similar':
    case 'get /v1/suggestions/:id/attachments/:attachmentId':
    case 'get /v1/suggestions/:id/attachments/:attachmentId/thumbnail':
    case 'get /v1/suggestions/:id/proposer':
    case 'delete /v1/suggestions/:id/proposer':
      return undefined;
    default:
      throw new Error(
        `${endpoint.method.toUpperCase()} ${endpoint.path} names a suggestion and is open to offices or supervisors: give the matrix a body for it`,
      );
  }
}

/** Every endpoint that names one suggestion and that an office or a supervisor may call. */
const suggestionEndpoints = () =>
  api.endpoints.filter(
    (e) => e.path.startsWith('/v1/suggestions/:id') && e.access !== 'public' && (e.access.includes('office') || e.access.includes('supervisor')),
  );

test("another district's office and supervisor, and a street office, are refused a district's suggestion on every endpoint that names it, and nothing changes", async () => {
  const target = await inTriage(home, '控江路菜场门口人行道积水');
  const primaryElsewhere = await inTriage(other, '另一个区的同类建议');
  const before = await row(target);
  const endpoints = suggestionEndpoints();
  expect(endpoints.length).toBeGreaterThanOrEqual(9);

  const wrong: string[] = [];
  for (const endpoint of endpoints) {
    const callers = [
      ...(endpoint.access !== 'public' && endpoint.access.includes('office') ? ['otherOffice', 'streetOffice'] : []),
      ...(endpoint.access !== 'public' && endpoint.access.includes('supervisor') ? ['otherSupervisor'] : []),
    ];
    for (const caller of callers) {
      const r = await api.call(
        endpoint.method.toUpperCase(),
        endpoint.path.replace(':id', target).replace(':attachmentId', '00000000-0000-4000-8000-000000000000'),
        validBody(endpoint, primaryElsewhere),
        as(key[caller]),
      );
      if (r.status !== 404) wrong.push(`${endpoint.method.toUpperCase()} ${endpoint.path} as ${caller}: ${r.status} ${r.body?.detail ?? ''}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(await row(target)).toEqual(before);

  // Merging into another district's suggestion is refused too, from the office that holds this one.
  const merge = await api.call('POST', `/v1/suggestions/${target}/merge`, { into: primaryElsewhere, reason: '同一事项，合并办理' }, as(key.homeOffice));
  expect(merge.status).toBe(404);
  expect(await row(target)).toEqual(before);
});

test('lists show a district office its district and a street office only what is handed to it; the city office sees every district', async () => {
  const mine = await inTriage(home, '黄兴公园北门增设自行车停放点');
  const theirs = await inTriage(other, '另一个区的路灯维修');
  const listed = async (path: string, who: string) => {
    const r = await api.call('GET', path, undefined, as(key[who]));
    expect(r.status).toBe(200);
    return r.body.items as { id: string; district: string }[];
  };
  for (const path of ['/v1/suggestions?limit=100', '/v1/triage-queue?limit=100', '/v1/overdue?limit=100']) {
    for (const who of ['homeOffice', 'homeSupervisor']) {
      const items = await listed(path, who);
      expect(items.filter((i) => i.district !== home)).toEqual([]);
      if (!path.startsWith('/v1/overdue')) expect(items.map((i) => i.id)).toContain(mine);
    }
    const street = await listed(path, 'streetOffice');
    expect(street.map((i) => i.id)).not.toContain(mine);
  }
  const city = (await listed('/v1/triage-queue?limit=100', 'cityOffice')).map((i) => i.id);
  expect(city).toEqual(expect.arrayContaining([mine, theirs]));
  expect((await listed('/v1/triage-queue?limit=100', 'otherOffice')).map((i) => i.id)).not.toContain(mine);
  // A read is the list's rule too.
  expect((await api.call('GET', `/v1/suggestions/${mine}`, undefined, as(key.homeSupervisor))).status).toBe(200);
  expect((await api.call('GET', `/v1/suggestions/${mine}`, undefined, as(key.otherSupervisor))).status).toBe(404);
});

test("the district's own office and supervisor act on its suggestions: the office puts one on the fast path, the supervisor's decision reaches the workflow", async () => {
  const id = await inTriage(home, '五角场下沉广场夜间照明不足');
  const urgent = await api.call('POST', `/v1/suggestions/${id}/urgent`, { reason: '夜间有老人摔倒，需尽快处理' }, as(key.homeOffice));
  expect(urgent.status).toBe(200);
  expect(urgent.body.handling.urgent).toBe(true);
  // No extension pending: the workflow's own refusal (409), past the jurisdiction check.
  const decision = await api.call('POST', `/v1/suggestions/${id}/extension-decision`, { approve: true, reason: '同意' }, as(key.homeSupervisor));
  expect(decision.status).toBe(409);
  expect((await api.call('GET', `/v1/suggestions/${id}/proposer`, undefined, as(key.homeOffice))).status).toBe(200);
});

test('a hand-over down to a street and back up, then up to the city: each on the timeline with its reason and deadline, and only the holding level (or one above) acts', async () => {
  const id = await inTriage(home, '街道里弄口增设休息座椅');
  const events = (view: { timeline: { type: string; detail: Record<string, unknown> }[] }, type: string) => view.timeline.filter((e) => e.type === type);

  // Not one level: a district hands neither to another district nor to the city's other streets.
  const sideways = await api.call('POST', `/v1/suggestions/${id}/handover`, { to: other, reason: '不是本区的事' }, as(key.homeOffice));
  expect(sideways.status).toBe(422);
  const unknown = await api.call('POST', `/v1/suggestions/${id}/handover`, { to: '999999999', reason: '不存在的街镇' }, as(key.homeOffice));
  expect(unknown.status).toBe(422);
  expect((await api.call('POST', `/v1/suggestions/${id}/handover`, { to: street, reason: 'x' }, as(key.homeOffice))).status).toBe(400);

  const down = await api.call('POST', `/v1/suggestions/${id}/handover`, { to: street, reason: '属街镇管辖的弄堂，由街镇办理' }, as(key.homeOffice));
  expect(down.status).toBe(200);
  expect(down.body).toMatchObject({ status: 'triage', jurisdiction: street });
  const [handedDown] = events(down.body, 'handed_down');
  expect(handedDown.detail).toMatchObject({ from: home, to: street, toLevel: 'street', reason: '属街镇管辖的弄堂，由街镇办理' });
  expect(Date.parse(handedDown.detail.dueAt as string)).toBeGreaterThan(Date.now());
  expect(down.body.dueAt).toBe(handedDown.detail.dueAt);
  await eventually(async () => (await row(id))?.jurisdiction === street, 'the read model holds the street');

  // The street office now sees it in its queue, and routes it; another district still does not see it.
  const queue = await api.call('GET', '/v1/triage-queue?limit=100', undefined, as(key.streetOffice));
  expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);
  expect((await api.call('GET', `/v1/suggestions/${id}`, undefined, as(key.otherOffice))).status).toBe(404);

  const up = await api.call('POST', `/v1/suggestions/${id}/handover`, { to: home, reason: '涉及区级部门，退回区里' }, as(key.streetOffice));
  expect(up.status).toBe(200);
  expect(up.body.jurisdiction).toBe(home);
  expect(events(up.body, 'handed_up')[0].detail).toMatchObject({ from: street, to: home, toLevel: 'district' });
  await eventually(async () => (await row(id))?.jurisdiction === home, 'back with the district');
  // Handed on, the street no longer sees it.
  expect((await api.call('GET', `/v1/suggestions/${id}`, undefined, as(key.streetOffice))).status).toBe(404);

  const toCity = await api.call('POST', `/v1/suggestions/${id}/handover`, { to: 'city', reason: '跨区事项，请市征集办统筹' }, as(key.homeOffice));
  expect(toCity.status).toBe(200);
  await eventually(async () => (await row(id))?.jurisdiction === 'city', 'held by the city');

  // The district still sees its district's suggestion, but routes it no longer: the city does.
  expect((await api.call('GET', `/v1/suggestions/${id}`, undefined, as(key.homeOffice))).status).toBe(200);
  const notMine = await api.call('POST', `/v1/suggestions/${id}/assignment`, { leadDepartment: lead, reason: '区里想收回' }, as(key.homeOffice));
  expect(notMine.status).toBe(403);
  expect(notMine.body.type).toMatch(/outside-jurisdiction$/);
  const assigned = await api.call('POST', `/v1/suggestions/${id}/assignment`, { leadDepartment: lead, reason: '市级部门统筹办理' }, as(key.cityOffice));
  expect(assigned.status).toBe(200);
  expect(assigned.body).toMatchObject({ status: 'handling', leadDepartment: lead, jurisdiction: 'city' });
  expect(assigned.body.handling.handovers.map((h: { direction: string; to: string }) => `${h.direction}:${h.to}`)).toEqual([
    `down:${street}`,
    `up:${home}`,
    'up:city',
  ]);

  // Handling has begun; it can still be handed back down while no decision is made.
  const back = await api.call('POST', `/v1/suggestions/${id}/handover`, { to: home, reason: '由区里组织办理' }, as(key.cityOffice));
  expect(back.status).toBe(200);
  expect(back.body).toMatchObject({ status: 'triage', jurisdiction: home });
  expect(back.body.leadDepartment).toBeUndefined();
  expect(events(back.body, 'handed_down').at(-1)!.detail).toMatchObject({ from: 'city', to: home, previousLeadDepartment: lead });
});

test("hotspots are a district's own for its office and supervisor, refused for another district and for a street", async () => {
  const own = await api.call('GET', `/v1/hotspots?district=${home}`, undefined, as(key.homeSupervisor));
  expect(own.status).toBe(200);
  expect(own.body.items.filter((h: { district: string }) => h.district !== home)).toEqual([]);
  expect((await api.call('GET', '/v1/hotspots', undefined, as(key.homeOffice))).status).toBe(200);
  expect((await api.call('GET', `/v1/hotspots?district=${other}`, undefined, as(key.homeOffice))).status).toBe(403);
  expect((await api.call('GET', '/v1/hotspots', undefined, as(key.streetOffice))).status).toBe(403);
  expect((await api.call('GET', `/v1/hotspots?district=${other}`, undefined, as(key.cityOffice))).status).toBe(200);
});

test("statistics roll up from street to district to city: each office counts its own level's, and is refused another's", async () => {
  const profile = stack.profile.current;
  const homeStreets = profile.streets.filter((x) => x.district === home && !x.retired).map((x) => x.code);
  const otherStreet = homeStreets.find((x) => x !== street);
  // Two about the street, one elsewhere in the district (no street named), one in the other district.
  const submit = async (district: string, place?: { street: string }) => {
    const r = await api.call('POST', '/v1/suggestions', {
      title: '路口信号灯配时建议',
      content: '早高峰路口左转信号太短，建议延长左转绿灯时间，方便车辆通行。',
      category: 'other',
      district,
      ...(place ? { place } : {}),
      proposer: { phone: '13800000778', replyChannel: 'sms' },
    });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };
  const ids = [await submit(home, { street }), await submit(home, { street }), await submit(home), await submit(other)];
  await eventually(async () => (await stack.db.suggestion.count({ where: { id: { in: ids } } })) === ids.length, 'the suggestions in the read model');
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const figures = async (query: string, as_: string) => {
    const r = await api.call('GET', `/v1/statistics?from=${today}&to=${today}&${query}`, undefined, as(as_));
    expect(r.status).toBe(200);
    return new Map<string | null, number>(r.body.groups.map((g: { key: string | null; received: number }) => [g.key, g.received]));
  };
  const sum = (m: Map<string | null, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  // The city's office: every district, and one district by street adds up to its figure.
  const byDistrict = await figures('groupBy=district', key.cityOffice);
  expect(byDistrict.get(other)).toBeGreaterThanOrEqual(1);
  const homeByStreet = await figures(`groupBy=street&district=${home}`, key.cityOffice);
  expect(sum(homeByStreet)).toBe(byDistrict.get(home));
  expect(homeByStreet.get(street)).toBeGreaterThanOrEqual(2);
  expect(homeByStreet.get(null)).toBeGreaterThanOrEqual(1);
  expect([...homeByStreet.keys()].filter((k) => k !== null && !homeStreets.includes(k))).toEqual([]);

  // The district's office and supervisor: its district only, the same figure; by street the same streets.
  expect([...(await figures('groupBy=district', key.homeOffice)).entries()]).toEqual([[home, byDistrict.get(home)]]);
  expect(await figures('groupBy=street', key.homeSupervisor)).toEqual(homeByStreet);
  // The street's office: its street only.
  expect(sum(await figures('groupBy=category', key.streetOffice))).toBe(homeByStreet.get(street));

  // Beyond one's level: refused, not narrowed.
  const refused = async (query: string, as_: string) => expect((await api.call('GET', `/v1/statistics?${query}`, undefined, as(as_))).status).toBe(403);
  await refused(`district=${other}`, key.homeOffice);
  await refused(`street=${street}`, key.otherSupervisor);
  await refused(`district=${other}`, key.streetOffice);
  if (otherStreet) await refused(`street=${otherStreet}`, key.streetOffice);
  expect((await api.call('GET', `/v1/statistics?street=${street}&groupBy=category`, undefined, as(key.homeOffice))).status).toBe(200);
});

test("routing rules belong to the level that made them: a district office makes its district's, sees the city's and its own, changes only its own and its streets'", async () => {
  const profile = stack.profile.current;
  const category = profile.codes('category', true).find((c) => c !== 'other')!;
  // Inactive: the rules route nothing while the test looks at who owns them.
  const proposal = { category, leadDepartment: lead, active: false };
  const made = await api.call('POST', '/v1/routing-rules', proposal, as(key.homeOffice));
  expect(made.status).toBe(201);
  expect(made.body).toMatchObject({ district: home, jurisdiction: home });
  const byStreet = await api.call('POST', '/v1/routing-rules', proposal, as(key.streetOffice));
  expect(byStreet.status).toBe(201);
  expect(byStreet.body).toMatchObject({ district: home, street, jurisdiction: street });
  expect((await api.call('POST', '/v1/routing-rules', { ...proposal, district: other }, as(key.homeOffice))).status).toBe(403);

  const seen = async (k: string) =>
    (await api.call('GET', '/v1/routing-rules', undefined, as(k))).body.items as { id: number; district: string | null; jurisdiction: string }[];
  const homeSees = await seen(key.homeOffice);
  expect(homeSees.map((r) => r.id)).toEqual(expect.arrayContaining([made.body.id, byStreet.body.id]));
  expect(homeSees.filter((r) => r.district !== null && r.district !== home)).toEqual([]);
  expect((await seen(key.otherOffice)).map((r) => r.id)).not.toContain(made.body.id);
  expect((await seen(key.cityOffice)).map((r) => r.id)).toEqual(expect.arrayContaining([made.body.id, byStreet.body.id]));

  const change = (id: number, k: string) => api.call('PATCH', `/v1/routing-rules/${id}`, { priority: 5 }, as(k));
  expect((await change(made.body.id, key.otherOffice)).status).toBe(404);
  expect((await change(made.body.id, key.streetOffice)).status).toBe(403);
  expect((await change(byStreet.body.id, key.homeOffice)).status).toBe(200);
  expect((await change(made.body.id, key.cityOffice)).status).toBe(200);
  // The profile's seeded rules are the city's: seen by the district, not changed by it.
  const cityRule = homeSees.find((r) => r.jurisdiction === 'city')!;
  expect(cityRule).toBeDefined();
  expect((await change(cityRule.id, key.homeOffice)).status).toBe(403);
  // Nothing the refusals touched changed.
  expect((await stack.db.routingRule.findUnique({ where: { id: made.body.id } }))?.priority).toBe(5);
});

test("a district office's time limits are its district's, over the city's: its suggestions get them, another district's do not", async () => {
  const category = 'transport'; // routed by a city rule in every shipped profile
  const setting = { channel: null, category, amount: 2, unit: 'working_days' };
  const set = await api.call('PUT', '/v1/time-settings/respond', setting, as(key.homeOffice));
  expect(set.status).toBe(201);
  expect(set.body.setting).toMatchObject({ jurisdiction: home, amount: 2 });
  expect(set.body.change).toMatchObject({ jurisdiction: home, previous: null });
  expect((await api.call('PUT', '/v1/time-settings/respond', setting, as(key.streetOffice))).status).toBe(403);
  const listed = async (k: string) => (await api.call('GET', '/v1/time-settings', undefined, as(k))).body.settings as { id: number; jurisdiction: string }[];
  expect((await listed(key.homeSupervisor)).map((x) => x.id)).toContain(set.body.setting.id);
  expect((await listed(key.otherOffice)).map((x) => x.id)).not.toContain(set.body.setting.id);
  expect((await listed(key.cityOffice)).map((x) => x.id)).toContain(set.body.setting.id);
  // Another district's office has no such setting of its own to remove; the home one stays.
  expect((await api.call('DELETE', `/v1/time-settings/respond?category=${category}`, undefined, as(key.otherOffice))).status).toBe(404);

  // Two suggestions of the category, one in each district: the home one's reply is due within two working days.
  const submit = async (district: string) => {
    const r = await api.call('POST', '/v1/suggestions', {
      title: '公交站台加装遮阳棚',
      content: '夏天公交站台没有遮阳的地方，候车的乘客晒得厉害，建议加装遮阳棚。',
      category,
      district,
      proposer: { phone: '13800000779', replyChannel: 'sms' },
    });
    expect(r.status).toBe(202);
    return eventually(async () => (await stack.db.suggestion.findUnique({ where: { id: r.body.id } }))?.dueAt ?? undefined, `${r.body.id} routed`);
  };
  const [homeDue, otherDue] = await Promise.all([submit(home), submit(other)]);
  // Two working days are at most about ten calendar days (the Spring Festival's week off between), the default a month.
  expect(homeDue.getTime() - Date.now()).toBeLessThan(12 * 86_400_000);
  expect(otherDue.getTime()).toBeGreaterThan(homeDue.getTime());
  expect((await api.call('DELETE', `/v1/time-settings/respond?category=${category}`, undefined, as(key.homeOffice))).status).toBe(200);
});

test("campaigns belong to the level that made them: a district office runs its district's, sees the city's and its own, changes only its own", async () => {
  const campaign = (title: string, districts: string[] = [], opensIn = 86_400_000) => ({
    title,
    description: '听取居民对社区养老服务设施的意见建议，包括助餐点、日间照料和上门服务。',
    topics: ['养老服务设施'],
    leadDepartment: lead,
    districts,
    opensAt: new Date(Date.now() + opensIn).toISOString(),
    closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  // Ours opens at once (only an open campaign can be paused); the city's tomorrow.
  const ours = await api.call('POST', '/v1/campaigns', campaign('社区养老服务设施征集', [], 0), as(key.homeOffice));
  expect(ours.status).toBe(201);
  expect(ours.body).toMatchObject({ districts: [home], jurisdiction: home });
  const cities = await api.call('POST', '/v1/campaigns', campaign('全市养老服务设施征集'), as(key.cityOffice));
  expect(cities.status).toBe(201);
  expect(cities.body).toMatchObject({ districts: [], jurisdiction: 'city' });
  expect((await api.call('POST', '/v1/campaigns', campaign('另一区的征集', [other]), as(key.homeOffice))).status).toBe(403);
  expect((await api.call('POST', '/v1/campaigns', campaign('街道的征集'), as(key.streetOffice))).status).toBe(403);
  // Recurring collections run on the city's schedules: a district's office starts none.
  const monthly = {
    title: '每月问题清单',
    description: '每月听取居民反映的问题和意见建议。',
    topics: ['加装电梯'],
    leadDepartment: lead,
    districts: [home],
    roundWorkingDays: 5,
  };
  expect((await api.call('POST', '/v1/collections', monthly, as(key.homeOffice))).status).toBe(403);
  const collections = await api.call('GET', '/v1/collections', undefined, as(key.cityOffice));
  expect(collections.status).toBe(200);
  expect(JSON.stringify(collections.body)).not.toContain(monthly.title);

  const listed = async (k: string) => ((await api.call('GET', '/v1/campaigns', undefined, as(k))).body.items as { id: string }[]).map((c) => c.id);
  expect(await listed(key.homeSupervisor)).toEqual(expect.arrayContaining([ours.body.id, cities.body.id]));
  expect(await listed(key.otherOffice)).not.toContain(ours.body.id);
  expect(await listed(key.otherOffice)).toContain(cities.body.id);
  expect((await api.call('GET', `/v1/campaigns/${ours.body.id}`, undefined, as(key.otherOffice))).status).toBe(404);

  await eventually(async () => (await stack.db.campaign.findUnique({ where: { id: ours.body.id } }))?.status === 'open', 'our campaign to open');
  const pause = (id: string, k: string) => api.call('POST', `/v1/campaigns/${id}/pause`, { reason: '属地核查：暂停征集' }, as(k));
  expect((await pause(ours.body.id, key.otherOffice)).status).toBe(404);
  expect((await pause(cities.body.id, key.homeOffice)).status).toBe(403);
  expect((await pause(ours.body.id, key.cityOffice)).status).toBe(200);
  const resumed = await api.call('POST', `/v1/campaigns/${ours.body.id}/resume`, { reason: '属地核查：恢复征集' }, as(key.homeOffice));
  expect(resumed.status).toBe(200);
  expect(resumed.body.status).not.toBe('paused');
  // The city's campaign, refused to the district, is as it was.
  expect((await api.call('GET', `/v1/campaigns/${cities.body.id}`, undefined, as(key.cityOffice))).body.status).toBe('scheduled');
});

test('an API key carries its jurisdiction: unknown levels and levelled department keys are refused, a district key is scoped at once', async () => {
  const issue = (body: object) => api.call('POST', '/v1/admin/api-keys', body, as(key.admin));
  expect((await issue({ label: '不存在的区', role: 'office', jurisdiction: 'atlantis' })).status).toBe(422);
  expect((await issue({ label: '区里的部门', role: 'department', departmentCode: lead, jurisdiction: home })).status).toBe(422);
  const issued = await issue({ label: `${home} 征集办`, role: 'office', jurisdiction: home });
  expect(issued.status).toBe(201);
  expect(issued.body.jurisdiction).toBe(home);
  const theirs = await inTriage(other, '外区的一条建议');
  expect((await api.call('GET', `/v1/suggestions/${theirs}`, undefined, as(issued.body.key))).status).toBe(404);
  expect((await api.call('GET', `/v1/suggestions/${theirs}`, undefined, as(key.cityOffice))).status).toBe(200);
});
