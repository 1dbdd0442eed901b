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
