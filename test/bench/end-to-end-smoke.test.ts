import { benchEndToEnd, endToEndReport } from '../../bench/end-to-end';
import { benchOnOwnDatabase } from '../support/bench-database';

// A few seconds of each run so the script never rots; `npm run bench:e2e` runs a minute each.

benchOnOwnDatabase();

test('the end-to-end benchmark completes suggestion lifecycles through the API and minimal workflows, counts the actions of both and charges each the CPU of the servers', async () => {
  const result = await benchEndToEnd({ concurrency: 2, seconds: 2, log: () => undefined });

  expect(result.service.failed).toBe(0);
  expect(result.service.completed).toBeGreaterThan(0);
  // A lifecycle is more than a start: registration, decision, reply, rating, closure.
  expect(result.service.actionsPerLifecycle).toBeGreaterThan(5);
  for (const baseline of [result.baselineBefore, result.baselineAfter]) {
    expect(baseline.completed).toBeGreaterThan(0);
    expect(baseline.actions).toBe(baseline.completed); // the minimal workflow is its start and nothing else
  }
  // Each run is charged the CPU of the servers that did its work (here the test's own PostgreSQL and Temporal server are not the benchmark's: not measured).
  expect(result.service.cpu.api).toBeGreaterThan(0);
  expect(result.service.cpu.worker).toBeGreaterThan(0);
  for (const baseline of [result.baselineBefore, result.baselineAfter]) expect(baseline.cpu.minimalWorker).toBeGreaterThan(0);
  expect(result.service.perCpuSecond).toBeGreaterThan(0);
  expect(result.ratio).toBeGreaterThan(0);
  expect(result.actionsRatio).toBeGreaterThan(0);
  const report = endToEndReport(result);
  expect(report).toMatch(/\| suggestion lifecycles \| \d+ \| [\d.]+ \| [\d.]+ \| \d+ \| [\d.]+ \|/);
  expect(report).toMatch(/\| suggestion lifecycles \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| \*\*[\d.]+\*\* \| [\d.]+ \|/);
}, 300_000);
