import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashApiKey } from '../api/auth';
import type { StaffRole } from '../domain/vocabulary';
import type { Database } from '../prisma/client';

interface DevKey {
  id: string;
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

/**
 * Development API keys for one machine, kept in the data folder (readable only by its owner) so
 * they survive restarts, and registered hashed in the database like any other key.
 */
export async function ensureDevKeys(db: Database, dataDir: string): Promise<DevKey[]> {
  const file = join(dataDir, 'dev-api-keys.json');
  const keys: DevKey[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : wanted.map((k) => ({ ...k, key: `dev_${randomBytes(18).toString('base64url')}` }));
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  for (const k of keys) {
    await db.apiKey.upsert({
      where: { id: k.id },
      update: { hash: hashApiKey(k.key), revokedAt: null },
      create: { id: k.id, hash: hashApiKey(k.key), label: `${k.id} (development)`, role: k.role, departmentCode: k.departmentCode },
    });
  }
  return keys;
}
