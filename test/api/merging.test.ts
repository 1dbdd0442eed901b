import { workflowIdFor } from '../../domain/tracking-number';
import { as, client } from '../support/api-client';
import { keepHistory } from '../support/handling';
import { ownDatabase } from '../support/service-process';
import { eventually, startStack, type Stack } from '../support/stack';

// 合并办理, the same matter raised by many people: the office merges suggestions into one (the
// primary). The merged ones stop their own deadlines and follow the primary; its decision
// answers every proposer by their own channel, each rates it, and a dissatisfied rating from
// any of them re-handles the primary once. Merges and their undoing are on both timelines, and
// statistics count the matter once and its proposers apart. On a database of its own, so the
// figures are this test's.

let database: { url: string; drop(): Promise<void> };
let stack: Stack;
let call: ReturnType<typeof client>;
let office: string;
let transport: string;

beforeAll(async () => {
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  call = client(stack.baseUrl);
  [office, transport] = await Promise.all([stack.issueKey('office'), stack.issueKey('department', 'transport')]);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

const crossing = (who: string) => ({
  title: `政民路国定路口行人绿灯太短（${who}）`,
  content: '老人过马路走到一半就变红灯，希望延长政民路与国定路路口的行人绿灯时间。',
  category: 'transport',
  district: 'yangpu',
  publishConsent: false,
  proposer: { phone: '13800000123', replyChannel: 'sms' },
});

async function submitted(who: string): Promise<{ id: string; token: string }> {
  const r = await call('POST', '/v1/suggestions', crossing(who));
  expect(r.status).toBe(202);
  await eventually(async () => (await call('GET', `/v1/suggestions/${r.body.id}`, undefined, as(office))).body.status === 'handling', `${r.body.id} routed`);
  return { id: r.body.id, token: r.body.trackingToken };
}

const view = async (id: string) => (await call('GET', `/v1/suggestions/${id}`, undefined, as(office))).body;
const until = (id: string, what: string, check: (v: { status: string; [k: string]: unknown }) => boolean) =>
  eventually(async () => {
    const v = await view(id);
    return check(v) ? v : undefined;
  }, `${id}: ${what}`);
const rate = (s: { id: string; token: string }, rating: string, comment?: string) =>
  call('POST', `/v1/suggestions/${s.id}/rating`, { rating, ...(comment ? { comment } : {}) }, { 'x-tracking-token': s.token });

test('merged suggestions follow the primary: one decision answers every proposer, a dissatisfied member re-handles it once, and the figures count the matter once', async () => {
  const [primary, member, leaving] = [await submitted('王'), await submitted('李'), await submitted('赵')];

  for (const s of [member, leaving]) {
    const merged = await call('POST', `/v1/suggestions/${s.id}/merge`, { into: primary.id, reason: '同一路口行人信号灯时长问题' }, as(office));
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ status: 'merged', mergedInto: { into: primary.id, reason: '同一路口行人信号灯时长问题' } });
    expect(merged.body.dueAt).toBeUndefined();
    expect(merged.body.timeline.at(-1)).toMatchObject({ type: 'merged_into', detail: { into: primary.id } });
  }
  const grouped = await until(primary.id, 'the group of three', (v) => (v.group as { raisedBy?: number } | undefined)?.raisedBy === 3);
  expect((grouped.timeline as { type: string; actor: string }[]).filter((e) => e.type === 'merged_from')).toHaveLength(2);

  // Refused: merging into itself, into a merged one, by a department.
  expect((await call('POST', `/v1/suggestions/${primary.id}/merge`, { into: primary.id, reason: 'same' }, as(office))).status).toBe(422);
  expect((await call('POST', `/v1/suggestions/${primary.id}/merge`, { into: member.id, reason: 'the other way round' }, as(office))).status).toBe(409);
  expect((await call('POST', `/v1/suggestions/${member.id}/merge`, { into: primary.id, reason: 'again' }, as(transport))).status).toBe(403);

  // Undone before the decision: handled on its own again, on both timelines.
  const undone = await call('DELETE', `/v1/suggestions/${leaving.id}/merge`, { reason: '经核实为不同路口' }, as(office));
  expect(undone.status).toBe(200);
  expect(undone.body).toMatchObject({ status: 'handling', leadDepartment: 'transport' });
  expect(undone.body.dueAt).toBeDefined();
  await until(primary.id, 'the group of two', (v) => (v.group as { raisedBy?: number } | undefined)?.raisedBy === 2);

  // The primary is decided; the member's proposer is answered by SMS, with the same reply.
  const decided = await call(
    'POST',
    `/v1/suggestions/${primary.id}/decision`,
    { outcome: 'for_reference', reason: '该路口将结合明年改造统一调整', reply: '信号配时将在路口改造时一并优化。' },
    as(transport),
  );
  expect(decided.status).toBe(200);
  const answered = await until(member.id, 'its reply', (v) => v.status === 'replied');
  expect(answered.decision).toMatchObject({ outcome: 'for_reference', reply: '信号配时将在路口改造时一并优化。' });
  await eventually(
    async () =>
      (await stack.db.notification.findFirst({
        where: { suggestionId: member.id, recipient: 'proposer', channel: 'sms', subject: { startsWith: 'Reply to your suggestion' } },
      })) ?? undefined,
    "the member's reply by SMS",
  );
  expect((await call('DELETE', `/v1/suggestions/${member.id}/merge`, { reason: 'too late' }, as(office))).status).toBe(409);

  // The member's proposer is dissatisfied: the primary is handled again; the primary's own proposer was satisfied.
  expect((await rate(member, 'dissatisfied', '绿灯还是太短')).status).toBe(200);
  expect((await rate(primary, 'satisfied')).status).toBe(200);
  await until(primary.id, 're-handling', (v) => v.status === 'rehandling');
  expect(
    (
      await call(
        'POST',
        `/v1/suggestions/${primary.id}/decision`,
        {
          outcome: 'adopted',
          reply: '下月起行人绿灯延长至35秒。',
          plan: {
            usage: ['improving_work'],
            summary: '政民路国定路口行人绿灯由25秒延长至35秒。',
            milestones: [{ title: '调整信号配时', ownerDepartment: 'transport', dueInWorkingDays: 10 }],
          },
        },
        as(transport),
      )
    ).status,
  ).toBe(200);
  const again = await until(
    member.id,
    'its second reply',
    (v) => (v.timeline as { type: string }[]).some((e) => e.type === 'decided_again') && v.status === 'replied',
  );
  expect(again.decision).toMatchObject({ outcome: 'adopted', reply: '下月起行人绿灯延长至35秒。' });

  // Both rate the second answer; the member closes once the primary has every rating; the primary goes on to carry the plan out.
  expect((await rate(member, 'satisfied')).status).toBe(200);
  expect((await rate(primary, 'satisfied')).status).toBe(200);
  await until(member.id, 'closure', (v) => v.status === 'closed');
  await until(primary.id, 'implementing', (v) => v.status === 'implementing');

  // One matter, two people, in the figures; the one handled on its own is a matter of its own.
  const figures = await call('GET', '/v1/statistics?groupBy=department', undefined, as(office));
  expect(figures.body.groups.find((g: { key: string }) => g.key === 'transport')).toMatchObject({ received: 2, proposers: 3 });
  await keepHistory('merged-member-answered-twice', stack.temporal.workflow.getHandle(workflowIdFor(member.id)));
  await keepHistory('merged-primary-rehandled-for-a-member', stack.temporal.workflow.getHandle(workflowIdFor(primary.id)));
}, 180_000);
