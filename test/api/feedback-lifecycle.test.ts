import { apiClient, shelterPlan } from '../support/feedback-api';
import { eventually, startStack, type Stack } from '../support/stack';

// Decision → reply → implementation → rating → public board, through the real API, the Temporal
// dev server and PostgreSQL. Timers at their real lengths are in test/workflow/feedback-lifecycle.

let stack: Stack;
let transportKey: string;
let healthKey: string;
const { call, submitRouted, projected, as, withToken } = apiClient(() => stack);

beforeAll(async () => {
  stack = await startStack();
  [transportKey, healthKey] = await Promise.all([stack.issueKey('department', 'transport'), stack.issueKey('department', 'health')]);
});
afterAll(() => stack.stop());

const shelter = (extra: Record<string, unknown> = {}) => ({
  title: 'A shelter at the Guoding Road bus stop',
  content: 'Passengers wait in the rain; a shelter like the one at Wujiaochang would help.',
  category: 'transport',
  district: 'yangpu',
  channel: 'web',
  proposer: { name: 'Zhao Lei', phone: '13700000003', email: 'zhao.lei@example.com', replyChannel: 'email' },
  publishConsent: true,
  ...extra,
});

test('an adopted suggestion: plan with Art 13 usage, progress, a revision with its reason, implemented, rated, and shown on the public board', async () => {
  const { id, token } = await submitRouted(shelter());
  expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  const stored = await stack.db.trackingToken.findUniqueOrThrow({ where: { suggestionId: id } });
  expect(stored.hash).not.toContain(token);

  const noPlan = await call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'adopted', reply: 'Yes.' }, as(transportKey));
  expect(noPlan.status).toBe(400);
  expect(noPlan.body.detail).toMatch(/plan/);
  const badUsage = await call(
    'POST',
    `/v1/suggestions/${id}/decision`,
    { outcome: 'adopted', reply: 'Yes.', plan: { ...shelterPlan, usage: ['whim'] } },
    as(transportKey),
  );
  expect(badUsage.status).toBe(400);

  const decided = await call(
    'POST',
    `/v1/suggestions/${id}/decision`,
    { outcome: 'adopted', reply: 'A shelter will be built.', plan: shelterPlan },
    as(transportKey),
  );
  expect(decided.status).toBe(200);
  await projected(id, (r) => r.status === 'implementing', 'the plan to start');

  // The proposer follows it with the token; a wrong token or none shows nothing.
  expect((await call('GET', `/v1/suggestions/${id}/tracking`, undefined, withToken('not-the-token'))).status).toBe(404);
  expect((await call('GET', `/v1/suggestions/${id}/tracking`)).status).toBe(400);
  const tracked = await call('GET', `/v1/suggestions/${id}/tracking`, undefined, withToken(token));
  expect(tracked.status).toBe(200);
  expect(tracked.body).toMatchObject({
    status: 'implementing',
    decision: { outcome: 'adopted' },
    implementation: { summary: shelterPlan.summary },
    satisfaction: { state: 'awaiting' },
  });
  expect(tracked.body.timeline.map((e: { type: string }) => e.type)).toEqual(['registered', 'assigned', 'decided', 'replied', 'implementation_started']);
  expect(JSON.stringify(tracked.body)).not.toMatch(/officer|test key|Zhao Lei/);

  const staffView = await call('GET', `/v1/suggestions/${id}`, undefined, as(transportKey));
  const [survey, build] = staffView.body.feedback.implementation.milestones;
  const progress = (milestone: string, body: unknown, key = transportKey) =>
    call('POST', `/v1/suggestions/${id}/implementation/milestones/${milestone}/progress`, body, as(key));
  // Health neither leads it nor owns a milestone: it cannot see the suggestion, as its GET says.
  expect((await progress(survey.id, { percent: 50, note: 'Half surveyed.' }, healthKey)).status).toBe(404);
  expect((await progress(survey.id, { percent: 50, note: 'Half surveyed.', evidenceUrl: 'ftp://x' })).status).toBe(400);
  expect((await progress('M9', { percent: 50, note: 'No such milestone.' })).status).toBe(422);
  expect((await progress(survey.id, { percent: 100, note: 'Surveyed with the district.', evidenceUrl: 'https://example.org/survey.pdf' })).status).toBe(200);
  expect((await progress(survey.id, { percent: 100, note: 'Again.' })).status).toBe(409);

  const noReason = await call(
    'PUT',
    `/v1/suggestions/${id}/implementation/plan`,
    { milestones: [{ ...shelterPlan.milestones[1], id: build.id }] },
    as(transportKey),
  );
  expect(noReason.status).toBe(400);
  const revised = await call(
    'PUT',
    `/v1/suggestions/${id}/implementation/plan`,
    {
      reason: 'The shelter needs a power line for its lights first.',
      milestones: [
        { ...shelterPlan.milestones[0], id: survey.id },
        { title: 'Power line', ownerDepartment: 'transport', dueInWorkingDays: 5 },
        { ...shelterPlan.milestones[1], id: build.id },
      ],
    },
    as(transportKey),
  );
  expect(revised.status).toBe(200);
  const plan = revised.body.feedback.implementation;
  expect(plan.revisions).toHaveLength(1);
  expect(plan.revisions[0]).toMatchObject({ reason: 'The shelter needs a power line for its lights first.' });
  expect(plan.milestones.map((m: { id: string; percent: number }) => [m.id, m.percent])).toEqual([
    [survey.id, 100],
    ['M3', 0],
    [build.id, 0],
  ]);

  await progress('M3', { percent: 100, note: 'Connected.' });
  await progress(build.id, { percent: 100, note: 'Shelter open.', evidenceUrl: 'https://example.org/shelter.jpg' });
  await projected(id, (r) => r.status === 'implemented', 'implemented');

  const rated = await call('POST', `/v1/suggestions/${id}/rating`, { rating: 'satisfied', comment: 'Thank you!' }, withToken(token));
  expect(rated.status).toBe(200);
  expect(rated.body.satisfaction).toMatchObject({ state: 'rated', ratings: [{ rating: 'satisfied', round: 1 }] });
  expect((await call('POST', `/v1/suggestions/${id}/rating`, { rating: 'satisfied' }, withToken(token))).status).toBe(409);
  expect((await call('POST', `/v1/suggestions/${id}/rating`, { rating: 'great' }, withToken(token))).status).toBe(400);

  let board: Awaited<ReturnType<typeof call>> | undefined;
  const listed = await eventually(async () => {
    board = await call('GET', `/v1/public/suggestions?department=transport&district=yangpu&category=transport&pageSize=100`);
    return board.body.items.find((i: { trackingNumber: string }) => i.trackingNumber === id);
  }, 'the suggestion on the board');
  expect(listed).toMatchObject({
    title: shelter().title,
    summary: shelterPlan.summary,
    department: 'transport',
    outcome: 'adopted',
    usage: ['livelihood_measure'],
    progress: { percent: 100 },
  });
  expect(listed.implementedAt).toBeDefined();
  const everything = JSON.stringify(board!.body) + JSON.stringify(listed);
  expect(everything).not.toMatch(/Zhao Lei|13700000003|zhao\.lei/);
  expect(Object.keys(listed)).not.toEqual(expect.arrayContaining(['content', 'proposer']));
});

