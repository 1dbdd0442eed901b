import { archiveReport, benchArchive } from '../../bench/archive';
import { benchOnOwnDatabase } from '../support/bench-database';

// A small archive so the script never rots; `npm run bench:archive` writes a million suggestions.

benchOnOwnDatabase();

test('the archive benchmark fills the read model by bulk SQL and reads each page through the API and through bare SQL, with its plans', async () => {
  const result = await benchArchive({ suggestions: 2_000, years: 5, seconds: 1, concurrency: [2], log: () => undefined });

  if (result.archive.reused) throw new Error('the smoke test writes its own archive');
  expect(result.archive.suggestions).toBe(2_000);
  // Five years of a city's suggestions: most closed, some still open; a timeline and an outbox for each.
  expect(result.archive.byStatus.closed).toBeGreaterThan(1_500);
  expect(result.archive.events).toBeGreaterThan(5 * 2_000);
  expect(result.archive.notifications).toBeGreaterThan(2 * 2_000);
  expect(result.archive.tableBytes.suggestion_terms).toBeGreaterThan(0);
  expect(result.cases.map((c) => c.name)).toEqual([
    'department inbox',
    'triage queue',
    'overdue list',
    'filtered list, deep',
    'statistics, a year by department',
    'public board, filtered',
    'similar, at intake',
  ]);
  for (const c of result.cases) {
    const [run] = c.runs;
    expect(run.api.requests).toBeGreaterThan(0);
    expect(run.bare.requests).toBeGreaterThan(0);
    expect([c.name, run.api.errors + run.api.non2xx + run.bare.errors + run.bare.non2xx]).toEqual([c.name, 0]);
    // The statements the page's code ran, each with its plan.
    expect(c.statements.flat().length).toBeGreaterThan(0);
    expect(c.plans).toHaveLength(c.statements.flat().length);
    expect(c.plans.every((p) => /Execution Time/.test(p))).toBe(true);
  }
  const report = archiveReport(result, { years: 5 });
  expect(report).toContain('2,000 suggestions over 5 years');
  expect(report).toMatch(/\| overdue list \| 2 \| \d+ \| \d+ \/ \d+ \|/);
}, 300_000);
