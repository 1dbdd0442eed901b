import { RoutingForecast } from '../../api/routing-forecast';
import { addWorkingDays, buildCalendar, deadlineAfter, provisionalSchedule } from '../../domain/calendar';
import type { Database } from '../../prisma/client';

// The forecast intake starts a workflow with (api/routing-forecast.ts), worked out from reference
// data held in memory; PostgreSQL stands in as plain rows here (the real one in
// test/api/routing-forecast.test.ts).

const rule = (id: number, category: string, leadDepartment: string, district: string | null = null) => ({
  id,
  category,
  district,
  channel: null,
  leadDepartment,
  coDepartments: [],
  priority: 0,
  active: true,
});

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
  expect(forecast.forecast(suggestion)).toEqual({
    status: 'handling',
    department: 'yangpu-gov',
    dueAt: deadlineAfter(cal, receivedAt, { amount: 30, unit: 'calendar_days' }),
    dueAtProvisional: false,
  });
  expect(forecast.forecast({ ...suggestion, category: 'education' })).toEqual({
    status: 'triage',
    dueAt: deadlineAfter(cal, receivedAt, { amount: 15, unit: 'calendar_days' }),
    dueAtProvisional: false,
  });
});

test('no forecast before the reference data is read; a deadline in a year without an official calendar is counted on its forecast and marked provisional', async () => {
  const { db } = referenceData([rule(1, 'transport', 'transport')], [2025]);
  const forecast = new RoutingForecast(db);
  expect(forecast.forecast(suggestion)).toBeUndefined();
  await forecast.ready();
  // The hotline's reply limit is in working days: 2026 has no official calendar here.
  const forecastCal = buildCalendar([], provisionalSchedule(2026), [2026]);
  expect(forecast.forecast({ ...suggestion, channel: 'hotline' })).toEqual({
    status: 'handling',
    department: 'transport',
    dueAt: addWorkingDays(forecastCal, receivedAt, 5),
    dueAtProvisional: true,
  });
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

test("the reply deadline a receipt promises is the department's, counted from receipt whether a rule routes the suggestion or the office does", async () => {
  const { db } = referenceData([rule(1, 'transport', 'transport')], [2025]);
  const forecast = new RoutingForecast(db);
  expect(forecast.responseDue(suggestion)).toBeUndefined();
  await forecast.ready();
  const forecastCal = buildCalendar([], provisionalSchedule(2026), [2026]);
  expect(forecast.responseDue(suggestion)).toEqual({
    dueAt: deadlineAfter(forecastCal, receivedAt, { amount: 30, unit: 'calendar_days' }),
    dueAtProvisional: false,
  });
  expect(forecast.responseDue({ ...suggestion, category: 'education' })).toEqual({
    dueAt: deadlineAfter(forecastCal, receivedAt, { amount: 30, unit: 'calendar_days' }),
    dueAtProvisional: false,
  });
  expect(forecast.responseDue({ ...suggestion, channel: 'hotline' })).toEqual({ dueAt: addWorkingDays(forecastCal, receivedAt, 5), dueAtProvisional: true });
});
