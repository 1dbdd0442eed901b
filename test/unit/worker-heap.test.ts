import { getHeapStatistics } from 'node:v8';
import { heapTooSmall, workerHeapLimitMiB, workerNodeArgs } from '../../worker/heap';

test('the worker heap grows with its workflow cache, in steps of 32 MiB', () => {
  expect(workerHeapLimitMiB(250)).toBe(320);
  expect(workerHeapLimitMiB(0)).toBe(160);
  expect(workerHeapLimitMiB(1000)).toBeGreaterThan(workerHeapLimitMiB(250) + 400);
  expect(workerHeapLimitMiB(1000) % 32).toBe(0);
  expect(workerNodeArgs(250)).toEqual(['--max-old-space-size=320']);
});

test('a worker whose heap cannot hold its cache says what to start it with', () => {
  const limitMiB = getHeapStatistics().heap_size_limit / 2 ** 20;
  expect(heapTooSmall(0)).toBeUndefined();
  const tooMany = Math.ceil((limitMiB * 2) / 0.64);
  expect(heapTooSmall(tooMany)).toMatch(new RegExp(`--max-old-space-size=${workerHeapLimitMiB(tooMany)}`));
});
