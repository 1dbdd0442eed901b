import { as, client, conformanceChecker, serveApi, unlimited } from '../support/api-client';
import { ownDatabase } from '../support/service-process';
import { eventually, startStack, type Stack } from '../support/stack';

// The administrator edits the city profile through the API: a new category is taken at once and
// listed in the document, a renamed one keeps its suggestions under the new name, a retired one is
// refused for new suggestions while its suggestions stay readable and findable; every change is
// audited with who, when, before and after. On a database of its own: it changes reference data.

let database: Awaited<ReturnType<typeof ownDatabase>>;
let stack: Stack;
let api: Awaited<ReturnType<typeof serveApi>>;
let admin: string;
let office: string;

beforeAll(async () => {
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  api = await serveApi(stack, { rateLimits: unlimited });
  [admin, office] = await Promise.all([stack.issueKey('admin'), stack.issueKey('office')]);
});
afterAll(async () => {
  await api.stop();
  await stack.stop();
  await database.drop();
});

const suggestion = (category: string) => ({
  title: '夜间经济街区增设公共厕所',
  content: '大学路夜市每晚人很多，附近没有开放到深夜的公共厕所，建议延长开放时间或增设移动厕所。',
  category,
  district: 'yangpu',
});

test('a category the administrator adds is taken at once and listed in the document; the office may not add one', async () => {
  expect((await api.call('PUT', '/v1/profile/categories/night_economy', { name: '夜间经济', nameEn: 'Night-time economy' }, as(office))).status).toBe(403);
  expect((await api.call('POST', '/v1/suggestions', suggestion('night_economy'))).status).toBe(400);

  const added = await api.call('PUT', '/v1/profile/categories/night_economy', { name: '夜间经济', nameEn: 'Night-time economy' }, as(admin));
  expect(added.status).toBe(201);
  expect(added.body.change).toMatchObject({
    path: 'categories/night_economy',
    before: null,
    after: { code: 'night_economy', name: '夜间经济', retired: false },
    changedBy: { role: 'admin' },
  });
  const again = await api.call('PUT', '/v1/profile/categories/night_economy', { name: '夜间经济', nameEn: 'Night-time economy' }, as(admin));
  expect(again.status).toBe(200);
  expect(again.body.change).toBeNull();

  expect((await api.call('POST', '/v1/suggestions', suggestion('night_economy'))).status).toBe(202);
  const document = (await client(api.baseUrl)('GET', '/openapi.json')).body;
  const intake = document.paths['/v1/suggestions'].post.requestBody.content['application/json'].schema;
  expect(intake.properties.category.enum).toContain('night_economy');
  expect(intake.properties.district.enum).toEqual(expect.arrayContaining(['city', 'yangpu', 'pudong']));
  const profile = await api.call('GET', '/v1/profile');
  expect(conformanceChecker(document)('GET', '/v1/profile', profile)).toEqual([]);
  expect(profile.body.profile.categories).toContainEqual({ code: 'night_economy', name: '夜间经济', nameEn: 'Night-time economy', retired: false });
});

test('a retired category is refused for new suggestions, its suggestions stay readable and findable, a rename shows on the board page', async () => {
  const before = await api.call('POST', '/v1/suggestions', suggestion('culture_tourism'));
  expect(before.status).toBe(202);
  await eventually(async () => stack.db.suggestion.findUnique({ where: { id: before.body.id } }), 'the suggestion to be registered');

  const retired = await api.call(
    'PUT',
    '/v1/profile/categories/culture_tourism',
    { name: '文旅融合', nameEn: 'Culture, tourism and sport', retired: true },
    as(admin),
  );
  expect(retired.status).toBe(200);
  expect(retired.body.change.before).toMatchObject({ name: '文化旅游', retired: false });
  expect(retired.body.change.after).toMatchObject({ name: '文旅融合', retired: true });

  const refused = await api.call('POST', '/v1/suggestions', suggestion('culture_tourism'));
  expect(refused.status).toBe(400);
  expect(refused.body.errors).toContainEqual({ field: 'body.category', message: expect.stringContaining('retired') });

  const read = await api.call('GET', `/v1/suggestions/${before.body.id}`, undefined, as(office));
  expect(read.status).toBe(200);
  expect(read.body.category).toBe('culture_tourism');
  const listed = await api.call('GET', '/v1/suggestions?category=culture_tourism', undefined, as(office));
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(before.body.id);
  const document = (await client(api.baseUrl)('GET', '/openapi.json')).body;
  expect(document.paths['/v1/suggestions'].post.requestBody.content['application/json'].schema.properties.category.enum).not.toContain('culture_tourism');
  const board = await client(api.baseUrl)('GET', '/board');
  expect(board.body).toContain('文旅融合');
});

test('a change that would break the profile is refused with what is wrong; the audit lists every change, newest first', async () => {
  const orphan = await api.call(
    'PUT',
    '/v1/profile/departments/jinshan-gov',
    { name: '金山区人民政府', nameEn: 'Jinshan District Government', level: 'district', district: 'atlantis' },
    as(admin),
  );
  expect(orphan.status).toBe(422);
  expect(orphan.body.detail).toContain('no district atlantis');
  const yangpu = (await api.call('GET', '/v1/profile')).body.profile.districts.find((d: { code: string }) => d.code === 'yangpu');
  const dropped = await api.call('PUT', '/v1/profile/districts/yangpu', { ...yangpu, code: undefined, streets: yangpu.streets.slice(1) }, as(admin));
  expect(dropped.status).toBe(422);

  const department = await api.call(
    'PUT',
    '/v1/profile/departments/jinshan-gov',
    { name: '金山区人民政府', nameEn: 'Jinshan District Government', level: 'district', district: 'jinshan' },
    as(admin),
  );
  expect(department.status).toBe(201);
  expect(await stack.db.department.findUnique({ where: { code: 'jinshan-gov' } })).toMatchObject({ name: '金山区人民政府', district: 'jinshan' });

  const changes = await api.call('GET', '/v1/profile/changes', undefined, as(admin));
  expect(changes.status).toBe(200);
  expect(changes.body.items.map((c: { path: string }) => c.path)).toEqual([
    'departments/jinshan-gov',
    'categories/culture_tourism',
    'categories/night_economy',
  ]);
  expect((await api.call('GET', '/v1/profile/changes', undefined, as(office))).status).toBe(403);
});
