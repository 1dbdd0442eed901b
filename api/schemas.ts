import { z } from 'zod';
import { channelSourceSchema } from '../domain/intake';
import { attachmentTypes } from '../domain/attachments';
import { trackingNumberPattern } from '../domain/tracking-number';
import { categoryCode, districtCode } from '../domain/profile-codes';
import { channels, outcomes, staffRoles, suggestionStatuses } from '../domain/vocabulary';

// Shapes of path parameters and responses, shared by the routes and the OpenAPI document. Each
// field says what it is (`.describe()`) and, where a generated sample would be nonsense, shows a
// real-looking value (`.meta({ examples })`); api/openapi.ts puts both in the document.

/** A suggestion as it is handled: the example answers of the reference (/docs) share it. */
const exampleSuggestion = {
  id: 'JY-20261126-7K3QXM',
  trackingNumber: 'JY-20261126-7K3QXM',
  title: '国定路公交站加装候车亭',
  content: '国定路政通路口的公交站没有候车亭，雨天和夏天候车的老人和学生只能站在路边。建议参照五角场站加装带座椅的候车亭，并增设到站信息屏。',
  category: 'transport',
  district: 'yangpu',
  channel: 'web',
  receivedAt: '2026-11-26T01:12:40.000Z',
  leadDepartment: 'transport',
  coDepartments: ['yangpu-gov'],
  dueAt: '2026-12-26T15:59:59.999Z',
} as const;

const trackingNumber = z
  .string()
  .regex(trackingNumberPattern, 'a tracking number such as JY-20261126-7K3QXM')
  .describe('the tracking number (建议编号) given at intake: JY-, the day received, six characters')
  .meta({ examples: [exampleSuggestion.id] });
const departmentCode = z
  .string()
  .regex(/^[a-z0-9_-]{2,64}$/, 'a department code')
  .describe('a department code, as GET /v1/departments lists them')
  .meta({ examples: ['transport'] });
const timestamp = (what: string) => z.string().describe(`${what} (ISO 8601, UTC)`);

export const suggestionIdParams = z.object({ id: trackingNumber });
export const departmentCodeParams = z.object({ code: departmentCode });

export const intakeReceipt = z
  .object({
    id: z.string().describe("the suggestion's id: its tracking number"),
    trackingNumber: z.string().describe('the tracking number (建议编号) the proposer quotes'),
    status: z.literal('received').describe('always received: routing follows in the workflow'),
    receivedAt: timestamp('when it was received'),
    /** The proposer's secret for following and rating the suggestion; shown only in this answer. */
    trackingToken: z
      .string()
      .describe("the proposer's tracking token (查询码), shown only in this answer: four groups of five characters, read back in any case"),
  })
  .describe('The receipt (回执) of a registered suggestion')
  .meta({
    examples: [
      {
        id: exampleSuggestion.id,
        trackingNumber: exampleSuggestion.id,
        status: 'received',
        receivedAt: exampleSuggestion.receivedAt,
        trackingToken: 'K7QX2-M9HPA-3RTWE-YB8NC',
      },
    ],
  });

const timelineEvent = z.object({
  seq: z.number().int().describe("its place in the suggestion's history, from 1"),
  type: z.string().describe('what happened: registered, assigned, decided, replied, milestone_progress …'),
  actor: z.string().describe('who did it: system, or the label of the staff key or token'),
  at: timestamp('when it happened'),
  detail: z.record(z.string(), z.unknown()).optional().describe('what the event carries: the department, the reason, the deadline …'),
});

/** A file a suggestion carries: the object's key and checksum, never the bytes. */
export const attachmentRefSchema = z
  .object({
    id: z.string().describe('the attachment id (its uploadId)'),
    key: z.string().describe('the encrypted object in the store; names neither the file nor anyone'),
    sha256: z.string().describe('SHA-256 of the file as served, hex'),
    contentType: z.enum(attachmentTypes).describe('told from the bytes'),
    bytes: z.number().int().describe('its size'),
    thumbnailKey: z.string().optional().describe('images: the thumbnail object'),
  })
  .describe('A photo or document, by reference');

/** The matter's place as kept: coordinates in WGS-84. */
export const storedPlaceSchema = z
  .object({
    address: z.string().optional().describe('where the matter is'),
    street: z.string().optional().describe('the street or town (街镇), by its statistics code (GET /v1/streets)'),
    coordinates: z
      .object({ lat: z.number().describe('latitude, WGS-84'), lng: z.number().describe('longitude, WGS-84') })
      .optional()
      .describe('the point in WGS-84 (GCJ-02 points are converted at intake)'),
  })
  .describe('Where the matter is');

