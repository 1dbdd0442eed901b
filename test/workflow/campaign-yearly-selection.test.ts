import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';
import { seedDecidedSuggestions } from '../support/decided-suggestions';

// The yearly selection as its Schedule runs it (no year given): on 20 December the workflow ranks
// the suggestions adopted in the year that is ending. The server's clock is moved to that day.

let stack: TimeSkippingStack;
beforeAll(async () => {
  stack = await startTimeSkippingStack();
});
afterAll(() => stack?.stop());

test("on 20 December the selection ranks the year's adopted suggestions by the documented score", async () => {
  const year = new Date((await stack.env.currentTimeMs()) + 8 * 3600_000).getUTCFullYear() + 1;
  const [best, partial, plain, notAdopted, nextYear] = await seedDecidedSuggestions(stack.db, [
    { outcome: 'adopted', decidedAt: `${year}-03-02T02:00:00Z`, implemented: true, rating: 'satisfied', publishConsent: true },
    { outcome: 'partially_adopted', decidedAt: `${year}-05-02T02:00:00Z`, rating: 'basically_satisfied', publishConsent: true },
    { outcome: 'adopted', decidedAt: `${year}-01-05T02:00:00Z` },
    { outcome: 'not_adopted', decidedAt: `${year}-06-01T02:00:00Z`, publishConsent: true },
    // Decided at 08:30 on 1 January of the next year in Shanghai: not this year's.
    { outcome: 'adopted', decidedAt: `${year}-12-31T16:30:00Z`, implemented: true },
  ]);

  const result = await stack.withWorker(async () => {
    await stack.env.sleep(Date.parse(`${year}-12-20T01:00:00Z`) - (await stack.env.currentTimeMs()));
    return stack.env.client.workflow.execute('awardSelectionWorkflow', { args: [], taskQueue: stack.taskQueue, workflowId: `award-selection-test-${year}` });
  });
  expect(result.year).toBe(year);

  const ranked = await stack.db.outstandingSuggestion.findMany({
    where: { year, suggestionId: { in: [best, partial, plain, notAdopted, nextYear] } },
    orderBy: { rank: 'asc' },
  });
  expect(ranked.map((r) => [r.suggestionId, r.score])).toEqual([
    [best, 100],
    [partial, 45],
    [plain, 40],
  ]);
  expect(ranked[0].breakdown).toEqual({ outcome: 40, implementationCompleted: 30, satisfaction: 20, publicReach: 10, total: 100 });
  const shortlist = await stack.db.notification.findUnique({ where: { id: `awards:${year}:shortlist` } });
  expect(shortlist?.recipient).toBe('office');
});
