import { Connection } from '@temporalio/client';
import { faultSeed, LifecycleDriver, lifecycleOf, lostOrDoubled, seededRandom, startServiceStack, workflowRuns, type ServiceStack } from '../support/faults';

// The worker process is killed outright (SIGKILL: no shutdown, tasks and activities cut off
// half-way, the outbox dispatcher stopped mid-delivery) five times while suggestions are in
// flight, and started again each time. Temporal replays the workflows from their histories; the
// projection and the outbox are idempotent; so every suggestion still ends where its people took
// it, once in the read model, and every notification goes out exactly once.

// The full 500 under FAULT_FULL_SCALE=1, as `npm test` and `npm run test:faults` run it (alone on
// the machine); 60 when the file is run by itself. FAULT_SUGGESTIONS overrides both.
const total = Number(process.env.FAULT_SUGGESTIONS ?? (process.env.FAULT_FULL_SCALE ? 500 : 60));
/** Time for the load to settle after the last restart: grows with the load. */
const settleMs = 120_000 + total * 800;
const kills = 5;

let stack: ServiceStack | undefined;
let driver: LifecycleDriver | undefined;
let connection: Connection | undefined;

beforeAll(async () => {
  stack = await startServiceStack(process.env.TEMPORAL_ADDRESS!);
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
});

afterAll(async () => {
  await driver?.stop();
  await stack?.stop();
  await connection?.close();
});

test(
  `${total} suggestions in flight survive ${kills} SIGKILLs of the worker: each reaches its final state once, each notification is sent once`,
  async () => {
    const random = seededRandom(faultSeed('worker-killed'));
    driver = new LifecycleDriver(stack!);
    const submitted = Promise.all(Array.from({ length: total }, (_, i) => driver!.submit(lifecycleOf(i))));

    const openAtKill: number[] = [];
    for (let k = 0; k < kills; k++) {
      // The deliberate part: a random moment, reproducible from the seed.
      await new Promise((r) => setTimeout(r, 1000 + random() * 7000));
      openAtKill.push([...driver.suggestions.values()].filter((s) => !s.done).length + (total - driver.suggestions.size));
      await stack!.killWorker();
      await stack!.startWorker();
    }
    const lastRestart = Date.now();
    await submitted;
    await driver.settled(settleMs, (line) => process.stderr.write(`[worker-killed] ${line}\n`));
    process.stderr.write(
      `[worker-killed] open suggestions at each kill: ${openAtKill.join(', ')}; all final ${Math.round((Date.now() - lastRestart) / 1000)} s after the last restart; ` +
        `"not yet" refusals: ${driver.refusals.length}; API errors retried: ${driver.errors.length}${driver.errors.length ? ` (first: ${driver.errors[0]})` : ''}\n`,
    );

    // Every kill hit suggestions in flight.
    expect(openAtKill.every((open) => open > 0)).toBe(true);
    expect(driver.suggestions.size).toBe(total);
    expect(driver.unexpectedRefusals()).toEqual([]);
    expect(await lostOrDoubled(stack!, driver)).toEqual([]);

    // One workflow per tracking number, none started twice.
    const runs = await workflowRuns(connection!, `TaskQueue = '${stack!.taskQueue}'`);
    expect(runs.size).toBe(total);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  },
  settleMs + 150_000,
);
