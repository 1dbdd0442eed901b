import { RoutingForecast } from '../../api/routing-forecast';
import { buildCalendar, deadlineAfter } from '../../domain/calendar';
import type { Database } from '../../prisma/client';

// The forecast intake starts a workflow with (api/routing-forecast.ts), worked out from reference
// data held in memory; PostgreSQL stands in as plain rows here (the real one in
// test/api/routing-forecast.test.ts).

const rule = (id: number, category: string, leadDepartment: string, district: string | null = null) => ({ id, category, district, channel: null, leadDepartment, coDepartments: [], priority: 0, active: true });

function referenceData(rules: ReturnType<typeof rule>[], years = [2026]) {
  let reads = 0;
  const db = {
    routingRule: { findMany: async () => (reads++, [...rules]) },
    timeLimitSetting: { findMany: async () => [] },
    calendarYear: { findMany: async () => years.map((year) => ({ year })) },
    calendarDay: { findMany: async () => [] },
  };
  return { db: db as unknown as Database, reads: () => reads };
}

const receivedAt = new Date('2026-06-01T02:00:00Z');
const suggestion = { category: 'transport', district: 'yangpu', channel: 'web', receivedAt } as const;

test('a suggestion a rule routes is forecast to its department, due by the reply limit; one no rule routes, to triage by the routing limit', async () => {
  const { db } = referenceData([rule(1, 'transport', 'transport'), rule(2, 'transport', 'yangpu-gov', 'yangpu')]);
  const forecast = new RoutingForecast(db);
  await forecast.ready();
  const cal = buildCalendar([2026], []);
  expect(forecast.forecast(suggestion)).toEqual({ status: 'handling', department: 'yangpu-gov', dueAt: deadlineAfter(cal, receivedAt, { amount: 30, unit: 'calendar_days' }) });
  expect(forecast.forecast({ ...suggestion, category: 'education' })).toEqual({ status: 'triage', dueAt: deadlineAfter(cal, receivedAt, { amount: 15, unit: 'calendar_days' }) });
});

test('no forecast before the reference data is read, nor for a deadline in a year without a calendar', async () => {
  const { db } = referenceData([rule(1, 'transport', 'transport')], [2025]);
  const forecast = new RoutingForecast(db);
  expect(forecast.forecast(suggestion)).toBeUndefined();
  await forecast.ready();
  // The hotline's reply limit is in working days: 2026 has no calendar here.
  expect(forecast.forecast({ ...suggestion, channel: 'hotline' })).toBeUndefined();
});

test('forgetting reads the reference data again at once', async () => {
  const rules = [rule(1, 'transport', 'transport')];
  const { db, reads } = referenceData(rules);
  const forecast = new RoutingForecast(db);
  await forecast.ready();
  rules.push(rule(2, 'transport', 'yangpu-gov', 'yangpu'));
  expect(forecast.forecast(suggestion)?.department).toBe('transport');
  forecast.forget();
  await forecast.ready();
  expect(forecast.forecast(suggestion)?.department).toBe('yangpu-gov');
  expect(reads()).toBe(2);
});
