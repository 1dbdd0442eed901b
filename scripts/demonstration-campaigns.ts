import { Client, Connection } from '@temporalio/client';
import { ensureAwardSchedule } from '../temporal-client/schedules';
import { KeyRing } from '../codec';
import { suggestionClientOptions } from '../temporal-client/issued-requests';
import { launchCampaign, launchCollection } from '../api/proactive-collection';
import type { CampaignPlan, CreateCollection } from '../domain/campaign';
import { connectDatabase } from '../prisma/client';
import type { TemporalConnectionOptions } from '../temporal-client/connection';

// The demonstrations are written as the collection office would publish them, in Chinese: the
// public pages show a campaign's own words whatever the reader's language (its content is the
// office's, not the site's).

/** A thematic campaign open for two weeks from `now`: the 15-minute community life circle. */
export function demonstrationCampaign(now: Date): CampaignPlan {
  return {
    id: 'life-circle-15min',
    kind: 'campaign',
    title: '15分钟社区生活圈：家门口还缺什么？',
    description:
      '市规划资源局会同市民政局和杨浦区、徐汇区人民政府，听取您对家门口步行15分钟范围内养老服务、菜场商铺、绿地和运动场所、步行和骑行道路的意见建议。',
    topics: ['养老服务设施', '绿地和运动场所', '菜场和商铺', '步行和骑行道路'],
    leadDepartment: 'planning',
    jointDepartments: ['civil-affairs', 'yangpu-gov', 'xuhui-gov'],
    districts: ['yangpu', 'xuhui'],
    categories: ['planning', 'elderly_care', 'transport'],
    opensAt: now.toISOString(),
    closesAt: new Date(now.getTime() + 14 * 24 * 3600_000).toISOString(),
  };
}

/** A neighbourhood's monthly problem list (每月汇), a round from the first working day of each month. */
export const demonstrationCollection: Omit<CreateCollection, 'id'> = {
  title: '五角场街道“每月汇”：本月民生问题清单',
  description: '每月第一个工作日，街道干部走访社区，收集居民本月反映的问题和建议，交有关部门办理。',
  topics: ['加装电梯和住房', '街面秩序', '社区便民服务'],
  leadDepartment: 'yangpu-wujiaochang',
  jointDepartments: ['yangpu-housing'],
  districts: ['yangpu'],
  categories: ['housing', 'city_appearance', 'other'],
  roundWorkingDays: 5,
};

/**
 * On a fresh database, `npm start` shows proactive collection at work: a thematic campaign open
 * for two weeks, a monthly collection whose Schedule is on the Temporal UI's Schedules page, and
 * the yearly selection of outstanding suggestions. A demonstration never stops the start: each
 * that fails (a monthly collection without the coming months' calendar, say) is logged as
 * skipped, with why, and the others go ahead.
 */
export async function seedDemonstrationCampaigns(opts: {
  databaseUrl: string;
  /** The Temporal frontend's address, with mTLS when configured (temporal-client/connection.ts). */
  temporal: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  /** The worker's key ring, so these workflows' payloads are encrypted like every other. */
  encryptionKeys: string;
  encryptionKeyId?: string;
  log: (m: string) => void;
}): Promise<void> {
  const db = connectDatabase(opts.databaseUrl, 2);
  const connection = await Connection.connect(opts.temporal);
  const clientOptions = suggestionClientOptions(KeyRing.parse(opts.encryptionKeys, opts.encryptionKeyId));
  const deps = { db, temporal: new Client({ connection, namespace: opts.namespace, ...clientOptions }), taskQueue: opts.taskQueue };
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
      opts.log(`${what}: ready`);
    } catch (err) {
      opts.log(`${what}: skipped, because ${err instanceof Error ? err.message : String(err)}; the stack starts without it`);
    }
  };
  try {
    await attempt("the yearly selection's Schedule", () => ensureAwardSchedule(deps.temporal, deps.taskQueue));
    if ((await db.campaign.count()) > 0 || (await db.recurringCollection.count()) > 0) return;
    const now = new Date();
    await attempt('the demonstration campaign "life-circle-15min"', () => launchCampaign(deps, demonstrationCampaign(now)));
    await attempt('the monthly collection "wujiaochang-monthly"', () => launchCollection(deps, 'wujiaochang-monthly', demonstrationCollection, now));
  } finally {
    await connection.close();
    await db.$disconnect();
  }
}
