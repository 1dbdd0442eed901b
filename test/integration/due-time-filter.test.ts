import { workflowIdFor } from '../../domain/tracking-number';
import { as, client } from '../support/api-client';
import { eventually, startStack, type Stack } from '../support/stack';

// A supervisor looks for what falls due first. The dev server's SQL visibility store (like
// PostgreSQL's and MySQL's) refuses ORDER BY; only an Elasticsearch-backed cluster sorts in the
// UI. What works on every store is a window on DueAt in the UI's query box, and the API's
// overdue list sorted by due time: both are shown here against the real servers.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const letter = (title: string, daysAgo: number) => ({
  title,
  content: 'The lift in our building has been out of order for weeks; please set a repair deadline.',
  category: 'housing',
  district: 'hongkou',
  channel: 'letter',
  receivedAt: new Date(Date.now() - daysAgo * 24 * 3600_000).toISOString(),
  proposer: { name: 'Qian Li', email: 'qian.li@example.cn', replyChannel: 'email' },
});

async function idsFor(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of stack.temporal.workflow.list({ query: `TaskQueue = "${stack.taskQueue}" AND ${query}` })) ids.push(execution.workflowId);
  return ids.sort();
}

test('the UI filter on a DueAt window finds what falls due in it; ORDER BY is refused by the SQL visibility store', async () => {
  const call = client(stack.baseUrl);
  const intake = await stack.issueKey('intake');
  const submitted: Record<string, string> = {};
  for (const [name, daysAgo] of [
    ['oldest', 75],
    ['older', 50],
    ['new', 0],
  ] as const) {
    const res = await call('POST', '/v1/suggestions', letter(`Lift repair (${name})`, daysAgo), as(intake));
    expect(res.status).toBe(202);
    submitted[name] = res.body.trackingNumber;
  }
  const office = await stack.issueKey('office');
  const dueOf = async (number: string) => (await call('GET', `/v1/suggestions/${number}`, undefined, as(office))).body.dueAt as string | undefined;
  const due = await eventually(async () => {
    const all = await Promise.all(Object.values(submitted).map(dueOf));
    return all.every(Boolean) && Object.fromEntries(Object.keys(submitted).map((name, i) => [name, all[i]!]));
  }, 'every due time in the read model');
  expect(new Date(due.oldest) < new Date(due.older) && new Date(due.older) < new Date(due.new)).toBe(true);

  // Everything due before the newest one's time limit: the two older letters, not the new one.
  const window = `DueAt < "${due.new}"`;
  const found = await eventually(async () => {
    const ids = await idsFor(window);
    return ids.length === 2 && ids;
  }, `visibility to index the due times (${window})`);
  expect(found).toEqual([workflowIdFor(submitted.oldest), workflowIdFor(submitted.older)].sort());
  expect(await idsFor(`DueAt >= "${due.older}" AND DueAt < "${due.new}"`)).toEqual([workflowIdFor(submitted.older)]);

  const refusal = await idsFor('DueAt < "2100-01-01T00:00:00Z" ORDER BY DueAt ASC').then(
    () => 'accepted',
    (err: Error) => String((err.cause as { details?: string } | undefined)?.details ?? err.message),
  );
  expect(refusal).toMatch(/ORDER BY/i);

  // The API sorts where the store cannot: the overdue list, earliest due first.
  const overdue = await eventually(async () => {
    const res = await call(
      'GET',
      `/v1/overdue?sort=dueAt&limit=100&district=hongkou&channel=letter&receivedFrom=${encodeURIComponent(new Date(Date.now() - 80 * 24 * 3600_000).toISOString())}`,
      undefined,
      as(office),
    );
    const ours = (res.body.items as { trackingNumber: string }[]).map((s) => s.trackingNumber).filter((n) => Object.values(submitted).includes(n));
    return ours.length === 2 && ours;
  }, 'both late letters in the overdue list');
  expect(overdue).toEqual([submitted.oldest, submitted.older]);
});
