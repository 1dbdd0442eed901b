import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startObjectStore, type ObjectStoreServer } from '../../scripts/provision/object-store';
import { ObjectStore, objectStoreConfigFrom } from '../../storage/object-store';
import { fileForm, jpegWithGps, objectKeys } from '../support/attachments';
import { startStack, type Stack } from '../support/stack';

// The object store goes down and comes back: a SeaweedFS of this test's own, stopped and started
// again on the same port and directory, under a stack that keeps running.

let store: ObjectStoreServer;
let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'object-store-outage-'));
const log = (m: string) => process.stderr.write(`[outage test] ${m}\n`);
const config = () => objectStoreConfigFrom(store.env('outage-test'))!;

beforeAll(async () => {
  store = await startObjectStore({ dataDir: dir, log });
  const objects = new ObjectStore(config(), stack?.keys ?? (await import('../support/stack')).testKeyRing());
  await objects.ensureBucket();
  objects.close();
  stack = await startStack({ objects: config() });
});
afterAll(async () => {
  await stack?.stop();
  await store?.stop();
});

const typed = {
  formKey: 'formkey-outage-0123456789',
  title: '五角场环岛人行道破损',
  content: '五角场环岛下沉广场东侧的人行道砖松动破损，雨天积水，老人容易滑倒。附上照片。',
  category: 'city_appearance',
  district: 'yangpu',
  street: '310110019',
  placeAddress: '五角场环岛东侧人行道',
  replyChannel: 'online',
};

test('with the store down, intake with files answers 503 with Retry-After and keeps the text; once it is back the same upload works', async () => {
  const photo = await jpegWithGps();
  await store.stop();

  const api = await fetch(`${stack.baseUrl}/v1/uploads`, { method: 'POST', body: fileForm(photo, 'site.jpg', 'image/jpeg') });
  expect(api.status).toBe(503);
  expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await api.json()) as { type: string }).type).toMatch(/object-store-unavailable$/);

  const page = await fetch(`${stack.baseUrl}/submit`, { method: 'POST', body: fileForm(photo, '破损照片.jpg', 'image/jpeg', typed, 'files') });
  const text = await page.text();
  expect(page.status).toBe(503);
  expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
  // Nothing the citizen typed is lost, and the page says which file failed and why.
  for (const value of [typed.title, typed.content, typed.placeAddress]) expect(text).toContain(value);
  expect(text).toContain('value="310110019" selected');
  expect(text).toContain('破损照片.jpg: 文件存储暂时不可用');
  expect(await stack.db.suggestion.count({ where: { title: typed.title } })).toBe(0);

  store = await startObjectStore({ dataDir: dir, port: store.port, log });
  const retried = await fetch(`${stack.baseUrl}/v1/uploads`, { method: 'POST', body: fileForm(photo, 'site.jpg', 'image/jpeg') });
  expect(retried.status).toBe(201);
  const sent = await fetch(`${stack.baseUrl}/submit`, { method: 'POST', body: fileForm(photo, '破损照片.jpg', 'image/jpeg', typed, 'files') });
  const receipt = await sent.text();
  expect(sent.status).toBe(200);
  expect(receipt).toMatch(/JY-\d{8}-[0-9A-Z]{6}/);
  expect((await objectKeys(config())).length).toBe(4); // two photos (API and form), each with its thumbnail
});
