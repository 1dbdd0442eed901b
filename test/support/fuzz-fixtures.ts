import { randomBytes } from 'node:crypto';
import { shanghaiDate } from '../../domain/calendar';
import type { StaffRole } from '../../domain/vocabulary';
import { as, type Reply } from './api-client';
import { fileForm, png } from './attachments';
import { eventually, type Stack } from './stack';

// Records for the fuzzer's examples phase to act on, one per operation that needs one: a
// suggestion in the state its action needs, a campaign, a collection, a shortlist, a key, a rule.
// Each operation gets its own, so an action taken in one operation's example leaves another's
// untouched, and every operation can be answered 2xx by the role it is for
// (test/api/schemathesis.test.ts).

/** What one operation's example sends; the parts it names, the rest the fuzzer generates. */
export interface Example {
  path?: Record<string, string | number>;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  body?: unknown;
}

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

const night = {
  title: 'Night buses for hospital shift workers',
  content: 'Nurses finishing at midnight at Xinhua Hospital have no bus home; one night line would do.',
  category: 'transport',
  district: 'yangpu',
  proposer: { name: 'Sun Li', phone: '13800000031', replyChannel: 'online' },
};
const unrouted = { ...night, title: 'A quiet hour at the Chongming ferry terminal', category: 'other', district: 'chongming' };
const plan = (title: string) => ({
  usage: ['improving_work'],
  summary: `${title}: the night line runs from next month.`,
  milestones: [{ title: 'Run the night line', ownerDepartment: 'transport', dueInWorkingDays: 20 }],
});
const hour = 3_600_000;
const day = 24 * hour;

/**
 * Makes the records through the API as the office, the department (`transport`), the supervisor
 * and the proposers would, and returns each operation's example by its label ("POST /v1/…/{id}/…").
 */
