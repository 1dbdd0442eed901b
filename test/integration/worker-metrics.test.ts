import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { applyMigrations } from '../../prisma/migrate';
import { freePort } from '../../scripts/provision/ports';
import { OutputTail, hasExited, pollUntil, stopChild } from '../../scripts/provision/process';

// The worker process (worker/main.ts, as compose runs it) serves the Temporal SDK's runtime
// metrics for Prometheus at WORKER_METRICS_ADDRESS. A process of its own: the SDK's runtime is
// installed once per process, and the test processes install theirs without metrics.

const root = join(__dirname, '..', '..');

/**
 * A database of the worker's own on the shared server: its outbox dispatcher must not send the
 * notifications other test files are waiting to send themselves.
 */
async function ownDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `worker_metrics_${randomUUID().replaceAll('-', '')}`;
  const admin = async (sql: string) => {
    const pg = new PgClient({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      await pg.query(sql);
    } finally {
      await pg.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return { url: url.toString(), drop: () => admin(`DROP DATABASE ${name} WITH (FORCE)`) };
}

test("the worker serves the Temporal SDK's metrics at WORKER_METRICS_ADDRESS", async () => {
  const address = `127.0.0.1:${await freePort()}`;
  const taskQueue = `metrics-${randomUUID()}`;
  const database = await ownDatabase();
  const output = new OutputTail();
  const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE, WORKER_METRICS_ADDRESS: address, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  worker.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  try {
    const scrape = () =>
      pollUntil(
        `the worker's metrics at ${address}`,
        async () => {
          const res = await fetch(`http://${address}/metrics`);
          return res.ok ? res.text() : undefined;
        },
        { timeoutMs: 60_000, abortIf: () => (hasExited(worker) ? `the worker exited:\n${output}` : undefined) },
      );
    // Pollers are reported once the worker polls its task queue.
    const pollers = new RegExp(`^temporal_num_pollers\\{.*task_queue="${taskQueue}".*\\} [1-9]`, 'm');
    const text = await pollUntil('the worker to poll its task queue', async () => {
      const t = await scrape();
      return pollers.test(t) ? t : undefined;
    }, { timeoutMs: 60_000 });
    expect(text).toMatch(new RegExp(`^temporal_worker_start_total\\{.*task_queue="${taskQueue}".*\\} 1$`, 'm'));
    // The SDK's own view of its calls to the Temporal server, with latencies in seconds.
    expect(text).toMatch(/^temporal_request_total\{.*operation="[A-Za-z]+".*\} [1-9]/m);
    expect(text).toContain('# TYPE temporal_request_latency_seconds histogram');
  } finally {
    await stopChild(worker);
    await database.drop();
  }
});
