import { keyRingFromConfig, resealDataKey, type KeyRing } from '../codec';
import { readConfig } from '../domain/config';
import { connectDatabase, type Database } from '../prisma/client';

// After a key rotation: seals every proposer's data key with the current key, so the old key is
// no longer needed for PostgreSQL (the details themselves are sealed with the data keys and stay
// as they are; workflow histories keep their payload key until retention ends).
//   ENCRYPTION_KEYS="new=…,old=…" npx tsx scripts/reseal-proposers.ts

/**
 * Re-seals in batches; a key erased or changed meanwhile is left to its newer state. Keys sealed
 * with a key the ring no longer has are counted, not fatal: the operator learns they are lost.
 */
export async function resealProposers(db: Database, keys: KeyRing, batchSize = 500): Promise<{ resealed: number; current: number; unreadable: number }> {
  const counts = { resealed: 0, current: 0, unreadable: 0 };
  let after: string | undefined;
  for (;;) {
    const rows = await db.proposerKey.findMany({
      where: after ? { id: { gt: after } } : {},
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, key: true },
    });
    if (rows.length === 0) return counts;
    for (const row of rows) {
      let resealed: string | undefined;
      try {
        resealed = resealDataKey(keys, row);
      } catch {
        counts.unreadable += 1;
        continue;
      }
      if (!resealed) {
        counts.current += 1;
        continue;
      }
      const { count } = await db.proposerKey.updateMany({ where: row, data: { key: resealed } });
      counts.resealed += count;
    }
    after = rows.at(-1)!.id;
  }
}

async function main() {
  const config = readConfig(process.env);
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const keys = keyRingFromConfig(config);
  const db = connectDatabase(config.DATABASE_URL, 2);
  try {
    const { resealed, current, unreadable } = await resealProposers(db, keys);
    console.log(`proposers' data keys sealed with "${keys.currentKeyId}": ${resealed} re-sealed, ${current} already were`);
    if (unreadable > 0) {
      console.error(`${unreadable} proposers' data keys are sealed with a key missing from ENCRYPTION_KEYS and were left as they are`);
      process.exitCode = 2;
    }
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
