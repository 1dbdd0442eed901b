import { as, client } from '../support/api-client';
import { ownDatabase } from '../support/service-process';
import { eventually, startStack, type Stack } from '../support/stack';

// 归口到街镇: a rule for one street or town of a district beats the district's own rule.

let stack: Stack;
let database: Awaited<ReturnType<typeof ownDatabase>>;
let call: ReturnType<typeof client>;
let office: string;

beforeAll(async () => {
  // Rules of its own: other tests route city_appearance in Yangpu by the seeded ones.
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  call = client(stack.baseUrl);
  office = await stack.issueKey('office');
});
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

const matter = {
  title: '五角场环岛人行道破损',
  content: '五角场环岛下沉广场东侧的人行道砖松动破损，雨天积水，老人容易滑倒。',
  category: 'city_appearance',
  district: 'yangpu',
  publishConsent: false,
};

test('a rule for 五角场街道 beats the district rule; the rest of the district follows the district rule', async () => {
  const district = await call(
    'POST',
    '/v1/routing-rules',
    { category: 'city_appearance', district: 'yangpu', leadDepartment: 'yangpu-gov', priority: 50 },
    as(office),
  );
  expect(district.status).toBe(201);
  const rules = await call('GET', '/v1/routing-rules', undefined, as(office));
  expect(rules.body.items).toContainEqual(
    expect.objectContaining({ category: 'city_appearance', district: 'yangpu', street: '310110019', leadDepartment: 'yangpu-wujiaochang' }),
  );
  // A street of another district is refused.
  expect(
    (await call('POST', '/v1/routing-rules', { category: 'city_appearance', district: 'xuhui', street: '310110019', leadDepartment: 'xuhui-gov' }, as(office)))
      .status,
  ).toBe(400);

  const inStreet = await call('POST', '/v1/suggestions', { ...matter, place: { street: '310110019', address: '五角场环岛东侧' } });
  const elsewhere = await call('POST', '/v1/suggestions', { ...matter, place: { street: '310110012', address: '控江路' } });
  const lead = (id: string) =>
    eventually(async () => (await call('GET', `/v1/suggestions/${id}`, undefined, as(office))).body.leadDepartment as string | undefined, `routing of ${id}`);
  expect(await lead(inStreet.body.id)).toBe('yangpu-wujiaochang');
  expect(await lead(elsewhere.body.id)).toBe('yangpu-gov');

  const listed = await call('GET', '/v1/suggestions?street=310110019', undefined, as(office));
  expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([inStreet.body.id]);
  expect(listed.body.items[0].street).toBe('310110019');

  // A street not in the suggestion's district is refused at intake.
  expect((await call('POST', '/v1/suggestions', { ...matter, district: 'xuhui', place: { street: '310110019' } })).status).toBe(400);
});
