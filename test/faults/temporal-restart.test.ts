import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/provision/temporal-dev-server';
import {
  faultSeed,
  LifecycleDriver,
  lifecycleOf,
  lostOrDoubled,
  seededRandom,
  startServiceStack,
  unanswered,
  workflowRuns,
  type ServiceStack,
} from '../support/faults';
import { suggestionWorkflowType } from '../../domain/workflow-types';

// The Temporal server itself crashes (SIGKILL) in the middle of a load and comes back on the same
// port and the same database file. The API and the worker reconnect by themselves; clients that
// got an error while it was down retry with the same Idempotency-Key and get the first result;
// every accepted suggestion reaches its state, once, and every notification goes out once.

// The larger load under FAULT_FULL_SCALE=1, as `npm test` and `npm run test:faults` run it; FAULT_SUGGESTIONS overrides both.
const total = Number(process.env.FAULT_SUGGESTIONS ?? (process.env.FAULT_FULL_SCALE ? 200 : 60));
/** Time for the load to settle after the restart: grows with the load. */
const settleMs = 120_000 + total * 800;
const dir = mkdtempSync(join(tmpdir(), 'temporal-restart-'));
const dbFilename = join(dir, 'temporal.db');

let server: TemporalDevServer | undefined;
let stack: ServiceStack | undefined;
let driver: LifecycleDriver | undefined;

beforeAll(async () => {
  server = await startTemporalDevServer({ dbFilename, headless: true });
  stack = await startServiceStack(server.address);
});

afterAll(async () => {
  await driver?.stop();
  await stack?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test(
  `the Temporal server killed and restarted on its database file under a load of ${total} suggestions: nothing lost, nothing duplicated, retries answered with the first result`,
  async () => {
    const random = seededRandom(faultSeed('temporal-restart'));
    const log = (line: string) => process.stderr.write(`[temporal-restart] ${line}\n`);
    // Clients give up after 10 s and retry with the same Idempotency-Key, so some retries overlap
    // requests still waiting on the server that is down.
    driver = new LifecycleDriver(stack!, { concurrency: 32, requestTimeoutMs: 10_000 });
    const port = Number(server!.address.split(':').pop());

    // Intake goes on at a steady pace before, during and after the outage.
    const submitted: Promise<string>[] = [];
    const intake = (async () => {
      for (let i = 0; i < total; i++) {
        submitted.push(driver!.submit(lifecycleOf(i), `restart-intake-${i}`));
        await new Promise((r) => setTimeout(r, 150));
      }
    })();

    // The deliberate part: a random moment for the crash and a random outage, reproducible from the seed.
    await new Promise((r) => setTimeout(r, 3000 + random() * 4000));
    const openAtCrash = total - [...driver.suggestions.values()].filter((s) => s.done).length;
    const errorsBefore = driver.errors.length;
    await server!.kill();
    const downFor = 5000 + random() * 5000;
    await new Promise((r) => setTimeout(r, downFor));
    server = await startTemporalDevServer({ dbFilename, port, headless: true });
    const errorsWhileDown = driver.errors.length - errorsBefore;

    await intake;
    const ids = await Promise.all(submitted);
    await driver.settled(settleMs, log);
    log(
      `${openAtCrash} suggestions open at the crash, down ${Math.round(downFor)} ms; client errors while down: ${errorsWhileDown} (first: ${driver.errors[errorsBefore] ?? 'none'}); "not yet" refusals: ${driver.refusals.length}; ${driver.latencySummary()}`,
    );

    expect(openAtCrash).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(total);
    expect(driver.unexpectedRefusals()).toEqual([]);
    expect(await lostOrDoubled(stack!, driver)).toEqual([]);

    // One workflow per tracking number on the restarted server: no retry started a second one.
    const connection = await Connection.connect({ address: server.address });
    try {
      const runs = await workflowRuns(connection, `WorkflowType = '${suggestionWorkflowType}'`);
      expect(runs.size).toBe(total);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      // Every one of them still replays on the worker: each answers its state query.
      expect(await unanswered(connection, stack!.taskQueue, [...runs.keys()])).toEqual([]);
    } finally {
      await connection.close();
    }

    // Every answer a key got, and one more retry of each now, repeat the first result, token included.
    const differing: string[] = [];
    const receiptOf = (a: { status: number; body: any }) =>
      JSON.stringify({
        status: a.status,
        id: a.body?.id,
        trackingNumber: a.body?.trackingNumber,
        receivedAt: a.body?.receivedAt,
        trackingToken: a.body?.trackingToken,
      });
    // Side by side, as many at once as the driver sends: each retry asks its finished workflow for
    // the first receipt, which a worker answers by replaying the whole history.
    const errorsBeforeRetries = driver.errors.length;
    const retried = Date.now();
    // A retry answered 5xx is sent again until it is not: say so while it lasts.
    const watch = setInterval(() => {
      const failed = stack!.api.lines.filter((line) => line.includes('request failed')).at(-1);
      log(
        `still retrying after ${Date.now() - retried} ms; errors so far: ${driver!.errors.length - errorsBeforeRetries} (last: ${driver!.errors.at(-1) ?? 'none'}); the API's last failure: ${failed?.slice(0, 1500) ?? 'none'}`,
      );
    }, 30_000);
    try {
      await Promise.all([...driver.suggestions.values()].map((s) => driver!.send('POST', '/v1/suggestions', 'intake', s.intakeBody, s.intakeKey)));
    } finally {
      clearInterval(watch);
    }
    log(
      `every key retried once more in ${Date.now() - retried} ms; errors meanwhile: ${driver.errors.length - errorsBeforeRetries} (first: ${driver.errors[errorsBeforeRetries] ?? 'none'})`,
    );
    for (const s of driver.suggestions.values()) {
      const first = receiptOf(s.receipt);
      for (const later of driver.answers
        .get(s.intakeKey)!
        .filter((a) => a.status < 500)
        .map(receiptOf)) {
        if (later !== first) differing.push(`${s.intakeKey}: ${later} after ${first}`);
      }
    }
    expect(differing).toEqual([]);
  },
  settleMs + 150_000,
);