export const suggestionView = z
  .object({
    id: z.string().describe("the suggestion's id: its tracking number"),
    trackingNumber: z.string().describe('the tracking number (建议编号)'),
    status: z.enum(suggestionStatuses).describe('where it is in the chain'),
    title: z.string().describe("the proposer's title"),
    content: z.string().describe('the suggestion in full: the situation, the reasons, the measures proposed'),
    category: categoryCode.describe('the subject it is about'),
    district: districtCode.describe('the district it concerns, or city for the whole city'),
    channel: z.enum(channels).describe('how it came in'),
    campaignId: z.string().optional().describe('the campaign it answers, if any'),
    campaignTopic: z.string().optional().describe("the campaign's topic the suggestion answers"),
    source: channelSourceSchema
      .optional()
      .describe(
        "the channel's own fields as registered (work order, station, reception point, service rated); in answers from the workflow, not in those from the read model",
      ),
    publishConsent: z.boolean().describe('the proposer agreed that, if adopted, its title and outcome may be published'),
    place: storedPlaceSchema.optional(),
    attachments: z
      .array(attachmentRefSchema)
      .optional()
      .describe("the proposer's photos and documents: GET /v1/suggestions/{id}/attachments/{attachmentId} (and …/thumbnail) serves each"),
    receivedAt: timestamp('when it was received'),
    leadDepartment: z.string().optional().describe('the department that handles and answers it (承办单位)'),
    coDepartments: z.array(z.string()).describe('departments giving their opinion to the lead (会办单位)'),
    dueAt: timestamp('the binding deadline now: routing while in triage, then the reply').optional(),
    dueAtProvisional: z
      .boolean()
      .optional()
      .describe('dueAt is counted through a year whose holiday schedule is not published yet: the official schedule may move it'),
    overdue: z.boolean().describe('past its deadline and escalated to supervisors (督办)'),
    jurisdiction: z.string().optional().describe('the level that holds it (city, a district code, a street code): its office routes and supervises it'),
    decision: z
      .object({
        outcome: z.enum(outcomes).describe('adopted, partially adopted, kept for reference or not adopted'),
        reason: z.string().optional().describe('why it was not (fully) adopted'),
        reply: z.string().describe('the reply the proposer reads'),
        plan: z.looseObject({}).optional().describe('adopted: the implementation plan (落实转化)'),
        evidence: z.array(attachmentRefSchema).optional().describe('photos and documents the department published with the decision'),
        decidedBy: z.string().describe('the department that decided'),
        decidedAt: timestamp('when it was decided'),
      })
      .optional()
      .describe("the lead department's decision (采纳) and reply"),
    repliedAt: timestamp('when the reply went to the proposer').optional(),
    closedAt: timestamp('when it was closed').optional(),
    handling: z.looseObject({}).optional().describe('triage, returns, extensions, co-handling opinions, urgency, out-of-scope closure'),
    mergedInto: z
      .looseObject({ into: z.string().describe('the tracking number of the primary, which answers for the matter') })
      .optional()
      .describe('merged into another suggestion on the same matter (合并办理), which answers it'),
    group: z
      .looseObject({
        raisedBy: z.number().int().describe('how many people raised the matter: this proposer and every merged one'),
        members: z
          .array(z.looseObject({ id: z.string().describe("a merged suggestion's tracking number") }))
          .describe("the suggestions merged into this one, with who merged them, why, and their proposers' ratings"),
      })
      .optional()
      .describe('a primary: the suggestions merged into it, and how many people raised the matter'),
    feedback: z.looseObject({}).optional().describe("implementation, the proposer's rating, campaign feedback"),
    version: z.number().int().describe('bumped by every event; a newer view has a larger one'),
    timeline: z.array(timelineEvent).describe('everything that happened, oldest first'),
  })
  .describe('A suggestion with its status, deadline, decision and timeline')
  .meta({
    examples: [
      {
        ...exampleSuggestion,
        coDepartments: [...exampleSuggestion.coDepartments],
        status: 'implementing',
        publishConsent: true,
        dueAtProvisional: false,
        overdue: false,
        decision: {
          outcome: 'adopted',
          reply: '感谢您的建议。我委已会同杨浦区完成现场踏勘，将于明年一季度在国定路政通路口公交站加装候车亭和到站信息屏。',
          plan: {
            usage: ['livelihood_measure'],
            summary: '国定路政通路口公交站加装带座椅的候车亭和到站信息屏。',
            milestones: [{ id: 'M1', title: '现场踏勘和方案设计', ownerDepartment: 'transport', dueAt: '2026-12-31T15:59:59.999Z', percent: 100 }],
          },
          decidedBy: 'transport',
          decidedAt: '2026-12-08T06:30:00.000Z',
        },
        repliedAt: '2026-12-08T06:30:02.000Z',
        version: 7,
        timeline: [
          { seq: 1, type: 'registered', actor: 'system', at: exampleSuggestion.receivedAt },
          { seq: 2, type: 'assigned', actor: 'system', at: '2026-11-26T01:12:41.000Z', detail: { leadDepartment: 'transport', coDepartments: ['yangpu-gov'] } },
          { seq: 3, type: 'decided', actor: '交通委办理窗口', at: '2026-12-08T06:30:00.000Z', detail: { outcome: 'adopted' } },
        ],
      },
    ],
  });

