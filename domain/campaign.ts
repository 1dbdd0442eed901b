import { z } from 'zod';
import { firstWorkingDayOfMonth, type HolidayCalendar } from './calendar';
import { newCategoryCode, newDistrictCode } from './profile-codes';

// Proactive collection (主动征集): thematic and joint campaigns (专题征集, 联合征集) and the rounds
// of recurring collections such as a neighbourhood's monthly problem list (每月汇). Art 8 of the
// 2021 regulation: a campaign publishes its topic, how to submit, and its deadline.

export const campaignStatuses = [
  'scheduled', // published, not yet open
  'open',
  'paused', // the office stopped taking submissions for a while
  'closed', // the window has ended; the digest follows
  'cancelled',
] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export const campaignKinds = ['campaign', 'round'] as const;
export type CampaignKind = (typeof campaignKinds)[number];

const code = z.string().regex(/^[a-z0-9_-]{2,64}$/, 'a department code');
export const campaignIdPattern = /^[a-z0-9][a-z0-9-]{2,63}$/;
const campaignId = z
  .string()
  .regex(campaignIdPattern, 'lower-case letters, digits and dashes, 3 to 64 characters')
  .describe('an id of your choosing (lower-case letters, digits and dashes); one is made when left out')
  .meta({ examples: ['life-circle-15min'] });
/** Shorter than a campaign id: each round's id adds the day (`-YYYYMMDD`). */
export const collectionIdPattern = /^[a-z0-9][a-z0-9-]{2,47}$/;

/** What a campaign asks about and who runs it; shared by campaigns and recurring collections. */
const campaignSubject = {
  title: z
    .string()
    .trim()
    .min(2)
    .max(200)
    .describe('the title citizens read, 2–200 characters')
    .meta({ examples: ['15分钟社区生活圈：家门口还缺什么？'] }),
  description: z
    .string()
    .trim()
    .min(10)
    .max(5000)
    .describe('what is asked and why (Art 8: the topic, how to submit, the deadline)')
    .meta({
      examples: [
        '市规划资源局会同市民政局和杨浦区、徐汇区人民政府，听取您对家门口步行15分钟范围内养老服务、菜场商铺、绿地和运动场所、步行和骑行道路的意见建议。',
      ],
    }),
  /** The questions or topics the campaign asks about; a submission may name one. */
  topics: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(100)
        .meta({ examples: ['养老服务设施'] }),
    )
    .min(1)
    .max(20)
    .describe('the topics asked about, 1 to 20; a submission may name one'),
  /** The lead department (牵头单位); the joint ones take part (联合征集). */
  leadDepartment: code.describe('the lead department (牵头单位), which receives the digest').meta({ examples: ['planning'] }),
  jointDepartments: z
    .array(code.meta({ examples: ['civil-affairs'] }))
    .max(20)
    .default([])
    .describe('the departments taking part (联合征集), at most 20'),
  districts: z.array(newDistrictCode).max(100).default([]).describe('the districts it is about; empty: the whole city'),
  categories: z.array(newCategoryCode).max(100).default([]).describe('the categories its suggestions may take; empty: any'),
};

/** The campaign of the reference's examples (/docs): the one `npm start` opens. */
const exampleSubject = {
  title: '15分钟社区生活圈：家门口还缺什么？',
  description: '市规划资源局会同市民政局和杨浦区、徐汇区人民政府，听取您对家门口步行15分钟范围内养老服务、菜场商铺、绿地和运动场所、步行和骑行道路的意见建议。',
  topics: ['养老服务设施', '绿地和运动场所', '菜场和商铺', '步行和骑行道路'],
  leadDepartment: 'planning',
  jointDepartments: ['civil-affairs', 'yangpu-gov', 'xuhui-gov'],
  districts: ['yangpu', 'xuhui'],
  categories: ['planning', 'elderly_care', 'transport'],
};

