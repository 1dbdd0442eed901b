import { benchIntake, intakeReport } from '../../bench/intake';
import { benchOnOwnDatabase } from '../support/bench-database';

// A short run of the intake benchmark so the script never rots; the figures come from `npm run bench`.

benchOnOwnDatabase();

test('the intake benchmark drives both paths without a failed request, and every accepted suggestion is recorded', async () => {
  const { runs, accepted, recorded, cutOff } = await benchIntake({ concurrency: [2], seconds: 1, log: () => undefined });

  const [run] = runs;
  expect(run.api.requests).toBeGreaterThan(0);
  expect(run.bare.requests).toBeGreaterThan(0);
  expect([run.api.errors, run.api.non2xx, run.bare.errors, run.bare.non2xx]).toEqual([0, 0, 0, 0]);
  expect(intakeReport(runs, 1)).toMatch(/\| 2 \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
  // Each side's HTTP server and worker are this run's processes: their CPU is measured.
  for (const cpu of [run.apiCpu, run.bareCpu]) {
    expect(cpu.front).toBeGreaterThan(0);
    expect(cpu.worker).toBeGreaterThan(0);
  }
  expect(intakeReport(runs, 1)).toMatch(/\| 2 \| API \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
  // Each front timed its waits on Temporal's answers to the starts; no wait is longer than a request.
  for (const [result, startMs] of [
    [run.api, run.apiStartMs],
    [run.bare, run.bareStartMs],
  ] as const) {
    expect(startMs).toBeGreaterThan(0);
    expect(startMs).toBeLessThanOrEqual(Math.max(...result.latencies));
  }
  expect(accepted).toBeGreaterThanOrEqual(run.api.requests);
  // Every accepted suggestion is recorded; beyond them only requests cut off at the end of a run.
  expect(recorded).toBeGreaterThanOrEqual(accepted);
  expect(recorded).toBeLessThanOrEqual(accepted + cutOff);
}, 600_000);
