import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashApiKey } from '../api/auth';
import type { StaffRole } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

interface DevKey {
  /** The name the README's examples look the key up by (`dev-office`, `dev-transport`, …). */
  id: string;
  /** The key's id in `api_keys` when it is not `id`: a replacement for a revoked key (`dev-office-2`). */
  keyId?: string;
  key: string;
  role: StaffRole;
  departmentCode?: string;
}

const wanted: Omit<DevKey, 'key'>[] = [
  { id: 'dev-intake', role: 'intake' },
  { id: 'dev-office', role: 'office' },
  { id: 'dev-supervisor', role: 'supervisor' },
  { id: 'dev-admin', role: 'admin' },
  { id: 'dev-transport', role: 'department', departmentCode: 'transport' },
  { id: 'dev-greenery', role: 'department', departmentCode: 'greenery' },
  { id: 'dev-housing', role: 'department', departmentCode: 'housing' },
  { id: 'dev-yangpu-housing', role: 'department', departmentCode: 'yangpu-housing' },
];

const newKey = () => `dev_${randomBytes(18).toString('base64url')}`;

/**
 * Development API keys for one machine, kept in the data folder (readable only by its owner) so
 * they survive restarts, and registered hashed in the database like any other key. A key that was
 * revoked stays revoked: its role and department get a new key under a new id (printed through
 * `log`, and kept in the file under the same name, so the README's look-ups find it).
 */
export async function ensureDevKeys(db: Database, dataDir: string, log: (line: string) => void = () => undefined): Promise<DevKey[]> {
  const file = join(dataDir, 'dev-api-keys.json');
  const keys: DevKey[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : wanted.map((k) => ({ ...k, key: newKey() }));
  for (const [i, k] of keys.entries()) {
    const keyId = k.keyId ?? k.id;
    const row = await db.apiKey.findUnique({ where: { id: keyId }, select: { hash: true, revokedAt: true } });
    if (!row) {
      await db.apiKey.create({ data: { id: keyId, hash: hashApiKey(k.key), label: `${keyId} (development)`, role: k.role, departmentCode: k.departmentCode } });
    } else if (row.revokedAt) {
      const fresh: DevKey = { ...k, keyId: await unusedId(db, k.id), key: newKey() };
      await db.apiKey.create({
        data: { id: fresh.keyId!, hash: hashApiKey(fresh.key), label: `${fresh.keyId} (development)`, role: k.role, departmentCode: k.departmentCode },
      });
      keys[i] = fresh;
      log(
        `development key ${keyId} was revoked on ${row.revokedAt.toISOString()}: it stays revoked; ${k.role}${k.departmentCode ? ` (${k.departmentCode})` : ''} now uses the new key ${fresh.keyId}: ${fresh.key}`,
      );
    } else if (row.hash !== hashApiKey(k.key)) {
      // The file is what the developer holds: the key in it works.
      await db.apiKey.update({ where: { id: keyId }, data: { hash: hashApiKey(k.key) } });
    }
  }
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** `dev-office-2`, `dev-office-3`, …: the first id no key (revoked or not) has. */
async function unusedId(db: Database, name: string): Promise<string> {
  for (let n = 2; ; n++) {
    const id = `${name}-${n}`;
    if ((await db.apiKey.count({ where: { id } })) === 0) return id;
  }
}
