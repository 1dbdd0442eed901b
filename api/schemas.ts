import { z } from 'zod';
import { channelSourceSchema } from '../domain/intake';
import { trackingNumberPattern } from '../domain/tracking-number';
import { categories, channels, districts, outcomes, staffRoles, suggestionStatuses } from '../domain/vocabulary';

// Shapes of path parameters and responses, shared by the routes and the OpenAPI document.

export const suggestionIdParams = z.object({ id: z.string().regex(trackingNumberPattern, 'a tracking number such as JY-20261126-7K3QXM') });
export const departmentCodeParams = z.object({ code: z.string().regex(/^[a-z0-9_-]{2,64}$/, 'a department code') });

export const intakeReceipt = z.object({
  id: z.string(),
  trackingNumber: z.string(),
  status: z.literal('received'),
  receivedAt: z.string(),
  /** The proposer's secret for following and rating the suggestion; shown only in this answer. */
  trackingToken: z.string(),
});

const timelineEvent = z.object({
  seq: z.number().int(),
  type: z.string(),
  actor: z.string(),
  at: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

export const suggestionView = z.object({
  id: z.string(),
  trackingNumber: z.string(),
  status: z.enum(suggestionStatuses),
  title: z.string(),
  content: z.string(),
  category: z.enum(categories),
  district: z.enum(districts),
  channel: z.enum(channels),
  campaignId: z.string().optional(),
  campaignTopic: z.string().optional().describe("the campaign's topic the suggestion answers"),
  source: channelSourceSchema
    .optional()
    .describe("the channel's own fields as registered (work order, station, reception point, service rated); in answers from the workflow, not in those from the read model"),
  publishConsent: z.boolean(),
  receivedAt: z.string(),
  leadDepartment: z.string().optional(),
  coDepartments: z.array(z.string()),
  dueAt: z.string().optional(),
  dueAtProvisional: z.boolean().optional().describe('dueAt is counted through a year whose holiday schedule is not published yet: the official schedule may move it'),
  overdue: z.boolean(),
  decision: z
    .object({ outcome: z.enum(outcomes), reason: z.string().optional(), reply: z.string(), plan: z.looseObject({}).optional().describe('adopted: the implementation plan (落实转化)'), decidedBy: z.string(), decidedAt: z.string() })
    .optional(),
  repliedAt: z.string().optional(),
  closedAt: z.string().optional(),
  handling: z.looseObject({}).optional().describe('triage, returns, extensions, co-handling opinions, urgency, out-of-scope closure'),
  feedback: z.looseObject({}).optional().describe("implementation, the proposer's rating, campaign feedback"),
  version: z.number().int(),
  timeline: z.array(timelineEvent),
});

export const assignmentBody = z
  .object({
    leadDepartment: z.string().regex(/^[a-z0-9_-]{2,64}$/),
    coDepartments: z.array(z.string().regex(/^[a-z0-9_-]{2,64}$/)).max(10).default([]),
    reason: z.string().trim().min(2).max(2000),
  })
  .strict();

/** One line of a list: enough to pick a suggestion, not its text or timeline. */
export const suggestionSummary = z.object({
  id: z.string(),
  trackingNumber: z.string(),
  title: z.string(),
  status: z.enum(suggestionStatuses),
  category: z.enum(categories),
  district: z.enum(districts),
  channel: z.enum(channels),
  campaignId: z.string().nullable(),
  leadDepartment: z.string().nullable(),
  coDepartments: z.array(z.string()),
  dueAt: z.string().nullable(),
  dueAtProvisional: z.boolean().describe('dueAt is counted on the forecast of a year whose holiday schedule is not published yet'),
  overdue: z.boolean(),
  receivedAt: z.string(),
});

/** A page of a list; pass nextCursor back as `cursor` for the next page (null: this was the last). */
export const suggestionPage = z.object({ items: z.array(suggestionSummary), nextCursor: z.string().nullable() });

export const inboxItem = suggestionSummary.extend({ role: z.enum(['lead', 'co']) });
export const inbox = z.object({ items: z.array(inboxItem), nextCursor: z.string().nullable() });

export const apiKeyIdParams = z.object({ keyId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'an API key id') });

export const apiKeySummary = z.object({
  id: z.string(),
  label: z.string(),
  role: z.enum(staffRoles),
  departmentCode: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export const issuedApiKey = apiKeySummary.extend({ key: z.string().describe('shown only here: store it now') });
export const apiKeyList = z.object({ items: z.array(apiKeySummary) });

/** RFC 9457; a problem may carry more members than these (loose), as the RFC allows. */
export const problemDocument = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