test('the public board shows only consented, adopted suggestions, and filters and pages them', async () => {
  const plan = { ...shelterPlan, summary: 'Benches are added along the riverside path.' };
  // Chongming, so the filters meet few suggestions of other test files sharing the database.
  const inChongming = (extra: Record<string, unknown> = {}) => shelter({ district: 'chongming', ...extra });
  const consented = await Promise.all([1, 2, 3].map(() => submitRouted(inChongming())));
  const withheld = await submitRouted(inChongming({ publishConsent: false }));
  const refused = await submitRouted(inChongming());
  for (const { id } of [...consented, withheld]) {
    expect((await call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'partially_adopted', reply: 'Partly.', plan }, as(transportKey))).status).toBe(200);
  }
  expect(
    (await call('POST', `/v1/suggestions/${refused.id}/decision`, { outcome: 'not_adopted', reason: 'Out of budget.', reply: 'No.' }, as(transportKey))).status,
  ).toBe(200);
  await Promise.all(
    [...consented, withheld, refused].map(({ id }) => projected(id, (r) => r.status === 'implementing' || r.status === 'replied', 'the reply')),
  );

  // Walk every page of the filtered board two at a time.
  const seen: { trackingNumber: string; district: string; outcome: string; summary: string }[] = [];
  let total: number | undefined;
  for (let page = 1; ; page += 1) {
    const res = await call('GET', `/v1/public/suggestions?district=chongming&category=transport&department=transport&pageSize=2&page=${page}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
    total = res.body.total;
    seen.push(...res.body.items);
    if (res.body.items.length < 2) break;
  }
  expect(seen).toHaveLength(total!);
  expect(new Set(seen.map((i) => i.trackingNumber)).size).toBe(total);
  const ids = seen.map((i) => i.trackingNumber);
  expect(ids).toEqual(expect.arrayContaining(consented.map((c) => c.id)));
  expect(ids).not.toContain(withheld.id);
  expect(ids).not.toContain(refused.id);
  expect(seen.every((i) => i.district === 'chongming' && ['adopted', 'partially_adopted'].includes(i.outcome))).toBe(true);
  expect(seen.find((i) => i.trackingNumber === consented[0].id)).toMatchObject({ outcome: 'partially_adopted', summary: plan.summary });

  expect(
    (await call('GET', '/v1/public/suggestions?district=chongming&department=health')).body.items.map((i: { trackingNumber: string }) => i.trackingNumber),
  ).not.toContain(consented[0].id);
  expect((await call('GET', '/v1/public/suggestions?pageSize=1000')).status).toBe(400);
  expect((await call('GET', '/v1/public/suggestions?district=atlantis')).status).toBe(400);

  const tracked = await call('GET', `/v1/suggestions/${refused.id}/tracking`, undefined, withToken(refused.token));
  expect(tracked.body).toMatchObject({
    status: 'replied',
    decision: { outcome: 'not_adopted', reason: 'Out of budget.' },
    satisfaction: { state: 'awaiting' },
  });
  expect(tracked.body.implementation).toBeUndefined();
});

test('dissatisfied opens one re-handling round with the same department and a new deadline; the second answer is replied to', async () => {
  const { id, token } = await submitRouted(shelter());
  expect((await call('POST', `/v1/suggestions/${id}/rating`, { rating: 'dissatisfied' }, withToken(token))).status).toBe(409);
  await call(
    'POST',
    `/v1/suggestions/${id}/decision`,
    { outcome: 'for_reference', reason: 'Shelters are planned city-wide next year.', reply: 'Kept for the city-wide plan.' },
    as(transportKey),
  );
  await projected(id, (r) => r.status === 'replied', 'the reply');

  const rated = await call('POST', `/v1/suggestions/${id}/rating`, { rating: 'dissatisfied', comment: 'Next year is too late.' }, withToken(token));
  expect(rated.status).toBe(200);
  const row = await projected(id, (r) => r.status === 'rehandling', 're-handling');
  const staffView = await call('GET', `/v1/suggestions/${id}`, undefined, as(transportKey));
  expect(staffView.body).toMatchObject({ status: 'rehandling', leadDepartment: 'transport' });
  const rehandling = staffView.body.feedback.satisfaction.rehandling;
  expect(rehandling).toMatchObject({ department: 'transport', because: 'Next year is too late.' });
  expect(new Date(rehandling.dueAt).getTime()).toBe(row.dueAt!.getTime());
  expect((await call('GET', `/v1/suggestions/${id}/tracking`, undefined, withToken(token))).body.satisfaction.rehandlingDueAt).toBe(rehandling.dueAt);
  const inbox = await call('GET', '/v1/departments/transport/inbox?limit=100&sort=-receivedAt', undefined, as(transportKey));
  expect(inbox.body.items.find((i: { id: string }) => i.id === id)).toMatchObject({ status: 'rehandling', role: 'lead' });

  // Not health's to see, so not health's to decide: the 404 its GET gets.
  expect(
    (await call('POST', `/v1/suggestions/${id}/decision`, { outcome: 'adopted', reply: 'We will build it.', plan: shelterPlan }, as(healthKey))).status,
  ).toBe(404);
  const again = await call(
    'POST',
    `/v1/suggestions/${id}/decision`,
    { outcome: 'adopted', reply: 'We found the money: it is built this year.', plan: shelterPlan },
    as(transportKey),
  );
  expect(again.status).toBe(200);
  await projected(id, (r) => r.status === 'implementing', 'the new plan');
  const tracked = await call('GET', `/v1/suggestions/${id}/tracking`, undefined, withToken(token));
  expect(tracked.body).toMatchObject({ decision: { outcome: 'adopted' }, satisfaction: { state: 'awaiting' } });
  expect(tracked.body.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['rehandling_opened', 'decided_again']));
  const replies = await stack.db.notification.findMany({ where: { suggestionId: id, recipient: 'proposer', subject: { startsWith: 'Reply' } } });
  expect(replies.map((r) => r.id).sort()).toEqual([`${id}:reply-1`, `${id}:reply-2`]);

  const second = await call('POST', `/v1/suggestions/${id}/rating`, { rating: 'dissatisfied' }, withToken(token));
  expect(second.status).toBe(200);
  const settled = await call('GET', `/v1/suggestions/${id}`, undefined, as(transportKey));
  expect(settled.body.timeline.filter((e: { type: string }) => e.type === 'rehandling_opened')).toHaveLength(1);
});
