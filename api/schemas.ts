import { z } from 'zod';
import { trackingNumberPattern } from '../domain/tracking-number';
import { categories, channels, districts, outcomes, suggestionStatuses } from '../domain/vocabulary';

// Shapes of path parameters and responses, shared by the routes and the OpenAPI document.

export const suggestionIdParams = z.object({ id: z.string().regex(trackingNumberPattern, 'a tracking number such as JY-20261126-7K3QXM') });
export const departmentCodeParams = z.object({ code: z.string().regex(/^[a-z0-9_-]{2,64}$/, 'a department code') });

export const intakeReceipt = z.object({
  id: z.string(),
  trackingNumber: z.string(),
  status: z.literal('received'),
  receivedAt: z.string(),
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
  publishConsent: z.boolean(),
  receivedAt: z.string(),
  leadDepartment: z.string().optional(),
  coDepartments: z.array(z.string()),
  dueAt: z.string().optional(),
  overdue: z.boolean(),
  decision: z
    .object({ outcome: z.enum(outcomes), reason: z.string().optional(), reply: z.string(), decidedBy: z.string(), decidedAt: z.string() })
    .optional(),
  repliedAt: z.string().optional(),
  closedAt: z.string().optional(),
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

export const inboxItem = z.object({
  id: z.string(),
  trackingNumber: z.string(),
  title: z.string(),
  status: z.enum(suggestionStatuses),
  category: z.enum(categories),
  district: z.enum(districts),
  role: z.enum(['lead', 'co']),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  receivedAt: z.string(),
});
export const inbox = z.object({ items: z.array(inboxItem) });

export const problemDocument = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