export async function prepareFuzzExamples(stack: Stack, call: Call, keys: Record<StaffRole, string>): Promise<Record<string, Example>> {
  const ok = async (what: string, reply: Promise<Reply>): Promise<Reply> => {
    const r = await reply;
    if (r.status >= 300) throw new Error(`fixture ${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  const status = (id: string, wanted: string) =>
    eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === wanted, `${id} in ${wanted}`, 60_000);
  const submit = async (body: object, wanted: string) => {
    const r = await ok('intake', call('POST', '/v1/suggestions', body));
    await status(r.body.id, wanted);
    return { id: r.body.id as string, token: r.body.trackingToken as string };
  };
  const office = as(keys.office);
  const transport = as(keys.department);

  // Suggestions: routed to transport, or waiting in the office's triage.
  const [
    get,
    decide,
    giveBack,
    moreTime,
    timeAsked,
    outOfScope,
    tracked,
    proposerRead,
    proposerErased,
    rated,
    toMerge,
    merged,
    primary,
    handedOver,
    adoptedA,
    adoptedB,
  ] = await Promise.all([
    ...Array.from({ length: 14 }, () => submit(night, 'handling')),
    submit({ ...night, title: 'A night bus along Siping Road' }, 'handling'),
    submit({ ...night, title: 'A night bus along Guoding Road' }, 'handling'),
  ]);
  const [urgent, assign, coHandled] = await Promise.all([submit(unrouted, 'triage'), submit(unrouted, 'triage'), submit(unrouted, 'triage')]);

  await ok(
    'extension asked',
    call('POST', `/v1/suggestions/${timeAsked.id}/extension-request`, { days: 10, reason: 'A count of night riders is needed' }, transport),
  );
  // Health leads, transport co-handles: transport's opinion is pending.
  await ok(
    'co-handling',
    call(
      'POST',
      `/v1/suggestions/${coHandled.id}/assignment`,
      { leadDepartment: 'health', coDepartments: ['transport'], reason: 'Health leads, transport advises' },
      office,
    ),
  );
  await eventually(
    async () =>
      (await call('GET', `/v1/suggestions/${coHandled.id}`, undefined, office)).body?.handling?.opinions?.some(
        (o: { department: string; status: string }) => o.department === 'transport' && o.status === 'pending',
      ),
    'the co-handling opinion to be asked',
    60_000,
  );
  // One matter (合并办理): one suggestion merged already, for its merge to be undone.
  await ok('merged', call('POST', `/v1/suggestions/${merged.id}/merge`, { into: primary.id, reason: 'The same night line asked for twice' }, office));
  await ok(
    'decided for the rating',
    call(
      'POST',
      `/v1/suggestions/${rated.id}/decision`,
      { outcome: 'for_reference', reason: 'Night lines are planned for 2027', reply: 'Thank you: night lines are planned for 2027.' },
      transport,
    ),
  );
  await eventually(
    async () =>
      (await call('GET', `/v1/suggestions/${rated.id}/tracking`, undefined, { 'x-tracking-token': rated.token })).body?.satisfaction?.state === 'awaiting',
    'the rating to open',
    60_000,
  );
  for (const adopted of [adoptedA, adoptedB]) {
    await ok(
      'adopted',
      call(
        'POST',
        `/v1/suggestions/${adopted.id}/decision`,
        { outcome: 'adopted', reply: 'Adopted: a night line will run.', plan: plan('Night line') },
        transport,
      ),
    );
  }
  await Promise.all([status(adoptedA.id, 'implementing'), status(adoptedB.id, 'implementing')]);

  // The year's shortlist holds both adopted suggestions; one is nominated already, to be awarded.
  const year = Number(shanghaiDate(new Date()).slice(0, 4));
  await eventually(
    async () => {
      await ok('selection', call('POST', `/v1/awards/${year}/selection`, undefined, office));
      return (await stack.db.outstandingSuggestion.count({ where: { year, suggestionId: { in: [adoptedA.id, adoptedB.id] } } })) === 2;
    },
    'the shortlist',
    60_000,
  );
  await ok('nomination', call('POST', `/v1/awards/${year}/nominations`, { suggestionId: adoptedB.id, note: 'A night line for shift workers' }, office));

  // Campaigns: one scheduled, four open, one closed (with its digest), one paused.
  const campaign = (opensInMs: number, closesInMs: number) => ({
    id: `fuzz-${randomBytes(4).toString('hex')}`,
    title: 'Shade along the Yangpu riverside',
    description: 'Where should the riverside path get trees and awnings?',
    topics: ['trees', 'awnings'],
    leadDepartment: 'transport',
    jointDepartments: [],
    districts: ['yangpu'],
    categories: ['transport'],
    opensAt: new Date(Date.now() + opensInMs).toISOString(),
    closesAt: new Date(Date.now() + closesInMs).toISOString(),
  });
  const [scheduled, extended, paused, resumed, cancelled, closed] = [
    campaign(day, 7 * day),
    ...Array.from({ length: 4 }, () => campaign(-hour, 7 * day)),
    campaign(-hour, 3000),
  ];
  for (const c of [scheduled, extended, paused, resumed, cancelled, closed]) await ok('campaign', call('POST', '/v1/campaigns', c, office));
  const campaignIs = (id: string, wanted: string) =>
    eventually(async () => (await stack.db.campaign.findUnique({ where: { id } }))?.status === wanted, `campaign ${id} ${wanted}`, 60_000);
  await Promise.all([extended, paused, resumed, cancelled].map((c) => campaignIs(c.id, 'open')));
  await ok('pause', call('POST', `/v1/campaigns/${resumed.id}/pause`, { reason: 'Wording of the questions is being corrected' }, office));
  await campaignIs(closed.id, 'closed');
  await eventually(async () => (await stack.db.campaignDigest.findUnique({ where: { campaignId: closed.id } })) !== null, 'the digest', 60_000);

  // Collections: one to read, pause, resume (paused already), trigger and delete.
  const collection = () => ({
    id: `fuzz-${randomBytes(4).toString('hex')}`,
    title: 'Riverside monthly',
    description: 'Monthly ideas for the riverside path',
    topics: ['benches'],
    leadDepartment: 'transport',
    districts: ['yangpu'],
    categories: ['transport'],
  });
  const [readOne, pauseOne, resumeOne, triggerOne, deleteOne] = Array.from({ length: 5 }, collection);
  for (const c of [readOne, pauseOne, resumeOne, triggerOne, deleteOne]) await ok('collection', call('POST', '/v1/collections', c, office));
  await ok('collection paused', call('POST', `/v1/collections/${resumeOne.id}/pause`, {}, office));

  // Files: a proposer's photo on a suggestion, and a department's evidence on a published adoption.
  const uploadAs = async (headers: Record<string, string>) => {
    const res = await fetch(`${stack.baseUrl}/v1/uploads`, { method: 'POST', body: fileForm(await png(), 'photo.png', 'image/png'), headers });
    const body = (await res.json()) as { uploadId?: string };
    if (res.status !== 201 || !body.uploadId) throw new Error(`fixture upload: ${res.status} ${JSON.stringify(body)}`);
    return body.uploadId;
  };
  const photo = await uploadAs({});
  const withPhoto = await submit({ ...night, attachments: [photo] }, 'handling');
  const evidence = await uploadAs(transport);
  const published = await submit({ ...night, publishConsent: true }, 'handling');
  await ok(
    'adopted with evidence',
    call(
      'POST',
      `/v1/suggestions/${published.id}/decision`,
      { outcome: 'adopted', reply: 'Adopted: a night line will run.', plan: plan('Night line'), evidence: [evidence] },
      transport,
    ),
  );
  await status(published.id, 'implementing');

  // Reference data: a rule to change, a setting to remove, a key to revoke.
  const rule = await ok('rule', call('POST', '/v1/routing-rules', { category: 'environment', district: 'jinshan', leadDepartment: 'transport' }, office));
  await ok('setting', call('PUT', '/v1/time-settings/route', { channel: null, category: 'culture_tourism', amount: 3, unit: 'working_days' }, office));
  const revocable = await ok('key', call('POST', '/v1/admin/api-keys', { label: 'a desk to be closed', role: 'intake' }, as(keys.admin)));

  return {
    'POST /v1/suggestions': { body: { ...night, title: 'Shade at the Siping Road bus stop' } },
    'GET /v1/suggestions/{id}': { path: { id: get.id } },
    'POST /v1/suggestions/{id}/decision': {
      path: { id: decide.id },
      body: { outcome: 'for_reference', reason: 'Night lines are planned for 2027', reply: 'Thank you: night lines are planned.' },
    },
    'POST /v1/suggestions/{id}/assignment': {
      path: { id: assign.id },
      body: { leadDepartment: 'transport', coDepartments: [], reason: 'The ferry bus is a transport matter' },
    },
    'GET /v1/departments/{code}/inbox': { path: { code: 'transport' } },
    'POST /v1/suggestions/{id}/return': { path: { id: giveBack.id }, body: { reason: 'Night lines are run by the bus group' } },
    'POST /v1/suggestions/{id}/extension-request': { path: { id: moreTime.id }, body: { days: 10, reason: 'A count of night riders is needed' } },
    'POST /v1/suggestions/{id}/extension-decision': { path: { id: timeAsked.id }, body: { approve: true, reason: 'The count takes a week' } },
    'POST /v1/suggestions/{id}/opinion': { path: { id: coHandled.id }, body: { opinion: 'The night line needs no new stops.' } },
    'POST /v1/suggestions/{id}/out-of-scope': {
      path: { id: outOfScope.id },
      body: { kind: 'litigation', reason: 'A claim for damages against the bus company', referral: "the Yangpu District People's Court" },
    },
    // Held by Yangpu's office (its district): handed up to the city's.
    'POST /v1/suggestions/{id}/handover': { path: { id: handedOver.id }, body: { to: 'city', reason: '涉及多个区的夜间公交线路，由市征集办统筹交办。' } },
    'POST /v1/suggestions/{id}/urgent': { path: { id: urgent.id }, body: { reason: 'Night shifts start next week' } },
    'POST /v1/suggestions/{id}/merge': { path: { id: toMerge.id }, body: { into: primary.id, reason: 'The same night line asked for again' } },
    'DELETE /v1/suggestions/{id}/merge': { path: { id: merged.id }, body: { reason: 'A different line after all: handled on its own' } },
    'GET /v1/suggestions/{id}/similar': { path: { id: get.id } },
    'GET /v1/suggestions/{id}/attachments/{attachmentId}': { path: { id: withPhoto.id, attachmentId: photo } },
    'GET /v1/suggestions/{id}/attachments/{attachmentId}/thumbnail': { path: { id: withPhoto.id, attachmentId: photo } },
    'GET /v1/suggestions/{id}/tracking/attachments/{attachmentId}': {
      path: { id: withPhoto.id, attachmentId: photo },
      headers: { 'x-tracking-token': withPhoto.token },
    },
    'GET /v1/suggestions/{id}/tracking/attachments/{attachmentId}/thumbnail': {
      path: { id: withPhoto.id, attachmentId: photo },
      headers: { 'x-tracking-token': withPhoto.token },
    },
    'GET /v1/public/attachments/{attachmentId}': { path: { attachmentId: evidence } },
    'GET /v1/public/attachments/{attachmentId}/thumbnail': { path: { attachmentId: evidence } },
    'POST /v1/routing-rules': { body: { category: 'environment', district: 'fengxian', channel: 'letter', leadDepartment: 'transport' } },
    'PATCH /v1/routing-rules/{ruleId}': { path: { ruleId: rule.body.id }, body: { priority: 3 } },
    'PUT /v1/time-settings/{step}': { path: { step: 'respond' }, body: { channel: null, category: 'culture_tourism', amount: 20, unit: 'working_days' } },
    'DELETE /v1/time-settings/{step}': { path: { step: 'route' }, query: { category: 'culture_tourism' } },
    'GET /v1/calendar-years/{year}': { path: { year } },
    // The city profile as the administrator edits it: a new category, district and department (201),
    // the channels and default time limits as they stand (200, nothing to record).
    'PUT /v1/profile/categories/{code}': { path: { code: 'night_economy' }, body: { name: '夜间经济', nameEn: 'Night-time economy' } },
    'PUT /v1/profile/districts/{code}': {
      path: { code: 'lingang' },
      body: { name: '临港新片区', nameEn: 'Lingang Special Area', divisionCode: '310119', streets: [{ code: '310119001', name: '临港镇', kind: 'town' }] },
    },
    'PUT /v1/profile/departments/{code}': {
      path: { code: 'night-economy' },
      body: { name: '上海市夜间经济促进中心', nameEn: 'Shanghai Night-time Economy Centre', level: 'city' },
    },
    'PUT /v1/profile/channels': { body: { channels: [...stack.profile.current.document.channels] } },
    'PUT /v1/profile/time-limits': { body: { timeLimits: stack.profile.current.document.timeLimits } },
    'PUT /v1/calendar-years/{year}': {
      path: { year: 2031 },
      body: { source: '国办发明电〔2030〕7号', holidays: [{ date: '2031-01-01', name: '元旦' }], workdays: [] },
    },
    'GET /v1/suggestions/{id}/proposer': { path: { id: proposerRead.id } },
    'DELETE /v1/suggestions/{id}/proposer': { path: { id: proposerErased.id } },
    'POST /v1/admin/api-keys': { body: { label: 'desk 9, collection office', role: 'office' } },
    'DELETE /v1/admin/api-keys/{keyId}': { path: { keyId: revocable.body.id } },
    'POST /v1/suggestions/{id}/implementation/milestones/{milestoneId}/progress': {
      path: { id: adoptedA.id, milestoneId: 'M1' },
      body: { percent: 50, note: 'Half the night line runs.' },
    },
    // Not asked for yet (months after the implementation): refused 409 by the workflow.
    'POST /v1/suggestions/{id}/implementation/follow-up': { path: { id: adoptedA.id }, body: { stillInPlace: true, note: 'The night line still runs.' } },
    'PUT /v1/suggestions/{id}/implementation/plan': {
      path: { id: adoptedB.id },
      body: {
        reason: 'The buses come a month later',
        milestones: [{ id: 'M1', title: 'Run the night line', ownerDepartment: 'transport', dueInWorkingDays: 30 }],
      },
    },
    'GET /v1/suggestions/{id}/tracking': { path: { id: tracked.id }, headers: { 'x-tracking-token': tracked.token } },
    'POST /v1/suggestions/{id}/rating': { path: { id: rated.id }, headers: { 'x-tracking-token': rated.token }, body: { rating: 'satisfied' } },
    'POST /v1/campaigns': { body: { ...campaign(day, 7 * day), id: undefined } },
    'GET /v1/campaigns/{id}': { path: { id: scheduled.id } },
    'POST /v1/campaigns/{id}/extension': {
      path: { id: extended.id },
      body: { closesAt: new Date(Date.now() + 14 * day).toISOString(), reason: 'More time for the awnings topic' },
    },
    'POST /v1/campaigns/{id}/pause': { path: { id: paused.id }, body: { reason: 'Wording of the questions is being corrected' } },
    'POST /v1/campaigns/{id}/resume': { path: { id: resumed.id }, body: { reason: 'The questions are corrected' } },
    'POST /v1/campaigns/{id}/cancellation': { path: { id: cancelled.id }, body: { reason: 'Merged into the city-wide campaign' } },
    'GET /v1/campaigns/{id}/digest': { path: { id: closed.id } },
    'POST /v1/campaigns/{id}/results': { path: { id: closed.id }, body: { summary: 'Three new benches came from this campaign.' } },
    'POST /v1/collections': { body: { ...collection(), id: undefined } },
    'GET /v1/collections/{id}': { path: { id: readOne.id } },
    'POST /v1/collections/{id}/pause': { path: { id: pauseOne.id }, body: { note: 'Paused for the holidays' } },
    'POST /v1/collections/{id}/resume': { path: { id: resumeOne.id }, body: { note: 'Back after the holidays' } },
    'POST /v1/collections/{id}/trigger': { path: { id: triggerOne.id }, body: {} },
    'DELETE /v1/collections/{id}': { path: { id: deleteOne.id } },
    'POST /v1/awards/{year}/selection': { path: { year } },
    'GET /v1/awards/{year}/candidates': { path: { year } },
    'POST /v1/awards/{year}/nominations': { path: { year }, body: { suggestionId: adoptedA.id, note: 'A night line for shift workers' } },
    'POST /v1/awards/{year}/awards': { path: { year }, body: { suggestionId: adoptedB.id, citation: 'For a night line that brings shift workers home' } },
  };
}

/**
 * The document with each operation's example written into it (parameters' `example`, the JSON
 * body's `example`), for schemathesis's examples phase; the API's own document has none.
 */
export function withExamples(document: { paths: Record<string, Record<string, OperationObject>> }, examples: Record<string, Example>): unknown {
  const copy = structuredClone(document);
  for (const [label, example] of Object.entries(examples)) {
    const [method, path] = label.split(' ');
    const operation = copy.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`no operation ${label} in the document`);
    for (const [where, values] of [
      ['path', example.path],
      ['query', example.query],
      ['header', example.headers],
    ] as const) {
      for (const [name, value] of Object.entries(values ?? {})) {
        const parameter = operation.parameters?.find((p) => p.in === where && p.name === name);
        if (!parameter) throw new Error(`${label} has no ${where} parameter ${name}`);
        parameter.example = value;
      }
    }
    if (example.body !== undefined) {
      const media = operation.requestBody?.content?.['application/json'];
      if (!media) throw new Error(`${label} takes no JSON body`);
      media.example = JSON.parse(JSON.stringify(example.body));
    }
  }
  return copy;
}

interface OperationObject {
  parameters?: { in: string; name: string; example?: unknown }[];
  requestBody?: { content?: Record<string, { example?: unknown }> };
}
