import { aggregate, summaryRanges, type StatisticsRow } from '../../api/statistics';
import { buildCalendar, officialSchedule } from '../../domain/calendar';

// The figures behind /v1/statistics: adoption, on-time and satisfaction rates, and handling time
// counted in working days of the official calendar.

const calendar = buildCalendar([2026], officialSchedule(2026));
const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

function row(id: string, fields: Partial<StatisticsRow>): StatisticsRow {
  return {
    id,
    leadDepartment: 'transport',
    district: 'yangpu',
    category: 'transport',
    campaignId: null,
    receivedAt: at('2026-03-02T10:00:00'),
    decidedAt: null,
    dueAt: at('2026-03-31T23:59:59'),
    outcome: null,
    overdue: false,
    ...fields,
  };
}

const rows = [
  // Monday to the next Monday: five working days, adopted before the deadline.
  row('a', { decidedAt: at('2026-03-09T10:00:00'), outcome: 'adopted' }),
  // Two working days, but past a deadline of the day before: late.
  row('b', { decidedAt: at('2026-03-04T16:00:00'), dueAt: at('2026-03-03T23:59:59'), outcome: 'not_adopted' }),
  // Not decided and past its deadline: late too.
  row('c', { overdue: true }),
  row('d', { leadDepartment: 'health', category: 'health', receivedAt: at('2026-04-08T09:00:00') }),
];
const ratings = new Map([
  ['a', 'basically_satisfied'],
  ['b', 'dissatisfied'],
]);

test('per department: adoption among decided, on time among decided or overdue, working days, satisfaction among rated', () => {
  expect(aggregate(rows, ratings, calendar, { groupBy: 'department', period: 'month' })).toEqual([
    {
      key: 'health',
      received: 1,
      proposers: 1,
      decided: 0,
      adopted: 0,
      adoptionRate: null,
      onTimeRate: null,
      averageHandlingWorkingDays: null,
      rated: 0,
      satisfactionRate: null,
      responseRate: null,
      routed: 1,
      returned: 0,
      returnRate: 0,
      replied: 0,
      rehandled: 0,
      rehandlingRate: null,
    },
    {
      key: 'transport',
      received: 3,
      proposers: 3,
      decided: 2,
      adopted: 1,
      adoptionRate: 0.5,
      onTimeRate: 0.333,
      averageHandlingWorkingDays: 3.5,
      rated: 2,
      satisfactionRate: 0.5,
      responseRate: 0.667,
      routed: 3,
      returned: 0,
      returnRate: 0,
      replied: 0,
      rehandled: 0,
      rehandlingRate: null,
    },
  ]);
});

test('per period: months and quarters of the day of receipt in Shanghai', () => {
  const late = row('e', { receivedAt: new Date('2026-03-31T17:00:00Z') }); // 1 April, 01:00 in Shanghai
  expect(aggregate([...rows, late], ratings, calendar, { groupBy: 'period', period: 'month' }).map((g) => [g.key, g.received])).toEqual([
    ['2026-03', 3],
    ['2026-04', 2],
  ]);
  expect(aggregate(rows, ratings, calendar, { groupBy: 'period', period: 'quarter' }).map((g) => [g.key, g.received])).toEqual([
    ['2026-Q1', 3],
    ['2026-Q2', 1],
  ]);
});

test('a suggestion decided in a year without calendar data counts as decided but not in the average', () => {
  const next = row('f', { receivedAt: at('2027-03-01T10:00:00'), decidedAt: at('2027-03-05T10:00:00'), dueAt: null, outcome: 'adopted' });
  expect(aggregate([next], new Map(), calendar, { groupBy: 'category', period: 'month' })).toEqual([
    {
      key: 'transport',
      received: 1,
      proposers: 1,
      decided: 1,
      adopted: 1,
      adoptionRate: 1,
      onTimeRate: null,
      averageHandlingWorkingDays: null,
      rated: 0,
      satisfactionRate: null,
      responseRate: 1,
      routed: 1,
      returned: 0,
      returnRate: 0,
      replied: 0,
      rehandled: 0,
      rehandlingRate: null,
    },
  ]);
});

