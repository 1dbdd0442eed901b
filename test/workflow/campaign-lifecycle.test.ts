import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Duration } from '@temporalio/common';
import { createApp } from '../../api/app';
import { launchCampaign } from '../../api/proactive-collection';
import type { CampaignDigest, CampaignPlan, CampaignView } from '../../domain/campaign';
import { campaignQuery } from '../../workflows/campaign-messages';
import { eventually, testKeyRing } from '../support/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/time-skipping';

// A campaign at its real length (a week), on the time-skipping server, with the real API in front
// of it whose clock follows the server's: submissions before the opening and after the close are
// refused, those in the window are counted in the digest.

let stack: TimeSkippingStack;
let server: Server;
let baseUrl: string;
/** The API's clock: the time-skipping server's time, read after every skip. */
let clock = 0;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
  clock = await stack.env.currentTimeMs();
  const app = createApp(
    { temporal: stack.env.client, db: stack.db, taskQueue: stack.taskQueue, keys: testKeyRing(), now: () => new Date(clock) },
    () => undefined,
  );
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
});

async function skip(duration: Duration): Promise<void> {
  await stack.env.sleep(duration);
  clock = await stack.env.currentTimeMs();
}

async function submit(campaignId: string, fields: Record<string, unknown>) {
  const res = await fetch(`${baseUrl}/v1/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'A bench every 200 metres',
      content: 'Older residents cannot walk to the market without a rest on the way.',
      district: 'yangpu',
      category: 'transport',
      campaignId,
      ...fields,
    }),
  });
  return { status: res.status, body: (await res.json()) as { id: string; type: string } };
}

const day = 24 * 3600_000;

test('a campaign opens on time, refuses early and late submissions, closes and digests what it received', async () => {
  const id = `ts-life-circle-${randomBytes(3).toString('hex')}`;
  const plan: CampaignPlan = {
    id,
    kind: 'campaign',
    title: '15-minute community life circle',
    description: 'What should be within a 15-minute walk of home?',
    topics: ['walking routes', 'homes and lifts'],
    leadDepartment: 'transport',
    jointDepartments: ['housing'],
    districts: ['yangpu', 'xuhui'],
    categories: ['transport', 'housing', 'planning'],
    opensAt: new Date(clock + 2 * day).toISOString(),
    closesAt: new Date(clock + 9 * day).toISOString(),
  };
  await launchCampaign({ db: stack.db, temporal: stack.env.client, taskQueue: stack.taskQueue }, plan);
  const handle = stack.env.client.workflow.getHandle(`campaign-${id}`);
  let ids: string[] = [];

  await stack.withWorker(async () => {
    const early = await submit(id, { campaignTopic: 'walking routes' });
    expect(early.status).toBe(409);
    expect(early.body.type).toMatch(/campaign-not-open$/);

    await skip('49 hours');
    await eventually(async () => (await stack.db.campaign.findUnique({ where: { id } }))?.status === 'open', 'the campaign to open');

    const accepted = [
      await submit(id, { campaignTopic: 'walking routes' }),
      await submit(id, { campaignTopic: 'homes and lifts', category: 'housing', district: 'xuhui' }),
      await submit(id, { category: 'planning', channel: 'campaign' }),
    ];
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202]);
    const unknownTopic = await submit(id, { campaignTopic: 'weather' });
    expect(unknownTopic.status).toBe(422);
    ids = accepted.map((r) => r.body.id);
    await eventually(async () => (await stack.db.suggestion.count({ where: { id: { in: ids }, status: 'handling' } })) === 3, 'the submissions to be routed');

    // Past the reminder (a day before closing) and the close.
    await skip('7 days');
    await eventually(async () => (await stack.db.campaign.findUnique({ where: { id } }))?.status === 'closed', 'the campaign to close');
    const late = await submit(id, { campaignTopic: 'walking routes' });
    expect(late.status).toBe(409);
    expect(late.body.type).toMatch(/campaign-closed$/);

    await skip('15 minutes');
    const stored = await eventually(async () => {
      const d = await stack.db.campaignDigest.findUnique({ where: { campaignId: id } });
      return d?.final ? d : undefined;
    }, 'the final digest');
    const digest = stored.content as unknown as CampaignDigest;
    expect(digest.total).toBe(3);
    expect(digest.byTopic).toEqual({ 'walking routes': 1, 'homes and lifts': 1, '(no topic named)': 1 });
    expect(digest.byDistrict).toEqual({ yangpu: 2, xuhui: 1 });
    expect(digest.byCategory).toEqual({ transport: 1, housing: 1, planning: 1 });
    expect(digest.byChannel).toEqual({ web: 2, campaign: 1 });
    expect(Object.fromEntries(Object.entries(digest.byDepartment).map(([d, list]) => [d, list.map((s) => s.id)]))).toEqual({
      transport: [ids[0]],
      housing: [ids[1]],
      planning: [ids[2]],
    });
    expect(digest.awaitingDecision.map((s) => s.id).sort()).toEqual([...ids].sort());

    const final: CampaignView = await handle.result();
    expect(final.status).toBe('closed');
    expect(final.digestFinal).toBe(true);
    expect((await handle.query(campaignQuery)).status).toBe('closed');
  });

  // Every department taking part heard of the opening, the reminder and its share of the digest.
  const notices = await stack.db.notification.findMany({ where: { id: { startsWith: `campaign:${id}:` } } });
  const kinds = (code: string) =>
    notices
      .filter((n) => n.recipient === `department:${code}`)
      .map((n) => n.id.split(':')[2])
      .sort();
  expect(kinds('transport')).toEqual(['closing_soon', 'digest', 'opened']);
  expect(kinds('housing')).toEqual(['closing_soon', 'digest', 'opened']);
  // Each department's share names its own suggestions only.
  const share = (code: string) => notices.find((n) => n.id === `campaign:${id}:digest:${code}`)?.body ?? '';
  expect(share('housing')).toContain(ids[1]);
  expect(share('transport')).toContain(ids[0]);
  for (const other of [ids[0], ids[2]]) expect(share('housing')).not.toContain(other);
  for (const other of [ids[1], ids[2]]) expect(share('transport')).not.toContain(other);
});
