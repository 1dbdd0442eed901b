import { z } from 'zod';
import { campaignStatuses, type CampaignView } from '../domain/campaign';
import type { Database } from '../prisma/client';
import { Problem } from './problem';

// Campaigns and recurring collections as the API shows them, read from the read model: the
// campaign routes, the collection routes and the public campaigns page share these.

/** What a campaign and a recurring collection both say about themselves. */
export const campaignSubjectView = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  topics: z.array(z.string()),
  leadDepartment: z.string(),
  jointDepartments: z.array(z.string()),
  districts: z.array(z.string()),
  categories: z.array(z.string()),
});
export const campaignView = campaignSubjectView.extend({
  kind: z.enum(['campaign', 'round']),
  collectionId: z.string().optional(),
  opensAt: z.string(),
  closesAt: z.string(),
  status: z.enum(campaignStatuses),
});
export type CampaignRow = NonNullable<Awaited<ReturnType<Database['campaign']['findUnique']>>>;

export function campaignOf(row: CampaignRow): z.infer<typeof campaignView> {
  return {
    id: row.id,
    kind: row.kind as 'campaign' | 'round',
    ...(row.collectionId ? { collectionId: row.collectionId } : {}),
    title: row.title,
    description: row.description,
    topics: row.topics,
    leadDepartment: row.leadDepartment,
    jointDepartments: row.jointDepartments,
    districts: row.districts,
    categories: row.categories,
    opensAt: row.opensAt.toISOString(),
    closesAt: row.closesAt.toISOString(),
    status: row.status as CampaignView['status'],
  };
}

/** Campaigns taking submissions at this moment, closing soonest first (the JSON list and the public page). */
export function openCampaigns(db: Database, at: Date) {
  return db.campaign.findMany({ where: { status: { in: ['scheduled', 'open'] }, opensAt: { lte: at }, closesAt: { gt: at } }, orderBy: { closesAt: 'asc' } });
}

/** A campaign or collection names departments that exist, or it is refused whole. */
export async function requireDepartments(db: Database, codes: string[]): Promise<void> {
  const wanted = [...new Set(codes)];
  const known = await db.department.findMany({ where: { code: { in: wanted } }, select: { code: true } });
  const missing = wanted.filter((c) => !known.some((k) => k.code === c));
  if (missing.length) throw new Problem(422, 'unknown-department', 'Unknown department', `no such department: ${missing.join(', ')}`);
}
