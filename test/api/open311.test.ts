import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureOpen311Client } from '../../scripts/provision/open311-client';
import { as, client } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// Open311 GeoReport v2 at /open311/v2/, tested with an Open311 client that no one here wrote
// (civicbot's Open311Client from PyPI, provisioned into the cache like schemathesis): it lists the
// services, reads a definition, submits a request and reads it back with its status. A request
// taken this way is a suggestion like any other: channel open311, a workflow, a tracking token.

const execFileAsync = promisify(execFile);
let stack: Stack;
let python: string;
let appKey: string;
let office: string;
let call: ReturnType<typeof client>;

beforeAll(async () => {
  [stack, python] = await Promise.all([startStack(), ensureOpen311Client((m) => process.stderr.write(`[open311 client] ${m}\n`))]);
  call = client(stack.baseUrl);
  [appKey, office] = await Promise.all([stack.issueKey('intake'), stack.issueKey('office')]);
}, 300_000);
afterAll(() => stack?.stop());

const base = () => `${stack.baseUrl}/open311/v2`;

test('an Open311 client library lists the services, submits a request with the district attribute and reads it back with its status', async () => {
  const profile = stack.profile.current;
  const district = profile.document.districts.find((d) => !d.retired)!.code;
  // A point in the middle of the city's extent, in WGS-84 as GeoReport gives it.
  const bounds = profile.city.bounds!;
  const [lat, lng] = [(bounds.minLat + bounds.maxLat) / 2, (bounds.minLng + bounds.maxLng) / 2].map((x) => Math.round(x * 1e5) / 1e5);
  const client = join(__dirname, '..', 'support', 'open311_client.py');
  const { stdout } = await execFileAsync(python, [client, base(), appKey, 'transport', district, String(lat), String(lng)], {
    timeout: 120_000,
  });
  const got = JSON.parse(stdout);

  expect(got.services.map((s: { service_code: string }) => s.service_code)).toEqual(profile.codes('category', true));
  expect(got.definition.attributes[0]).toMatchObject({ code: 'district', required: true, datatype: 'singlevaluelist' });
  expect(got.definition.attributes[0].values.map((v: { key: string }) => v.key)).toEqual(profile.codes('district', true));

  const id: string = got.created.service_request_id;
  expect(id).toMatch(/^JY-\d{8}-[0-9A-Z]{6}$/);
  expect(got.alone).toMatchObject({ service_request_id: id, service_code: 'transport', status: 'open' });
  // Its location comes back as it was sent: kept as the suggestion's place.
  expect(got.alone).toMatchObject({ address: '上海市杨浦区国定路政民路口', lat, long: lng });
  expect(got.alone.requested_datetime).toBeTruthy();
  expect(got.listed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);

  // The same suggestion in the chain: channel open311, routed by the rules, its deadline as expected_datetime.
  const view = await eventually(async () => {
    const r = await call('GET', `/v1/suggestions/${id}`, undefined, as(office));
    return r.status === 200 && r.body.leadDepartment ? r.body : undefined;
  }, `${id} routed`);
  expect(view).toMatchObject({ channel: 'open311', category: 'transport', district, status: 'handling' });
  expect(view.content).toContain('国定路政民路口');
  expect(view.place).toEqual({ address: '上海市杨浦区国定路政民路口', coordinates: { lat, lng } });
  const again = await call('GET', `/open311/v2/requests/${id}.json?api_key=${appKey}`);
  expect(again.body[0]).toMatchObject({ status: 'open', agency_responsible: expect.any(String), expected_datetime: view.dueAt });
});

test('JSON and XML as the spec gives them, its error list, and request reads only with an app key', async () => {
  const xml = await fetch(`${base()}/services.xml`);
  expect(xml.headers.get('content-type')).toContain('application/xml');
  const text = await xml.text();
  expect(text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><services><service><service_code>/);

  const definition = await (await fetch(`${base()}/services/transport.xml`)).text();
  expect(definition).toMatch(
    /<service_definition><service_code>transport<\/service_code><attributes><attribute><variable>true<\/variable><code>district<\/code>/,
  );

  const unknown = await call('GET', '/open311/v2/services/no_such_service.json');
  expect(unknown.status).toBe(404);
  expect(unknown.body).toEqual([{ code: 404, description: expect.stringContaining('no_such_service') }]);

  const anonymous = await call('GET', '/open311/v2/requests.json');
  expect(anonymous.status).toBe(403);
  expect(anonymous.body[0].code).toBe(403);
  const officeKey = await call('GET', `/open311/v2/requests.json?api_key=${office}`);
  expect(officeKey.status).toBe(403);

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const noDistrict = await fetch(
    `${base()}/requests.xml`,
    form({ api_key: appKey, service_code: 'transport', address_string: '国定路', description: '路口需要一个更长的行人绿灯时间。' }),
  );
  expect(noDistrict.status).toBe(400);
  expect(await noDistrict.text()).toMatch(/<errors><error><code>400<\/code><description>attribute\[district\]: /);
  const elsewhere = await call('GET', '/open311/v2/services.json?jurisdiction_id=atlantis');
  expect(elsewhere.status).toBe(404);
  expect((await call('GET', `/open311/v2/services.json?jurisdiction_id=${stack.profile.current.city.code}`)).status).toBe(200);
  const noKey = await fetch(
    `${base()}/requests.json`,
    form({ service_code: 'transport', address_string: '国定路', description: '路口需要一个更长的行人绿灯时间。' }),
  );
  expect(noKey.status).toBe(403);

  // A location that cannot be the city's: not numbers, or a point a degree north of its extent, named as GeoReport's fields.
  const district = stack.profile.current.document.districts.find((d) => !d.retired)!.code;
  const at = (lat: string, long: string) =>
    fetch(
      `${base()}/requests.json`,
      form({ api_key: appKey, service_code: 'transport', lat, long, 'attribute[district]': district, description: '路口需要一个更长的行人绿灯时间。' }),
    );
  const notNumbers = await at('north', 'east');
  expect(notNumbers.status).toBe(400);
  expect(((await notNumbers.json()) as { description: string }[])[0].description).toMatch(/^lat and long are decimal degrees/);
  const bounds = stack.profile.current.city.bounds!;
  const north = await at(String(bounds.maxLat + 1), String((bounds.minLng + bounds.maxLng) / 2));
  expect(north.status).toBe(400);
  expect(((await north.json()) as { description: string }[])[0].description).toMatch(/^lat\/long: the point is not in /);
});
