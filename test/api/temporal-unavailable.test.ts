import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { createApi } from '../../api/app';
import { connectDatabase, type Database } from '../../prisma/client';
import { freePort } from '../../scripts/provision/ports';
import { client } from '../support/api-client';
import { testKeyRing } from '../support/stack';
import { temporalUnavailable } from '../../api/temporal-errors';

// The workflow service restarting or out of reach is not the caller's fault and not a bug: the
// API answers 503 with Retry-After (the client's own retries have already waited it out for a
// while), and the process keeps serving what needs only PostgreSQL.

let db: Database;
let server: Server;
let connection: Connection;
let call: ReturnType<typeof client>;

beforeAll(async () => {
  db = connectDatabase(process.env.DATABASE_URL!, 2);
  // Nothing listens on this port: every call to Temporal fails as during an outage.
  connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  const { app } = createApi({ temporal: new Client({ connection }), db, taskQueue: 'nowhere', keys: testKeyRing() }, () => undefined);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  call = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await connection?.close();
  await db?.$disconnect();
});

test('intake while Temporal cannot be reached answers 503 with Retry-After; reads from PostgreSQL still answer', async () => {
  const submitted = await call('POST', '/v1/suggestions', {
    title: 'Shade over the bus stop',
    content: 'The stop at Wuning Road has no shelter from the summer sun.',
    category: 'transport',
    district: 'putuo',
  });
  expect(submitted.status).toBe(503);
  expect(submitted.type).toContain('application/problem+json');
  expect(submitted.body.type).toMatch(/\/temporarily-unavailable$/);
  expect(Number(submitted.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await call('GET', '/v1/public/suggestions')).status).toBe(200);
}, 120_000);

test('an update the client stopped waiting for asks for a retry under the same Idempotency-Key', () => {
  const problem = temporalUnavailable(
    new WorkflowUpdateRPCTimeoutOrCancelledError('Timed out or cancelled waiting for Update', { cause: new Error('deadline') }),
  );
  expect(problem).toMatchObject({ status: 503, type: 'still-processing', headers: { 'Retry-After': '2' } });
  expect(problem!.detail).toContain('same Idempotency-Key');
  expect(temporalUnavailable(new Error('something else'))).toBeUndefined();
});
