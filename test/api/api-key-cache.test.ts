import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenForApiKeyChanges, type KeyChangeListener } from '../../api/api-key-cache';
import { createApp } from '../../api/app';
import { hashApiKey } from '../../api/auth';
import { connectDatabase, type Database } from '../../prisma/client';
import { as, client } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// The API replica keeps the identities of the staff keys it has seen while it listens for key
// changes on PostgreSQL's api_keys_changed channel (api/api-key-cache.ts): a key revoked anywhere,
// here by another process's connection as `npm run api-keys -- revoke` would, is refused once
// PostgreSQL has announced it; without the listener every request asks PostgreSQL.

let stack: Stack;
let listener: KeyChangeListener;
let server: Server;
let call: ReturnType<typeof client>;
let elsewhere: Database;

beforeAll(async () => {
  stack = await startStack();
  listener = listenForApiKeyChanges(process.env.DATABASE_URL!);
  const app = createApp({ temporal: stack.temporal, db: stack.db, taskQueue: stack.taskQueue, keys: stack.keys, apiKeys: listener.cache }, () => undefined);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  call = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  elsewhere = connectDatabase(process.env.DATABASE_URL!, 1);
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await listener?.close();
  await elsewhere?.$disconnect();
  await stack?.stop();
});

const listening = () => eventually(async () => listener.cache.listening, 'the listener');

test('a key is kept after its first request and refused once its revocation elsewhere is announced', async () => {
  await listening();
  const key = await stack.issueKey('supervisor');
  // Kept by a request that no announcement overtook (the key's own issue is announced too).
  const kept = await eventually(
    async () => (await call('GET', '/v1/overdue', undefined, as(key))).status === 200 && listener.cache.get(hashApiKey(key)),
    'the key to be kept',
  );
  expect(kept).toMatchObject({ role: 'supervisor' });
  expect((await call('GET', '/v1/overdue', undefined, as(key))).status).toBe(200);

  await elsewhere.apiKey.update({ where: { hash: hashApiKey(key) }, data: { revokedAt: new Date() } });
  await eventually(async () => listener.cache.get(hashApiKey(key)) === undefined, 'the revocation to be announced');
  expect((await call('GET', '/v1/overdue', undefined, as(key))).status).toBe(401);
});

test('an administrator revoking a key through this replica is refused from the next request, announcement or not', async () => {
  await listening();
  const admin = await stack.issueKey('admin');
  const issued = await call('POST', '/v1/admin/api-keys', { label: 'Mr Wang, supervision', role: 'supervisor' }, as(admin));
  expect(issued.status).toBe(201);
  expect((await call('GET', '/v1/overdue', undefined, as(issued.body.key))).status).toBe(200);
  expect((await call('DELETE', `/v1/admin/api-keys/${issued.body.id}`, undefined, as(admin))).status).toBe(200);
  expect((await call('GET', '/v1/overdue', undefined, as(issued.body.key))).status).toBe(401);
});

test('while the listener is closed nothing is kept, and every key is looked up', async () => {
  const quiet = listenForApiKeyChanges(process.env.DATABASE_URL!);
  await quiet.close();
  const key = await stack.issueKey('supervisor');
  const app = createApp({ temporal: stack.temporal, db: stack.db, taskQueue: stack.taskQueue, keys: stack.keys, apiKeys: quiet.cache }, () => undefined);
  const other = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const otherCall = client(`http://127.0.0.1:${(other.address() as AddressInfo).port}`);
    expect((await otherCall('GET', '/v1/overdue', undefined, as(key))).status).toBe(200);
    expect(quiet.cache.get(hashApiKey(key))).toBeUndefined();
    // Revoked without any announcement reaching this cache: refused at once all the same.
    await elsewhere.apiKey.update({ where: { hash: hashApiKey(key) }, data: { revokedAt: new Date() } });
    expect((await otherCall('GET', '/v1/overdue', undefined, as(key))).status).toBe(401);
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});
