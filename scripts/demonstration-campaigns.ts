import { Client, Connection } from '@temporalio/client';
import { ensureAwardSchedule } from '../temporal-client/schedules';
import { encryptedDataConverter, KeyRing } from '../codec';
import { launchCampaign, launchCollection } from '../api/proactive-collection';
import { connectDatabase } from '../prisma/client';
import type { TemporalConnectionOptions } from '../temporal-client/connection';

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
  const dataConverter = encryptedDataConverter(KeyRing.parse(opts.encryptionKeys, opts.encryptionKeyId));
  const deps = { db, temporal: new Client({ connection, namespace: opts.namespace, dataConverter }), taskQueue: opts.taskQueue };
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
    await attempt('the demonstration campaign "life-circle-15min"', () => launchCampaign(deps, {
      id: 'life-circle-15min',
      kind: 'campaign',
      title: '15-minute community life circle: what is missing within a walk of your home?',
      description: 'The planning bureau and the district governments ask which services, shops, green space and care facilities a 15-minute walk should reach.',
      topics: ['services for the elderly', 'green space and sport', 'shops and markets', 'walking and cycling routes'],
      leadDepartment: 'planning',
      jointDepartments: ['civil-affairs', 'yangpu-gov', 'xuhui-gov'],
      districts: ['yangpu', 'xuhui'],
      categories: ['planning', 'elderly_care', 'transport'],
      opensAt: now.toISOString(),
      closesAt: new Date(now.getTime() + 14 * 24 * 3600_000).toISOString(),
    }));
    await attempt('the monthly collection "wujiaochang-monthly"', () => launchCollection(
      deps,
      'wujiaochang-monthly',
      {
        title: 'Wujiaochang monthly problem list',
        description: "The neighbourhood's problems and ideas of the month, gathered when the officials visit on the first working day.",
        topics: ['housing and lifts', 'street order', 'neighbourhood services'],
        leadDepartment: 'yangpu-wujiaochang',
        jointDepartments: ['yangpu-housing'],
        districts: ['yangpu'],
        categories: ['housing', 'city_appearance', 'other'],
        roundWorkingDays: 5,
      },
      now,
    ));
  } finally {
    await connection.close();
    await db.$disconnect();
  }
}