export const assignmentBody = z
  .object({
    leadDepartment: departmentCode.describe('the department that will handle and answer it (承办单位)'),
    coDepartments: z.array(departmentCode).max(10).default([]).describe('departments that give their opinion to the lead (会办单位), at most 10'),
    reason: z.string().trim().min(2).max(2000).describe('why these departments: kept in the timeline'),
  })
  .strict()
  .describe('The office assigns (交办) or reassigns a suggestion')
  .meta({ examples: [{ leadDepartment: 'transport', coDepartments: ['yangpu-gov'], reason: '公交站设施由市交通委负责，涉及道路空间的由杨浦区政府会办。' }] });

/** One line of a list: enough to pick a suggestion, not its text or timeline. */
export const suggestionSummary = z.object({
  id: z.string().describe("the suggestion's id: its tracking number"),
  trackingNumber: z.string().describe('the tracking number (建议编号)'),
  title: z.string().describe("the proposer's title"),
  status: z.enum(suggestionStatuses).describe('where it is in the chain'),
  category: categoryCode.describe('the subject'),
  district: districtCode.describe('the district it concerns'),
  street: z.string().nullable().optional().describe("the street or town (街镇) of the matter's place, by its statistics code; null: none given"),
  channel: z.enum(channels).describe('how it came in'),
  campaignId: z.string().nullable().describe('the campaign it answers; null: none'),
  leadDepartment: z.string().nullable().describe('the lead department; null: not routed yet'),
  coDepartments: z.array(z.string()).describe('the co-handling departments'),
  dueAt: timestamp('the binding deadline now').nullable(),
  dueAtProvisional: z.boolean().describe('dueAt is counted on the forecast of a year whose holiday schedule is not published yet'),
  overdue: z.boolean().describe('past its deadline and escalated'),
  receivedAt: timestamp('when it was received'),
});

/** A page of a list; pass nextCursor back as `cursor` for the next page (null: this was the last). */
export const suggestionPage = z.object({
  items: z.array(suggestionSummary).describe('this page of the list'),
  nextCursor: z.string().nullable().describe('pass it back as cursor for the next page; null: this was the last'),
});

export const inboxItem = suggestionSummary.extend({ role: z.enum(['lead', 'co']).describe("the department's part: lead (承办) or co-handling (会办)") });
export const inbox = z.object({
  items: z.array(inboxItem).describe('this page of the inbox'),
  nextCursor: z.string().nullable().describe('pass it back as cursor for the next page; null: this was the last'),
});

export const apiKeyIdParams = z.object({
  keyId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'an API key id')
    .describe("the key's id, as the list shows it"),
});

export const apiKeySummary = z.object({
  id: z.string().describe("the key's id"),
  label: z.string().describe('who or what desk it is for'),
  role: z.enum(staffRoles).describe('what it may do'),
  departmentCode: z.string().nullable().describe('department keys: their department'),
  jurisdiction: z.string().describe('where the key works: city, a district code, or a street code'),
  createdAt: timestamp('when it was issued'),
  revokedAt: timestamp('when it was revoked; null: it works').nullable(),
});
export const issuedApiKey = apiKeySummary.extend({ key: z.string().describe('shown only here: store it now') });
export const apiKeyList = z.object({ items: z.array(apiKeySummary).describe('the keys') });

/** RFC 9457; a problem may carry more members than these (loose), as the RFC allows. */
export const problemDocument = z.looseObject({
  type: z.string().describe('a stable code of the problem, e.g. validation-failed, not-found'),
  title: z.string().describe('the problem in a few words'),
  status: z.number().int().describe('the HTTP status'),
  detail: z.string().describe('what went wrong in this request'),
  errors: z
    .array(z.object({ field: z.string().describe('where: body.title, query.limit …'), message: z.string().describe('what is wrong with it') }))
    .optional()
    .describe('validation: each field at fault'),
});
