import { z } from 'zod';
import { attachmentTypes, type AttachmentType } from '../domain/attachments';
import type { FeedbackView } from '../domain/feedback';
import { placeView, placeViewSchema, type Place } from '../domain/place';
import type { CityProfile } from '../domain/profile';
import { overallPercent } from '../domain/implementation';
import { categoryCode, districtCode, streetCode } from '../domain/profile-codes';
import { adoptionUsages, outcomesNeedingPlan } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

// 公开反馈: the public board. Adopted and partially adopted suggestions whose proposer consented
// at intake, with what changed and how far it is carried out. Built only from the suggestion's
// own columns and the department's public summary: the proposer's table is never read here.

export const boardQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    department: z
      .string()
      .regex(/^[a-z0-9_-]{2,64}$/)
      .optional(),
    district: districtCode.optional(),
    street: streetCode.optional(),
    category: categoryCode.optional(),
    campaign: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

const boardItem = z.object({
  trackingNumber: z.string(),
  title: z.string(),
  summary: z.string(),
  department: z.string(),
  district: districtCode,
  category: categoryCode,
  /** The matter's place, published with the proposer's consent like the rest of the row. */
  place: placeViewSchema.optional(),
  /** Photos and documents the departments published: GET /v1/public/attachments/{id} (and …/thumbnail). */
  evidence: z.array(z.object({ id: z.string(), contentType: z.enum(attachmentTypes), thumbnail: z.boolean() })).optional(),
  campaignId: z.string().optional(),
  outcome: z.enum(outcomesNeedingPlan as ['adopted', 'partially_adopted']),
  usage: z.array(z.enum(adoptionUsages)),
  progress: z.object({
    percent: z.number().int(),
    milestones: z.array(z.object({ title: z.string(), dueAt: z.string(), percent: z.number().int(), done: z.boolean() })),
  }),
  receivedAt: z.string(),
  decidedAt: z.string(),
  implementedAt: z.string().optional(),
  /** 优秀人民建议: the year the office awarded it as an outstanding suggestion, with the citation. */
  award: z.object({ year: z.number().int(), citation: z.string().optional() }).optional(),
});
export const boardPage = z.object({ items: z.array(boardItem), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

export type BoardQuery = z.output<typeof boardQuery>;

/** A page of the board; the JSON endpoint and the public web page show the same rows. */
export async function readBoard(db: Database, query: BoardQuery, profile: CityProfile) {
  const where = {
    publishConsent: true,
    outcome: { in: [...outcomesNeedingPlan] },
    repliedAt: { not: null },
    ...(query.department ? { leadDepartment: query.department } : {}),
    ...(query.district ? { district: query.district } : {}),
    ...(query.street ? { street: query.street } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.campaign ? { campaignId: query.campaign } : {}),
  };
  const [total, rows] = await Promise.all([
    db.suggestion.count({ where }),
    db.suggestion.findMany({
      where,
      orderBy: [{ decidedAt: 'desc' }, { id: 'asc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: {
        trackingNumber: true,
        title: true,
        leadDepartment: true,
        district: true,
        street: true,
        place: true,
        category: true,
        campaignId: true,
        outcome: true,
        receivedAt: true,
        decidedAt: true,
        feedback: true,
      },
    }),
  ]);
  const awards = await db.outstandingSuggestion.findMany({
    where: { suggestionId: { in: rows.map((r) => r.trackingNumber) }, awardedAt: { not: null } },
    select: { suggestionId: true, year: true, citation: true },
    orderBy: { year: 'asc' },
  });
  const published = await db.attachment.findMany({
    where: { suggestionId: { in: rows.map((r) => r.trackingNumber) }, purpose: { in: ['progress', 'decision'] } },
    select: { id: true, suggestionId: true, contentType: true, thumbnailKey: true },
    orderBy: [{ attachedAt: 'asc' }, { id: 'asc' }],
  });
  const evidenceOf = (id: string) =>
    published.filter((a) => a.suggestionId === id).map((a) => ({ id: a.id, contentType: a.contentType as AttachmentType, thumbnail: a.thumbnailKey !== null }));
  const awardOf = new Map(awards.map((a) => [a.suggestionId, { year: a.year, ...(a.citation ? { citation: a.citation } : {}) }]));
  return {
    page: query.page,
    pageSize: query.pageSize,
    total,
    items: rows.map((row) => {
      const implementation = (row.feedback as FeedbackView | null)?.implementation;
      const milestones = (implementation?.milestones ?? []).map((m) => ({ title: m.title, dueAt: m.dueAt, percent: m.percent, done: m.doneAt !== undefined }));
      return {
        trackingNumber: row.trackingNumber,
        title: row.title,
        summary: implementation?.summary ?? '',
        department: row.leadDepartment ?? '',
        district: row.district,
        category: row.category,
        ...(row.place ? { place: placeView(row.place as Place, profile) } : {}),
        ...(evidenceOf(row.trackingNumber).length ? { evidence: evidenceOf(row.trackingNumber) } : {}),
        ...(row.campaignId ? { campaignId: row.campaignId } : {}),
        outcome: row.outcome,
        usage: implementation?.usage ?? [],
        progress: { percent: overallPercent(milestones), milestones },
        receivedAt: row.receivedAt.toISOString(),
        decidedAt: row.decidedAt!.toISOString(),
        ...(implementation?.implementedAt ? { implementedAt: implementation.implementedAt } : {}),
        ...(awardOf.has(row.trackingNumber) ? { award: awardOf.get(row.trackingNumber) } : {}),
      };
    }),
  };
}