export const createCampaignSchema = z
  .object({
    id: campaignId.optional(),
    ...campaignSubject,
    opensAt: z.iso
      .datetime({ offset: true })
      .describe('when it starts taking suggestions (ISO 8601 with offset)')
      .meta({ examples: ['2027-03-01T00:00:00+08:00'] }),
    closesAt: z.iso
      .datetime({ offset: true })
      .describe('when it stops, after opensAt')
      .meta({ examples: ['2027-03-31T23:59:59+08:00'] }),
  })
  .strict()
  .describe('A thematic or joint campaign (专题征集, 联合征集)')
  .meta({ examples: [{ id: 'life-circle-15min', ...exampleSubject, opensAt: '2027-03-01T00:00:00+08:00', closesAt: '2027-03-31T23:59:59+08:00' }] })
  .refine((c) => new Date(c.closesAt).getTime() > new Date(c.opensAt).getTime(), { path: ['closesAt'], message: 'a campaign closes after it opens' });
export type CreateCampaign = z.infer<typeof createCampaignSchema>;

export const createCollectionSchema = z
  .object({
    id: z
      .string()
      .regex(collectionIdPattern, 'lower-case letters, digits and dashes, 3 to 48 characters')
      .optional()
      .describe('an id of your choosing, 3 to 48 characters (each round adds the day)')
      .meta({ examples: ['wujiaochang-monthly'] }),
    ...campaignSubject,
    /** Each round is open this many working days from the first working day of the month. */
    roundWorkingDays: z
      .number()
      .int()
      .min(1)
      .max(15)
      .default(5)
      .describe('each round is open this many working days from the first working day of the month (1–15)'),
  })
  .strict()
  .describe('A recurring collection (每月汇): a round opens on the first working day of every month')
  .meta({
    examples: [
      {
        id: 'wujiaochang-monthly',
        title: '五角场街道“每月汇”：本月民生问题清单',
        description: '每月第一个工作日，街道干部走访社区，收集居民本月反映的问题和建议，交有关部门办理。',
        topics: ['加装电梯和住房', '街面秩序', '社区便民服务'],
        leadDepartment: 'yangpu-wujiaochang',
        jointDepartments: ['yangpu-housing'],
        districts: ['yangpu'],
        categories: ['housing', 'city_appearance', 'other'],
        roundWorkingDays: 5,
      },
    ],
  });
export type CreateCollection = z.infer<typeof createCollectionSchema>;

/** Everything a campaign workflow needs to run; a collection round is one too. */
export interface CampaignPlan {
  id: string;
  kind: CampaignKind;
  collectionId?: string;
  title: string;
  description: string;
  topics: string[];
  leadDepartment: string;
  jointDepartments: string[];
  districts: string[];
  categories: string[];
  opensAt: string;
  closesAt: string;
}

export interface CampaignView extends CampaignPlan {
  status: CampaignStatus;
  /** Whether the digest after the grace period has been stored and sent to the departments. */
  digestFinal: boolean;
  version: number;
}

export const participatingDepartments = (c: Pick<CampaignPlan, 'leadDepartment' | 'jointDepartments'>): string[] => [
  c.leadDepartment,
  ...c.jointDepartments.filter((d) => d !== c.leadDepartment),
];

export interface CampaignRefusal {
  status: 404 | 409 | 422;
  type: string;
  detail: string;
}

/**
 * Whether a submission received at `receivedAt` belongs in the campaign. The window decides
 * (not the workflow's timer, which fires a moment later); the office's pause and cancel and an
 * early close recorded by the workflow also refuse.
 */
export function campaignRefusal(
  c: { id: string; status: string; opensAt: Date; closesAt: Date; topics: string[] },
  receivedAt: Date,
  topic?: string,
): CampaignRefusal | undefined {
  if (c.status === 'cancelled') return { status: 409, type: 'campaign-cancelled', detail: `campaign ${c.id} was cancelled` };
  if (receivedAt.getTime() < c.opensAt.getTime()) {
    return { status: 409, type: 'campaign-not-open', detail: `campaign ${c.id} opens at ${c.opensAt.toISOString()}` };
  }
  if (receivedAt.getTime() >= c.closesAt.getTime() || c.status === 'closed') {
    return { status: 409, type: 'campaign-closed', detail: `campaign ${c.id} closed at ${c.closesAt.toISOString()}` };
  }
  if (c.status === 'paused')
    return { status: 409, type: 'campaign-paused', detail: `campaign ${c.id} is paused; submissions resume when the office reopens it` };
  if (topic !== undefined && !c.topics.includes(topic)) {
    return { status: 422, type: 'unknown-campaign-topic', detail: `campaign ${c.id} asks about: ${c.topics.join('; ')}` };
  }
  return undefined;
}

