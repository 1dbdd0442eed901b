import { z } from 'zod';
import { campaignStatuses, type CampaignView } from '../domain/campaign';
import type { Database } from '../prisma/client';
import { Problem } from './problem';

// Campaigns and recurring collections as the API shows them, read from the read model: the
// campaign routes, the collection routes and the public campaigns page share these.

/** What a campaign and a recurring collection both say about themselves. */
export const campaignSubjectView = z.object({
  id: z.string().describe('its id'),
  title: z.string().describe('its title, as citizens read it'),
  description: z.string().describe('what it asks and why'),
  topics: z.array(z.string()).describe('the topics a submission may name'),
  leadDepartment: z.string().describe('the lead department (牵头单位)'),
  jointDepartments: z.array(z.string()).describe('the departments taking part (联合征集)'),
  districts: z.array(z.string()).describe('the districts it is about; empty: the whole city'),
  jurisdiction: z.string().optional().describe('the level whose office made it (city, a district): that office and those above change it'),
  categories: z.array(z.string()).describe('the categories its suggestions take'),
});
export const campaignView = campaignSubjectView
  .extend({
    kind: z.enum(['campaign', 'round']).describe('campaign, or a round of a recurring collection'),
    collectionId: z.string().optional().describe('a round: its collection'),
    opensAt: z.string().describe('when it opens (ISO 8601, UTC)'),
    closesAt: z.string().describe('when it closes (ISO 8601, UTC)'),
    status: z.enum(campaignStatuses).describe('scheduled, open, paused, closed or cancelled'),
  })
  .describe('A campaign (专题征集) or a round of a collection')
  .meta({
    examples: [
      {
        id: 'life-circle-15min',
        title: '15分钟社区生活圈：家门口还缺什么？',
        description:
          '市规划资源局会同市民政局和杨浦区、徐汇区人民政府，听取您对家门口步行15分钟范围内养老服务、菜场商铺、绿地和运动场所、步行和骑行道路的意见建议。',
        topics: ['养老服务设施', '绿地和运动场所', '菜场和商铺', '步行和骑行道路'],
        leadDepartment: 'planning',
        jointDepartments: ['civil-affairs', 'yangpu-gov', 'xuhui-gov'],
        districts: ['yangpu', 'xuhui'],
        categories: ['planning', 'elderly_care', 'transport'],
        kind: 'campaign',
        opensAt: '2026-12-01T00:00:00.000Z',
        closesAt: '2026-12-15T15:59:59.000Z',
        status: 'open',
      },
    ],
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
    jurisdiction: row.jurisdiction,
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
