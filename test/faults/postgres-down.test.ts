import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { hashApiKey } from '../../api/auth';
import { encryptedDataConverter } from '../../codec';
import { connectDatabase, type Database } from '../../prisma/client';
import { prepareDatabase } from '../../prisma/prepare';
import { freePort } from '../../scripts/provision/ports';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/provision/postgres';
import { parseLine, startServiceProcess, type ServiceProcess } from '../support/service-process';
import { eventually, testKeyRing } from '../support/stack';

// PostgreSQL goes away for half a minute while suggestions come in and departments answer. The
// workflows do not need it: intake starts them, and their projections into the read model (and
// the outbox) retry until the database is back. Meanwhile the API answers what needs the database
// with 503 and Retry-After, the public can still submit, and neither process falls over. After
// it, the read model holds every accepted suggestion in its right state, each notification sent once.

/** How long PostgreSQL stays down (FAULT_POSTGRES_OUTAGE_MS for a longer or shorter run). */
const outageMs = Number(process.env.FAULT_POSTGRES_OUTAGE_MS ?? 30_000);
/** Suggestions in handling when the database goes; half of them are decided just as it goes. */
const openBefore = 6;
/** A citizen submits every this often during the outage. */
const submitEveryMs = 1000;

let dataDir: string;
let port: number;
let postgres: EmbeddedPostgres | undefined;
let databaseUrl: string;
let db: Database;
let api: ServiceProcess;
let worker: ServiceProcess;
let transportKey: string;
let apiUrl: string;
let connection: Connection;
const taskQueue = `faults-postgres-${randomUUID()}`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sc-postgres-down-'));
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port });
  databaseUrl = postgres.databaseUrl;
  await prepareDatabase(databaseUrl);
  db = connectDatabase(databaseUrl, 2);
  transportKey = `fault-${randomUUID()}`;
  await db.apiKey.create({
    data: { id: randomUUID(), hash: hashApiKey(transportKey), label: 'transport desk', role: 'department', departmentCode: 'transport' },
  });
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
    RATE_LIMIT_READS_PER_MINUTE: '1000000',
  };
  api = startServiceProcess('api/main.ts', env);
  worker = startServiceProcess('worker/main.ts', env);
  apiUrl = ((await api.waitForLine('its address', (e) => e.msg === 'API listening')) as { url: string }).url;
  await worker.waitForLine('the worker running', (e) => e.msg === 'Worker state changed' && e.state === 'RUNNING');
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await connection?.close();
  await db?.$disconnect();
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Accepted {
  id: string;
  token: string;
}

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(apiUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A citizen on the web form: no account, so nothing to look up in PostgreSQL before the workflow starts. */
async function submit(): Promise<Accepted> {
  const answer = await call(
    'POST',
    '/v1/suggestions',
    { 'idempotency-key': `citizen-${randomUUID()}` },
    {
      title: 'Move the bus stop on Guoding Road',
      content: 'The stop sits right after the crossing, so buses block the junction at rush hour.',
      category: 'transport',
      district: 'yangpu',
      proposer: { phone: '13800000009', replyChannel: 'sms' },
    },
  );
  if (answer.status !== 202) throw new Error(`intake answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { id: answer.body.id, token: answer.body.trackingToken };
}

const decision = {
  outcome: 'for_reference',
  reason: 'The junction is rebuilt next year; the stop moves with it.',
  reply: 'We will take this up with the junction works.',
};

/** The department decides; told 503, it waits as Retry-After says and sends again under the same Idempotency-Key. */
async function decide(id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const answer = await call(
      'POST',
      `/v1/suggestions/${id}/decision`,
      { authorization: `Bearer ${transportKey}`, 'idempotency-key': `${id}:decide` },
      decision,
    );
    if (answer.status === 200) return;
    if (answer.status !== 503 || attempt === 5) throw new Error(`deciding ${id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    await new Promise((r) => setTimeout(r, Number(answer.headers.get('retry-after') ?? 1) * 1000));
  }
}

async function rowsIn(ids: string[], status: string): Promise<boolean> {
  const rows = await db.suggestion.count({ where: { id: { in: ids }, status } });
  return rows === ids.length;
}

/** The answer while PostgreSQL is away: a problem document that says when to come back. */
function expectTemporarilyUnavailable(answer: Awaited<ReturnType<typeof call>>): void {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(answer.body).toMatchObject({ status: 503, type: expect.stringMatching(/temporarily-unavailable$/) });
}

test(`PostgreSQL down for ${outageMs / 1000} s under load: intake goes on, reads answer 503 with Retry-After, projections catch up, nothing lost or sent twice`, async () => {
  const pids = { api: api.child.pid, worker: worker.child.pid };
  const before = await Promise.all(Array.from({ length: openBefore }, () => submit()));
  await eventually(
    () =>
      rowsIn(
        before.map((s) => s.id),
        'handling',
      ),
    'the first suggestions to reach their department',
  );

  // The department answers half of them as the database goes: their projections and replies fall into the outage.
  const decidedAsItWent = before.slice(0, openBefore / 2);
  await Promise.all(decidedAsItWent.map((s) => decide(s.id)));
  await postgres!.stop();
  const outageStarted = Date.now();

  const during: Accepted[] = [];
  const refusedDuring: string[] = [];
  let checkedReads = 0;
  while (Date.now() - outageStarted < outageMs) {
    const next = Date.now() + submitEveryMs;
    const [accepted] = await Promise.all([
      submit().catch((err: Error) => {
        refusedDuring.push(err.message);
        return undefined;
      }),
      // A few of each kind of read, early in the outage, while the load goes on.
      checkedReads < 3
        ? (async () => {
            expectTemporarilyUnavailable(await call('GET', `/v1/suggestions/${before[openBefore - 1].id}`, { authorization: `Bearer ${transportKey}` }));
            expectTemporarilyUnavailable(await call('GET', `/v1/suggestions/${before[0].id}/tracking`, { 'x-tracking-token': before[0].token }));
            expectTemporarilyUnavailable(await call('GET', '/v1/public/suggestions'));
            const health = await call('GET', '/healthz');
            expect(health.status).toBe(503);
            expect(health.body).toMatchObject({ temporal: 'ok', database: 'unreachable' });
            checkedReads += 1;
          })()
        : undefined,
    ]);
    if (accepted) during.push(accepted);
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  expect(refusedDuring).toEqual([]);
  expect(checkedReads).toBe(3);
  // The outage really was under load (a submission may take seconds on a busy machine).
  expect(during.length).toBeGreaterThanOrEqual(Math.max(1, Math.floor(outageMs / submitEveryMs / 4)));

  postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port });
  const backAt = Date.now();
  await eventually(async () => (await call('GET', '/healthz')).status === 200, '/healthz to report the database back');

  // Registrations retried during the outage land, and the tracking tokens handed out meanwhile work.
  await eventually(
    () =>
      rowsIn(
        during.map((s) => s.id),
        'handling',
      ),
    'the suggestions taken in during the outage to reach their department',
    120_000,
  );
  await eventually(
    () =>
      rowsIn(
        decidedAsItWent.map((s) => s.id),
        'replied',
      ),
    'the decisions made as the database went to be projected',
    120_000,
  );
  const caughtUpS = Math.round((Date.now() - backAt) / 1000);
  for (const s of during.slice(0, 3)) {
    const tracked = await call('GET', `/v1/suggestions/${s.id}/tracking`, { 'x-tracking-token': s.token });
    expect(tracked.status).toBe(200);
  }

  // The rest are answered now; every one of them ends replied, with exactly its notifications.
  const rest = [...before.slice(openBefore / 2), ...during];
  await Promise.all(rest.map((s) => decide(s.id)));
  const all = [...before, ...during];
  const ids = all.map((s) => s.id);
  await eventually(() => rowsIn(ids, 'replied'), 'every suggestion to be replied to', 120_000);
  await eventually(async () => (await db.notification.count({ where: { status: { not: 'sent' } } })) === 0, 'the outbox to be sent', 60_000);

  const rows = await db.suggestion.findMany({ select: { id: true, status: true, outcome: true, leadDepartment: true } });
  expect(rows.length).toBe(all.length);
  expect(rows.filter((r) => !(ids.includes(r.id) && r.status === 'replied' && r.outcome === 'for_reference' && r.leadDepartment === 'transport'))).toEqual([]);
  const notifications = await db.notification.findMany({ select: { id: true, suggestionId: true } });
  const kinds = new Map<string, string[]>();
  // A notification's key within its suggestion; the assignment's carries the workflow's version.
  for (const n of notifications)
    kinds.set(n.suggestionId!, [...(kinds.get(n.suggestionId!) ?? []), n.id.slice(n.suggestionId!.length + 1).replace(/^assigned-\d+$/, 'assigned-#')].sort());
  expect(ids.filter((id) => kinds.get(id)?.join() !== 'acknowledgement,assigned-#,reply-1')).toEqual([]);
  // Each delivered once: a mailbox row per notification, and one delivery line in the worker's log each.
  expect(await db.mailboxMessage.count()).toBe(notifications.length);
  const deliveries = worker.lines.map(parseLine).filter((e) => /^\[(email|sms|letter|phone|online)\] /.test(String(e?.msg)));
  expect(deliveries.length).toBe(notifications.length);

  // One workflow per accepted suggestion, none started twice; neither process restarted.
  const runs = new Map<string, number>();
  for await (const run of new Client({ connection, dataConverter: encryptedDataConverter(testKeyRing()) }).workflow.list({
    query: `TaskQueue = '${taskQueue}'`,
  }))
    runs.set(run.workflowId, (runs.get(run.workflowId) ?? 0) + 1);
  expect(runs.size).toBe(all.length);
  expect([...runs.values()].every((n) => n === 1)).toBe(true);
  expect({ api: api.child.pid, worker: worker.child.pid }).toEqual(pids);
  expect([api.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
  process.stderr.write(
    `[postgres-down] ${outageMs / 1000} s outage: ${during.length} suggestions taken in meanwhile; read model caught up ${caughtUpS} s after PostgreSQL returned\n`,
  );
});
