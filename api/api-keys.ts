import { randomBytes, randomUUID } from 'node:crypto';
import { jurisdictionOf } from '../domain/jurisdiction';
import type { CityProfile } from '../domain/profile';
import type { StaffRole } from '../domain/vocabulary';
import type { Database } from '../prisma/client';
import { hashApiKey } from './auth';
import { Problem } from './problem';

// Issuing and revoking staff API keys, shared by the admin endpoint and the command-line tool.

export interface IssuedKey {
  id: string;
  /** Shown once: only its hash is stored. */
  key: string;
  label: string;
  role: StaffRole;
  departmentCode: string | null;
  jurisdiction: string;
  createdAt: string;
}

export interface KeySummary {
  id: string;
  label: string;
  role: StaffRole;
  departmentCode: string | null;
  jurisdiction: string;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * Issues a key. An office, supervisor or intake key works in a jurisdiction (the city unless told:
 * a district's code or a street's), which `profile` checks when given.
 */
export async function issueApiKey(
  db: Database,
  request: { label: string; role: StaffRole; departmentCode?: string; jurisdiction?: string },
  profile?: CityProfile,
): Promise<IssuedKey> {
  const jurisdiction = request.jurisdiction ?? 'city';
  if (jurisdiction !== 'city') {
    if (!['office', 'supervisor', 'intake'].includes(request.role)) {
      throw new Problem(
        422,
        'jurisdiction-not-allowed',
        'Jurisdiction not allowed',
        `only office, supervisor and intake keys work in a district or a street, not ${request.role} keys`,
      );
    }
    if (profile && !jurisdictionOf(jurisdiction, profile))
      throw new Problem(422, 'unknown-jurisdiction', 'Unknown jurisdiction', `${jurisdiction} is neither a district nor a street of the city profile`);
  }
  if (request.role === 'department') {
    if (!request.departmentCode) throw new Problem(422, 'department-required', 'Department required', 'a department key names its department');
    if ((await db.department.count({ where: { code: request.departmentCode } })) === 0) {
      throw new Problem(404, 'unknown-department', 'Unknown department', `department ${request.departmentCode} does not exist`);
    }
  } else if (request.departmentCode) {
    throw new Problem(422, 'department-not-allowed', 'Department not allowed', `only department keys are scoped to a department, not ${request.role} keys`);
  }
  const key = `sc_${randomBytes(24).toString('base64url')}`;
  const row = await db.apiKey.create({
    data: { id: randomUUID(), hash: hashApiKey(key), label: request.label, role: request.role, departmentCode: request.departmentCode ?? null, jurisdiction },
  });
  return { key, ...summary(row) };
}

/** Revoking twice is harmless; the first revocation time stays. */
export async function revokeApiKey(db: Database, id: string): Promise<KeySummary | undefined> {
  const row = await db.apiKey.findUnique({ where: { id } });
  if (!row) return undefined;
  if (row.revokedAt) return summary(row);
  return summary(await db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } }));
}

export async function listApiKeys(db: Database, includeRevoked: boolean): Promise<KeySummary[]> {
  const rows = await db.apiKey.findMany({ where: includeRevoked ? {} : { revokedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return rows.map(summary);
}

function summary(row: {
  id: string;
  label: string;
  role: string;
  departmentCode: string | null;
  jurisdiction: string;
  createdAt: Date;
  revokedAt: Date | null;
}): KeySummary {
  return {
    id: row.id,
    label: row.label,
    role: row.role as StaffRole,
    departmentCode: row.departmentCode,
    jurisdiction: row.jurisdiction,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
