import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { temporal } from '@temporalio/proto';
import { createApp } from '../../api/app';
import { RoutingForecast } from '../../api/routing-forecast';
import { workflowIdFor } from '../../domain/tracking-number';
import { Department, DueAt, SuggestionStatus } from '../../workflows/search-attributes';
import { as, client } from '../support/api-client';
import { ownDatabase } from '../support/service-process';
import { eventually, startStack, type Stack } from '../support/stack';

// A new suggestion's workflow starts with the department and deadline its first task works out
// (api/routing-forecast.ts), so routing it upserts no search attribute. The forecast is only a
// hint: a rule changed where this API did not see it (another replica) costs one upsert and the
// attributes still end up right; a rule changed through this API applies to the next forecast.

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

let stack: Stack;
let database: Awaited<ReturnType<typeof ownDatabase>>;
let forecast: RoutingForecast;
let server: Server;
let call: ReturnType<typeof client>;
let officeKey: string;

beforeAll(async () => {
  // Its own database: the rules it changes would otherwise route other test files' suggestions.
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  // An API of its own beside the stack's, holding a forecast the test can wait on.
  forecast = new RoutingForecast(stack.db);
  const app = createApp({ temporal: stack.temporal, db: stack.db, taskQueue: stack.taskQueue, keys: stack.keys, forecast }, () => undefined);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  call = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  officeKey = await stack.issueKey('office');
  await forecast.ready();
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
  await database?.drop();
});

const submission = (title: string) => ({
  title,
  content: `${title}: residents have asked for this for years, and the street has room for it.`,
  category: 'transport',
  district: 'yangpu',
  channel: 'web',
  proposer: { replyChannel: 'online' },
});

/** Submits a suggestion and returns its workflow history once its first task (routing, the deadline's timer) is recorded. */
async function submitAndRoute(title: string): Promise<{ id: string; events: HistoryEvent[] }> {
  const reply = await call('POST', '/v1/suggestions', submission(title));
  expect(reply.status).toBe(202);
  const id: string = reply.body.id;
  const handle = stack.temporal.workflow.getHandle(workflowIdFor(id));
  const events = await eventually(async () => {
    const history = await handle.fetchHistory();
    return history.events?.some((e) => e.timerStartedEventAttributes) ? history.events : undefined;
  }, `the routing of ${id} in its history`);
  return { id, events };
}

/** The search attributes the workflow upserted, besides the `patched` markers' own. */
function upserts(events: HistoryEvent[]): string[][] {
  return events
    .map((e) =>
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).filter((name) => name !== 'TemporalChangeVersion'),
    )
    .filter((names) => names.length > 0);
}

test('a suggestion routed by rule starts with its status, department and deadline, and routing it upserts nothing', async () => {
  const { id, events } = await submitAndRoute('A shelter at the Wujiaochang bus stop');

  const row = await stack.db.suggestion.findUniqueOrThrow({ where: { id } });
  expect([row.status, row.leadDepartment]).toEqual(['handling', 'transport']);
  const started = (await stack.temporal.workflow.getHandle(workflowIdFor(id)).describe()).typedSearchAttributes;
  expect(started.get(SuggestionStatus)).toBe('handling');
  expect(started.get(Department)).toBe('transport');
  expect(started.get(DueAt)?.toISOString()).toBe(row.dueAt!.toISOString());
  expect(upserts(events)).toEqual([]);
});

test('a rule changed where this API did not see it costs one upsert, and the attributes follow the rule', async () => {
  // Another replica's office adds a district rule: this API's forecast still says transport.
  const rule = await stack.db.routingRule.create({ data: { category: 'transport', district: 'yangpu', leadDepartment: 'yangpu-gov' } });
  try {
    const { id, events } = await submitAndRoute('Longer green lights on Siping Road');

    expect((await stack.db.suggestion.findUniqueOrThrow({ where: { id } })).leadDepartment).toBe('yangpu-gov');
    expect(events[0].workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields?.Department).toBeDefined();
    expect(upserts(events)).toEqual([['Department']]);
    const attributes = (await stack.temporal.workflow.getHandle(workflowIdFor(id)).describe()).typedSearchAttributes;
    expect([attributes.get(SuggestionStatus), attributes.get(Department)]).toEqual(['handling', 'yangpu-gov']);
  } finally {
    await stack.db.routingRule.delete({ where: { id: rule.id } });
  }
});

test('a rule changed through this API applies to the next forecast', async () => {
  const added = await call('POST', '/v1/routing-rules', { category: 'transport', district: 'yangpu', leadDepartment: 'yangpu-wujiaochang' }, as(officeKey));
  expect(added.status).toBe(201);
  await forecast.ready();

  const { id, events } = await submitAndRoute('A crossing outside Fudan University');

  expect((await stack.db.suggestion.findUniqueOrThrow({ where: { id } })).leadDepartment).toBe('yangpu-wujiaochang');
  expect((await stack.temporal.workflow.getHandle(workflowIdFor(id)).describe()).typedSearchAttributes.get(Department)).toBe('yangpu-wujiaochang');
  expect(upserts(events)).toEqual([]);
});
