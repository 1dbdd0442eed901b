import { benchSustained, sustainedReport } from '../../bench/sustained';
import { benchOnOwnDatabase } from '../support/bench-database';

// A few seconds of each window so the script never rots; `npm run bench:sustained` climbs in
// 30-second windows and holds the highest bounded rate for ten minutes.

benchOnOwnDatabase();

test('the sustained-load benchmark climbs the arrival rate of suggestions and of bare starts, holds the highest bounded one and charges each request the CPU of its servers', async () => {
  const result = await benchSustained({ serviceFrom: 2, bareFrom: 4, factor: 1.5, maxSteps: 2, stepSeconds: 3, holdSeconds: 3, log: () => undefined });

  for (const side of [result.service, result.bare]) {
    expect(side.ramp.length).toBeGreaterThan(0);
    // The slowest rates a 2-core machine takes without falling behind: each side holds a rate.
    expect(side.ramp[0].bounded).toBe(true);
    expect(side.highest).toBeGreaterThanOrEqual(side.ramp[0].rate);
    expect(side.hold?.rate).toBe(side.highest);
    for (const w of [...side.ramp, side.hold!]) {
      expect(w.due).toBe(Math.floor(w.rate * w.seconds));
      expect(w.accepted + w.failed).toBe(w.due);
      expect(w.p99).toBeGreaterThanOrEqual(w.p50);
    }
  }
  // Every suggestion accepted was routed before the benchmark went on (its backlog worked off), and the worker's CPU is charged to it.
  expect(result.service.hold!.cpuMs.worker).toBeGreaterThan(0);
  expect(result.bare.hold!.cpuMs.minimalWorker).toBeGreaterThan(0);
  const report = sustainedReport(result);
  expect(report).toMatch(/\| suggestions \(API\) \| \*\*held\*\* \| [\d.]+ \| 3 \| \d+ \/ \d+ \|/);
  expect(report).toMatch(/Highest bounded rate, suggestions against bare starts: \*\*[\d.]+\*\*/);
}, 300_000);
