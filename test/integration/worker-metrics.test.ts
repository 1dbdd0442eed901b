import { randomUUID } from 'node:crypto';
import { freePort } from '../../scripts/provision/ports';
import { pollUntil } from '../../scripts/provision/process';
import { ownDatabase, parseLine, startServiceProcess } from '../support/service-process';

// The worker process (worker/main.ts, as compose runs it) serves the Temporal SDK's runtime
// metrics for Prometheus at WORKER_METRICS_ADDRESS and writes the SDK's log lines as JSON. A
// process of its own: the SDK's runtime is installed once per process, and the test processes
// install theirs without metrics.

test("the worker serves the Temporal SDK's metrics at WORKER_METRICS_ADDRESS and logs the SDK's lines as JSON", async () => {
  const address = `127.0.0.1:${await freePort()}`;
  const taskQueue = `metrics-${randomUUID()}`;
  // Its outbox dispatcher must not send the notifications other test files send themselves.
  const database = await ownDatabase();
  const worker = startServiceProcess('worker/main.ts', {
    DATABASE_URL: database.url,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
    WORKER_METRICS_ADDRESS: address,
    LOG_LEVEL: 'info',
  });
  try {
    // The SDK announces the running worker through the worker's own logger.
    const running = await worker.waitForLine('the worker running', (e) => e.msg === 'Worker state changed' && e.state === 'RUNNING');
    expect(running).toMatchObject({ service: 'worker', level: 'info', taskQueue, sdkComponent: 'worker' });

    // Pollers are reported once the worker polls its task queue.
    const pollers = new RegExp(`^temporal_num_pollers\\{.*task_queue="${taskQueue}".*\\} [1-9]`, 'm');
    const text = await pollUntil(
      `the worker's metrics at ${address}`,
      async () => {
        const res = await fetch(`http://${address}/metrics`);
        const body = res.ok ? await res.text() : '';
        return pollers.test(body) ? body : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(text).toMatch(new RegExp(`^temporal_worker_start_total\\{.*task_queue="${taskQueue}".*\\} 1$`, 'm'));
    // The SDK's own view of its calls to the Temporal server, with latencies in seconds.
    expect(text).toMatch(/^temporal_request_total\{.*operation="[A-Za-z]+".*\} [1-9]/m);
    expect(text).toContain('# TYPE temporal_request_latency_seconds histogram');
  } finally {
    await worker.stop();
    await database.drop();
  }
  // Every line the worker wrote is one JSON object.
  expect(worker.lines.length).toBeGreaterThan(0);
  expect(worker.lines.filter((line) => parseLine(line) === undefined)).toEqual([]);
});
