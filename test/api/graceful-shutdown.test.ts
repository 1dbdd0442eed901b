import { createApi } from '../../api/app';
import { serveGracefully } from '../../api/server';
import { as, client } from '../support/api-client';
import { startStack, type Stack } from '../support/stack';

// Shutting down the API loses no request: one in flight finishes with its real answer, a new one
// gets 503, and the Temporal connection and the database pool are released only afterwards.

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

test('in-flight requests finish, new ones get 503, then the resources are released', async () => {
  const released: string[] = [];
  const { app } = createApi({ temporal: stack.temporal, db: stack.db, taskQueue: stack.taskQueue, keys: stack.keys }, () => undefined);
  // Issuing a key is a real request; holding a lock on the keys table keeps it provably in flight
  // while shutdown begins, without any sleep.
  const adminKey = await stack.issueKey('admin');
  const served = await serveGracefully(app, 0, '127.0.0.1', async () => {
    released.push('resources');
  });
  const call = client(served.url);

  let unlock!: () => void;
  const locked = new Promise<void>((resolve) => (unlock = resolve));
  let lockHeld!: () => void;
  const holding = new Promise<void>((resolve) => (lockHeld = resolve));
  const lock = stack.db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE api_keys IN EXCLUSIVE MODE');
      lockHeld();
      await locked;
    },
    { timeout: 60_000 },
  );
  await holding;

  const inFlight = call('POST', '/v1/admin/api-keys', { label: 'issued during shutdown', role: 'intake' }, as(adminKey));
  // The request reaches the app and waits on the table lock.
  await waitFor(
    async () =>
      (
        await stack.db.$queryRawUnsafe<{ n: bigint }[]>(
          `SELECT count(*)::bigint AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%api_keys%'`,
        )
      )[0].n > 0n,
  );

  const stopping = served.shutdown();
  const refused = await call('GET', '/openapi.json');
  expect(refused.status).toBe(503);
  expect(refused.type).toContain('application/problem+json');
  expect(released).toEqual([]);

  unlock();
  await lock;
  const finished = await inFlight;
  expect(finished.status).toBe(201);
  await stopping;
  expect(released).toEqual(['resources']);
  await expect(fetch(`${served.url}/openapi.json`)).rejects.toThrow();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the request to block on the lock');
    await new Promise((r) => setTimeout(r, 50));
  }
}
