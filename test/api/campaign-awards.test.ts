import { seedDecidedSuggestions } from '../support/decided-suggestions';
import { startStack, type Stack } from '../support/stack';

// The office runs the selection, nominates and awards through the API; the proposer is told
// through the outbox and the awarded suggestion is flagged for the public board.

let stack: Stack;
let officeKey: string;
let transportKey: string;
const year = 2022;

beforeAll(async () => {
  stack = await startStack();
  [officeKey, transportKey] = await Promise.all([stack.issueKey('office'), stack.issueKey('department', 'transport')]);
});
afterAll(() => stack?.stop());

async function call(method: string, path: string, body?: unknown, key = officeKey) {
  const res = await fetch(stack.baseUrl + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

test('the ranked shortlist is nominated from and awarded; the proposer is notified once', async () => {
  const [winner, runnerUp] = await seedDecidedSuggestions(stack.db, [
    { outcome: 'adopted', decidedAt: `${year}-04-11T02:00:00Z`, implemented: true, rating: 'satisfied', publishConsent: true },
    { outcome: 'partially_adopted', decidedAt: `${year}-08-11T02:00:00Z` },
  ]);
  expect((await call('POST', `/v1/awards/${year}/selection`, undefined, transportKey)).status).toBe(403);
  const selection = await call('POST', `/v1/awards/${year}/selection`);
  expect(selection.status).toBe(200);
  expect(selection.body.candidates).toBeGreaterThanOrEqual(2);

  const candidates = await call('GET', `/v1/awards/${year}/candidates`);
  const ours = candidates.body.items.filter((c: { suggestionId: string }) => [winner, runnerUp].includes(c.suggestionId));
  expect(ours.map((c: { suggestionId: string; score: number }) => [c.suggestionId, c.score])).toEqual([
    [winner, 100], // adopted 40 + implemented 30 + satisfied 20 + published with consent 10
    [runnerUp, 25],
  ]);
  expect(candidates.body.scoring.implementationCompleted).toBe(30);

  const early = await call('POST', `/v1/awards/${year}/awards`, { suggestionId: winner, citation: 'For the night bus that now runs to the riverside.' });
  expect(early.status).toBe(409);
  expect(early.body.type).toMatch(/not-nominated$/);
  expect((await call('POST', `/v1/awards/${year}/nominations`, { suggestionId: 'JY-20220101-NOSUCH', note: 'x y' })).status).toBe(404);
  expect((await call('POST', `/v1/awards/${year}/nominations`, { suggestionId: winner, note: 'Carried out within the year' })).status).toBe(200);
  const award = await call('POST', `/v1/awards/${year}/awards`, { suggestionId: winner, citation: 'For the night bus that now runs to the riverside.' });
  expect(award.status).toBe(200);
  expect((await call('POST', `/v1/awards/${year}/awards`, { suggestionId: winner, citation: 'Again' })).status).toBe(409);

  const flagged = await stack.db.outstandingSuggestion.findUnique({ where: { year_suggestionId: { year, suggestionId: winner } } });
  expect(flagged?.awardedAt?.toISOString()).toBe(award.body.awardedAt);
  const notices = await stack.db.notification.findMany({ where: { suggestionId: winner, recipient: 'proposer' } });
  expect(notices.map((n) => [n.id, n.channel])).toEqual([[`${winner}:award-${year}`, 'sms']]);

  // The public board marks it, with the citation.
  const board = await call('GET', `/v1/public/suggestions?department=transport&pageSize=100`, undefined, '');
  const onBoard = board.body.items.find((i: { trackingNumber: string }) => i.trackingNumber === winner);
  expect(onBoard?.award).toEqual({ year, citation: 'For the night bus that now runs to the riverside.' });

  // Ranking again keeps the award and nomination.
  await call('POST', `/v1/awards/${year}/selection`);
  const after = (await call('GET', `/v1/awards/${year}/candidates`)).body.items.find((c: { suggestionId: string }) => c.suggestionId === winner);
  expect(after.awardedAt).toBe(award.body.awardedAt);
  expect(after.nominationNote).toBe('Carried out within the year');
});