test('the 12345 indicators: response among answered or overdue, returns among routed, re-handling among replied', () => {
  const chain = [
    // Answered late, replied, then re-handled after a dissatisfied rating.
    row('g', {
      decidedAt: at('2026-03-20T10:00:00'),
      dueAt: at('2026-03-10T23:59:59'),
      outcome: 'not_adopted',
      repliedAt: at('2026-03-20T10:05:00'),
      rehandled: true,
    }),
    // Returned by transport, now with housing, answered on time and replied.
    row('h', {
      leadDepartment: 'housing',
      returnedBy: ['transport'],
      decidedAt: at('2026-03-05T10:00:00'),
      outcome: 'adopted',
      repliedAt: at('2026-03-05T10:05:00'),
    }),
    // Past its deadline, no answer yet.
    row('i', { overdue: true }),
    // Still in triage: never reached a department.
    row('j', { leadDepartment: null, dueAt: null }),
  ];
  const [all] = aggregate(chain, new Map(), calendar, { groupBy: 'category', period: 'month' });
  expect(all).toMatchObject({
    received: 4,
    decided: 2,
    responseRate: 0.667,
    onTimeRate: 0.333,
    routed: 3,
    returned: 1,
    returnRate: 0.333,
    replied: 2,
    rehandled: 1,
    rehandlingRate: 0.5,
  });

  const byDepartment = Object.fromEntries(aggregate(chain, new Map(), calendar, { groupBy: 'department', period: 'month' }).map((g) => [g.key, g]));
  // The return counts against transport, which returned it, not housing, which has it now.
  expect(byDepartment.transport).toMatchObject({ received: 2, routed: 3, returned: 1, returnRate: 0.333 });
  expect(byDepartment.housing).toMatchObject({ received: 1, routed: 1, returned: 0, returnRate: 0 });
});

test('a period is read as its whole months from the summary by month and the days it cuts from the summary by day', () => {
  // A calendar year: twelve whole months, no days.
  expect(summaryRanges('2025-01-01', '2025-12-31')).toEqual({ months: { from: '2025-01-01', before: '2026-01-01' }, days: [] });
  // Cut at both ends: the days of March from the 15th, the whole months April to January, the first ten days of February.
  expect(summaryRanges('2025-03-15', '2026-02-10')).toEqual({
    months: { from: '2025-04-01', before: '2026-02-01' },
    days: [
      { from: '2025-03-15', before: '2025-04-01' },
      { from: '2026-02-01', before: '2026-02-11' },
    ],
  });
  // Within one month, or across two without a whole one between: days only.
  expect(summaryRanges('2025-05-03', '2025-05-20')).toEqual({ days: [{ from: '2025-05-03', before: '2025-05-21' }] });
  expect(summaryRanges('2025-05-03', '2025-06-20')).toEqual({ days: [{ from: '2025-05-03', before: '2025-06-21' }] });
  // One whole month, its last day the end of February in a leap year.
  expect(summaryRanges('2024-02-01', '2024-02-29')).toEqual({ months: { from: '2024-02-01', before: '2024-03-01' }, days: [] });
  // Open at one end or both: every month on that side.
  expect(summaryRanges('2025-12-31')).toEqual({ months: { from: '2026-01-01', before: undefined }, days: [{ from: '2025-12-31', before: '2026-01-01' }] });
  expect(summaryRanges(undefined, '2025-06-17')).toEqual({
    months: { from: undefined, before: '2025-06-01' },
    days: [{ from: '2025-06-01', before: '2025-06-18' }],
  });
  expect(summaryRanges()).toEqual({ months: { from: undefined, before: undefined }, days: [] });
});
