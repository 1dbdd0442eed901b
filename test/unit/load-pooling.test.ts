import { pooled, type LoadResult } from '../../bench/support/load';

// The intake benchmark pools each side's two windows (bare, API, API, bare) into one figure.

const run = (latencies: number[], seconds: number, extra: Partial<LoadResult> = {}): LoadResult => ({
  requests: latencies.length,
  accepted: latencies.length,
  throughput: latencies.length / seconds,
  p50: 0,
  p99: 0,
  errors: 0,
  non2xx: 0,
  latencies,
  seconds,
  ...extra,
});

test('pooled runs add their counts, share their time and take percentiles over all their latencies', () => {
  const first = run(
    Array.from({ length: 60 }, (_, i) => i + 1),
    10,
    { errors: 1 },
  );
  const second = run(
    Array.from({ length: 40 }, (_, i) => 1000 + i),
    10,
    { non2xx: 2 },
  );
  const both = pooled([first, second]);
  expect([both.requests, both.accepted, both.errors, both.non2xx, both.seconds]).toEqual([100, 100, 1, 2, 20]);
  expect(both.throughput).toBe(5);
  // Nearest rank: the 50th of 100 latencies is the first window's last, the 99th the second's 39th.
  expect([both.p50, both.p99]).toEqual([50, 1038]);
});
