import type { MetricMeter } from '@temporalio/common';
import { outcomes, suggestionStatuses } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

/**
 * The service's own numbers next to the SDK's on the worker's metrics endpoint, read from the
 * read model, so every worker reports the same totals however many run (take max(), not sum()):
 * suggestions by status, suggestions with something late now, decisions by outcome. Every
 * known status and outcome is reported, zero included, so a series never goes missing.
 */
export function startDomainMetrics(
  db: Database,
  meter: MetricMeter,
  opts: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): { stop(): Promise<void> } {
  const byStatus = meter.createGauge('suggestions', 'int', '', 'Suggestions in the read model by status');
  const overdue = meter.createGauge(
    'suggestions_overdue',
    'int',
    '',
    'Suggestions with something past its limit now: an answer, a re-handling, a milestone or a follow-up check (escalated to supervisors)',
  );
  const decided = meter.createGauge('suggestion_decisions', 'int', '', 'Decisions recorded, by outcome');

  const refresh = async () => {
    const [statuses, overdueCount, decisions] = await Promise.all([
      db.suggestion.groupBy({ by: ['status'], _count: { _all: true } }),
      // The flag is about now (workflows/overdue.ts): it clears when the late thing is done, whatever the status.
      db.suggestion.count({ where: { overdue: true } }),
      db.suggestion.groupBy({ by: ['outcome'], where: { outcome: { not: null } }, _count: { _all: true } }),
    ]);
    for (const status of suggestionStatuses) byStatus.set(statuses.find((s) => s.status === status)?._count._all ?? 0, { status });
    overdue.set(overdueCount);
    for (const outcome of outcomes) decided.set(decisions.find((d) => d.outcome === outcome)?._count._all ?? 0, { outcome });
  };

  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = refresh().catch((err) => opts.onError?.(err));
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs ?? 10_000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