/** One campaign submission as the digest sees it (from the read model). */
export interface DigestEntry {
  id: string;
  title: string;
  status: string;
  category: string;
  district: string;
  channel: string;
  topic?: string;
  leadDepartment?: string;
}

export interface CampaignDigest {
  campaignId: string;
  title: string;
  opensAt: string;
  closesAt: string;
  compiledAt: string;
  total: number;
  byTopic: Record<string, number>;
  byDistrict: Record<string, number>;
  byCategory: Record<string, number>;
  byChannel: Record<string, number>;
  /** The suggestions routed to each lead department; `triage` holds those not yet routed. */
  byDepartment: Record<string, { id: string; title: string; status: string }[]>;
  /** Suggestions still waiting for a department's decision at close. */
  awaitingDecision: { id: string; title: string; status: string; leadDepartment?: string }[];
}

/**
 * A department's share of the digest: the suggestions it leads, and of those awaiting a decision
 * its own. The counts (by topic, district, category, channel, and the total) stay the campaign's:
 * they name no suggestion. Another department's suggestions, their ids and titles, are the
 * office's to see, not a fellow department's.
 */
export function departmentShare(digest: CampaignDigest, department: string): CampaignDigest {
  return {
    ...digest,
    byDepartment: { [department]: digest.byDepartment[department] ?? [] },
    awaitingDecision: digest.awaitingDecision.filter((s) => s.leadDepartment === department),
  };
}

/** Statuses in which a suggestion still needs a decision. */
const undecided = ['received', 'triage', 'handling'];
export const untopical = '(no topic named)';

export function compileDigest(
  c: Pick<CampaignPlan, 'id' | 'title' | 'opensAt' | 'closesAt'>,
  entries: readonly DigestEntry[],
  compiledAt: Date,
): CampaignDigest {
  const count = (key: (e: DigestEntry) => string) =>
    entries.reduce<Record<string, number>>((acc, e) => {
      acc[key(e)] = (acc[key(e)] ?? 0) + 1;
      return acc;
    }, {});
  const byDepartment: CampaignDigest['byDepartment'] = {};
  for (const e of entries) (byDepartment[e.leadDepartment ?? 'triage'] ??= []).push({ id: e.id, title: e.title, status: e.status });
  return {
    campaignId: c.id,
    title: c.title,
    opensAt: c.opensAt,
    closesAt: c.closesAt,
    compiledAt: compiledAt.toISOString(),
    total: entries.length,
    byTopic: count((e) => e.topic ?? untopical),
    byDistrict: count((e) => e.district),
    byCategory: count((e) => e.category),
    byChannel: count((e) => e.channel),
    byDepartment,
    awaitingDecision: entries
      .filter((e) => undecided.includes(e.status))
      .map((e) => ({ id: e.id, title: e.title, status: e.status, leadDepartment: e.leadDepartment })),
  };
}

/**
 * The days a monthly collection runs: the first working day of each month (not merely the 1st:
 * October 2025 runs on the 9th, after the National Day holiday week), for every year from
 * `fromYear` that the working-day calendar has loaded. A year without calendar data gets no runs
 * rather than guessed ones.
 */
export function monthlyCollectionDays(cal: HolidayCalendar, fromYear: number): string[] {
  const years = [...cal.years].filter((y) => y >= fromYear).sort((a, b) => a - b);
  return years.flatMap((year) => Array.from({ length: 12 }, (_, i) => firstWorkingDayOfMonth(cal, year, i + 1)));
}

/** A round of a recurring collection is named after its collection and its Shanghai day. */
export function roundIdFor(collectionId: string, shanghaiDay: string): string {
  return `${collectionId}-${shanghaiDay.replaceAll('-', '')}`;
}
