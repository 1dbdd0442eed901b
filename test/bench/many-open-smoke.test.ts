import { benchManyOpen, manyOpenReport } from '../../bench/many-open';
import { benchOnOwnDatabase } from '../support/bench-database';

// A handful of suggestions so the script never rots; `npm run bench:many-open` opens 10,000.

benchOnOwnDatabase();

test('the many-open benchmark opens suggestions through the API, waits until each waits on its deadline, and measures the worker and the reads', async () => {
  const result = await benchManyOpen({ suggestions: 8, readSeconds: 1, maxCachedWorkflows: 50, log: () => undefined });

  expect(result.suggestions).toBe(8);
  expect(result.failedSubmissions).toBe(0);
  expect(result.distinctReceipts).toBe(8);
  expect(result.waiting).toBe(8);
  expect(result.waitingSeconds).toBeGreaterThanOrEqual(result.startSeconds);
  expect(result.workerIdleMiB).toBeGreaterThan(10);
  expect(result.workerPeakMiB).toBeGreaterThanOrEqual(result.workerSettledMiB);
  expect(result.readsOpen.requests).toBeGreaterThan(0);
  expect(result.readsOpen.failed).toBe(0);
  const report = manyOpenReport(result);
  expect(report).toContain('| suggestions open | 8 |');
  expect(report).toContain('| distinct tracking numbers among them | 8 |');
  expect(report).toContain('WORKER_MAX_CACHED_WORKFLOWS=50');
}, 300_000);
