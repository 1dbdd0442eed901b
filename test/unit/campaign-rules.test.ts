import { buildCalendar, officialSchedule, officialYears } from '../../domain/calendar';
import { campaignRefusal, compileDigest, monthlyCollectionDays, roundIdFor } from '../../domain/campaign';
import { outstandingScore } from '../../domain/outstanding-suggestions';

const years = officialYears();
const official = buildCalendar(years, years.flatMap(officialSchedule));

describe('monthly collections run on the first working day of each month', () => {
  const days2025 = monthlyCollectionDays(official, 2025).filter((d) => d.startsWith('2025-'));

  test('October 2025 runs on the 9th, after the National Day and Mid-Autumn holidays (1st to 8th)', () => {
    expect(days2025).toContain('2025-10-09');
    expect(days2025.filter((d) => d.startsWith('2025-10'))).toEqual(['2025-10-09']);
  });

  test('a month starting on a weekend or holiday moves to the next working day, one run a month', () => {
    expect(days2025).toHaveLength(12);
    expect(days2025[0]).toBe('2025-01-02'); // 1 January is New Year's Day
    expect(days2025[4]).toBe('2025-05-06'); // Labour Day holiday 1–5 May
    expect(days2025[5]).toBe('2025-06-03'); // Dragon Boat Festival on Monday 2 June
  });

  test('years without calendar data get no runs rather than guessed ones', () => {
    const loaded = buildCalendar([2025], officialSchedule(2025));
    expect(monthlyCollectionDays(loaded, 2024)).toHaveLength(12);
    expect(monthlyCollectionDays(loaded, 2026)).toEqual([]);
  });

  test('a round is named after its collection and day', () => {
    expect(roundIdFor('wujiaochang-monthly', '2025-10-09')).toBe('wujiaochang-monthly-20251009');
  });
});

describe('a campaign takes submissions only inside its window', () => {
  const campaign = { id: 'c1', status: 'open', opensAt: new Date('2026-03-01T00:00:00Z'), closesAt: new Date('2026-03-15T00:00:00Z'), topics: ['lifts'] };

  test.each([
    ['before it opens', campaign, '2026-02-28T23:59:59Z', 'campaign-not-open'],
    ['at the closing instant', campaign, '2026-03-15T00:00:00Z', 'campaign-closed'],
    ['after an early close', { ...campaign, status: 'closed' }, '2026-03-10T00:00:00Z', 'campaign-closed'],
    ['while paused', { ...campaign, status: 'paused' }, '2026-03-10T00:00:00Z', 'campaign-paused'],
    ['once cancelled', { ...campaign, status: 'cancelled' }, '2026-03-10T00:00:00Z', 'campaign-cancelled'],
  ])('refused %s', (_when, c, at, type) => {
    expect(campaignRefusal(c, new Date(at))?.type).toBe(type);
  });

  test('accepted from the opening instant, even before the workflow has marked it open', () => {
    expect(campaignRefusal({ ...campaign, status: 'scheduled' }, new Date('2026-03-01T00:00:00Z'))).toBeUndefined();
  });

  test('a topic the campaign does not ask about is refused', () => {
    expect(campaignRefusal(campaign, new Date('2026-03-10T00:00:00Z'), 'weather')?.status).toBe(422);
    expect(campaignRefusal(campaign, new Date('2026-03-10T00:00:00Z'), 'lifts')).toBeUndefined();
  });
});

test('the digest counts by topic, district, category and channel and lists what awaits a decision', () => {
  const entry = { title: 't', category: 'housing', district: 'yangpu', channel: 'web' };
  const digest = compileDigest(
    { id: 'c1', title: 'Lifts', opensAt: 'a', closesAt: 'b' },
    [
      { ...entry, id: 's1', status: 'handling', topic: 'lifts', leadDepartment: 'housing' },
      { ...entry, id: 's2', status: 'decided', topic: 'lifts', leadDepartment: 'housing', channel: 'station' },
      { ...entry, id: 's3', status: 'triage', district: 'xuhui' },
    ],
    new Date('2026-03-15T00:00:00Z'),
  );
  expect(digest.total).toBe(3);
  expect(digest.byTopic).toEqual({ lifts: 2, '(no topic named)': 1 });
  expect(digest.byDistrict).toEqual({ yangpu: 2, xuhui: 1 });
  expect(digest.byChannel).toEqual({ web: 2, station: 1 });
  expect(Object.keys(digest.byDepartment)).toEqual(['housing', 'triage']);
  expect(digest.awaitingDecision.map((s) => s.id)).toEqual(['s1', 's3']);
});

test('the outstanding-suggestion score adds outcome, implementation, satisfaction and public reach', () => {
  expect(outstandingScore({ outcome: 'adopted', implementationCompleted: true, satisfaction: 'satisfied', publishConsent: true }).total).toBe(100);
  expect(
    outstandingScore({ outcome: 'partially_adopted', implementationCompleted: false, satisfaction: 'basically_satisfied', publishConsent: false }),
  ).toEqual({
    outcome: 25,
    implementationCompleted: 0,
    satisfaction: 10,
    publicReach: 0,
    total: 35,
  });
  expect(outstandingScore({ outcome: 'not_adopted', implementationCompleted: false, publishConsent: true }).total).toBe(10);
});
