import { randomBytes } from 'node:crypto';
import { defaultSimilaritySettings, profileOfSuggestion, similarSuggestions } from '../../api/similarity';
import { trackingNumber } from '../../domain/tracking-number';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { activitiesOnTestDatabase } from '../support/activities';
import { sealedForTest } from '../support/handling';

// Registration keeps the suggestion's words and places (suggestion_terms) in the statement that
// writes its row, so a suggestion is findable as soon as it is registered; a retry writes it once.

const on = activitiesOnTestDatabase();

test("registration keeps the suggestion's segmented words and places once", async () => {
  const receivedAt = new Date().toISOString();
  const id = trackingNumber(receivedAt.slice(0, 10), randomBytes(4));
  const text = {
    title: '国定路政立路路口绿灯太短',
    content: '国定路政立路路口行人绿灯只有十几秒，老人过马路走到一半就变红灯了，建议延长行人绿灯时间。',
    category: 'transport',
    district: 'yangpu',
    channel: 'web',
    publishConsent: false,
  } as const;
  const intake: SuggestionIntake = { ...text, trackingNumber: id, receivedAt, proposer: sealedForTest({ replyChannel: 'online' }) };
  const view = {
    ...text,
    id,
    trackingNumber: id,
    receivedAt,
    status: 'received',
    coDepartments: [],
    overdue: false,
    version: 1,
    timeline: [],
  } as SuggestionView;
  const events = [{ seq: 1, type: 'registered', actor: 'system', at: receivedAt }];
  await on.activities.registerSuggestion(intake, view, events, []);
  await on.activities.registerSuggestion(intake, view, events, []);

  const row = await on.db.suggestionTerms.findUniqueOrThrow({ where: { suggestionId: id } });
  expect(row.places).toEqual(['国定路', '政立路']);
  expect(row.placeNames).toEqual(['国定路', '政立路路口']);
  expect(row.terms).toEqual(expect.arrayContaining(['信号灯', '太短', '行人', '延长']));
  expect(row.terms).not.toContain('建议');
  expect(row.weights).toHaveLength(row.terms.length);
  expect(await on.db.suggestionTerms.count({ where: { suggestionId: id } })).toBe(1);
});

test("the words keep the similar look-up's window as the suggestion closes and reopens, and the look-up follows it", async () => {
  const register = async (title: string) => {
    const receivedAt = new Date().toISOString();
    const id = trackingNumber(receivedAt.slice(0, 10), randomBytes(4));
    const text = {
      title,
      content: `${title}，周末排队一个多小时，建议增开窗口。`,
      category: 'health',
      district: 'minhang',
      channel: 'web',
      publishConsent: false,
    } as const;
    const intake: SuggestionIntake = { ...text, trackingNumber: id, receivedAt, proposer: sealedForTest({ replyChannel: 'online' }) };
    const view = {
      ...text,
      id,
      trackingNumber: id,
      receivedAt,
      status: 'received',
      coDepartments: [],
      overdue: false,
      version: 1,
      timeline: [],
    } as SuggestionView;
    await on.activities.registerSuggestion(intake, view, [{ seq: 1, type: 'registered', actor: 'system', at: receivedAt }], []);
    return id;
  };
  const asked = await register('七宝社区卫生服务中心挂号排队太久');
  const other = await register('七宝社区卫生服务中心挂号窗口排队时间太长');
  const similar = async () => {
    const profile = (await profileOfSuggestion(on.db, asked))!;
    return (await similarSuggestions(on.db, defaultSimilaritySettings, asked, profile)).map((s) => s.id);
  };
  const window = async () => on.db.suggestionTerms.findUniqueOrThrow({ where: { suggestionId: other }, select: { closedAt: true, windowMonths: true } });

  expect(await window()).toEqual({ closedAt: null, windowMonths: ['open'] });
  expect(await similar()).toContain(other);
  // Closed a year ago: out of the 180 days' window.
  const longAgo = new Date(Date.now() - 365 * 86_400_000);
  await on.db.suggestion.update({ where: { id: other }, data: { closedAt: longAgo, status: 'closed' } });
  expect(await window()).toEqual({ closedAt: longAgo, windowMonths: [longAgo.toISOString().slice(0, 7)] });
  expect(await similar()).not.toContain(other);
  // Closed last week: in it.
  const lastWeek = new Date(Date.now() - 7 * 86_400_000);
  await on.db.suggestion.update({ where: { id: other }, data: { closedAt: lastWeek } });
  expect(await similar()).toContain(other);
  // Reopened (re-handling): open again.
  await on.db.suggestion.update({ where: { id: other }, data: { closedAt: null, status: 'rehandling' } });
  expect(await window()).toEqual({ closedAt: null, windowMonths: ['open'] });
  expect(await similar()).toContain(other);
});
