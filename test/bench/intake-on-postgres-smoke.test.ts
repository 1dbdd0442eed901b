import { benchIntake, intakeReport } from '../../bench/intake';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/provision/temporal-server-postgres';
import { benchOnOwnDatabase } from '../support/bench-database';

// The intake benchmark on Temporal Server with PostgreSQL (BENCH_TEMPORAL=postgres), the production
// shape, which the benchmark provisions itself: the server built from the Go module proxy (once,
// into the cache), its databases made and brought to its schema in the test PostgreSQL.

benchOnOwnDatabase();

const before = { kind: process.env.BENCH_TEMPORAL, address: process.env.TEMPORAL_ADDRESS };
beforeAll(() => {
  process.env.BENCH_TEMPORAL = 'postgres';
  delete process.env.TEMPORAL_ADDRESS;
});
afterAll(() => {
  if (before.kind === undefined) delete process.env.BENCH_TEMPORAL;
  else process.env.BENCH_TEMPORAL = before.kind;
  process.env.TEMPORAL_ADDRESS = before.address;
});

test('the intake benchmark runs on a Temporal server of its own on PostgreSQL, and measures that server', async () => {
  const lines: string[] = [];
  const { runs, accepted, recorded, cutOff } = await benchIntake({ concurrency: [2], seconds: 1, log: (m) => lines.push(m) });

  expect(lines).toContainEqual(
    expect.stringMatching(new RegExp(`^Temporal Server ${TEMPORAL_SERVER_VERSION.replaceAll('.', '\\.')} on PostgreSQL at 127\\.0\\.0\\.1:\\d+$`)),
  );
  const [run] = runs;
  expect(run.api.requests).toBeGreaterThan(0);
  expect([run.api.errors, run.api.non2xx, run.bare.errors, run.bare.non2xx]).toEqual([0, 0, 0, 0]);
  // The server's own process is found and its CPU counted, for both sides.
  expect(run.apiCpu.temporal).toBeGreaterThan(0);
  expect(run.bareCpu.temporal).toBeGreaterThan(0);
  const report = intakeReport(runs, 1);
  expect(report).toContain('## Intake on Temporal Server with PostgreSQL');
  expect(report).toContain(`Temporal Server ${TEMPORAL_SERVER_VERSION} on PostgreSQL`);
  expect(recorded).toBeGreaterThanOrEqual(accepted);
  expect(recorded).toBeLessThanOrEqual(accepted + cutOff);
}, 1_200_000);
