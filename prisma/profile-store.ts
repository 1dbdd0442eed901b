import { cityProfileSchema, CityProfile, type CityProfileDocument } from '../domain/profile';
import { Prisma, type Database } from './client';

// The city profile in PostgreSQL: one row, loaded from the profile file at setup (seed.ts), read
// by the API (api/profile-store.ts) and the worker's registration, changed by the administrator
// through the API with every change audited (profile_changes).

/** The profile the service runs with; null before setup has loaded one. */
export async function readProfile(db: Database): Promise<CityProfile | null> {
  const row = await db.cityProfileRecord.findUnique({ where: { id: 1 } });
  if (!row) return null;
  // Validated when it was written: parsed again only to apply the defaults of fields added since.
  return new CityProfile(cityProfileSchema.parse(row.document), row.version);
}

/** Loads a profile into an installation that has none; one that has kept its own (and the administrator's changes). */
export async function loadProfileOnce(db: Database, profile: CityProfile, loadedFrom: string): Promise<CityProfile> {
  await db.cityProfileRecord.createMany({
    data: [{ id: 1, city: profile.city.code, document: profile.document as unknown as Prisma.InputJsonValue, loadedFrom }],
    skipDuplicates: true,
  });
  return (await readProfile(db))!;
}

export interface ProfileEdit {
  /** What changes, e.g. categories/transport. */
  path: string;
  before: unknown;
  after: unknown;
  document: CityProfileDocument;
}

export interface ChangedBy {
  label: string;
  keyId: string;
  role: string;
}

export class InvalidProfileChange extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

/**
 * Changes the profile: `edit` makes the new document from the current one (or answers null: no
 * change). The whole new document is validated, then written with its audit entry and, for the
 * departments, the departments table, in one transaction that holds the row, so two changes made
 * at once both land, in order.
 */
export async function changeProfile(db: Database, edit: (current: CityProfile) => ProfileEdit | null, by: ChangedBy) {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ document: unknown; version: number }[]>`SELECT document, version FROM city_profile WHERE id = 1 FOR UPDATE`;
    if (!row) throw new Error('no city profile is loaded: run the setup (prisma/prepare.ts) first');
    const current = new CityProfile(cityProfileSchema.parse(row.document), row.version);
    const change = edit(current);
    if (!change) return { profile: current, change: null };
    const parsed = cityProfileSchema.safeParse(change.document);
    if (!parsed.success) throw new InvalidProfileChange(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    const version = row.version + 1;
    await tx.cityProfileRecord.update({ where: { id: 1 }, data: { document: parsed.data as unknown as Prisma.InputJsonValue, version } });
    await syncDepartments(tx, parsed.data);
    const audit = await tx.profileChange.create({
      data: {
        path: change.path,
        before: jsonOrNull(change.before),
        after: jsonOrNull(change.after),
        changedBy: by.label,
        changedByKeyId: by.keyId,
        changedByRole: by.role,
      },
    });
    return { profile: new CityProfile(parsed.data, version), change: audit };
  });
}

/** The departments table (the codes rules, assignments and plans name) follows the profile's list; none is deleted. */
export async function syncDepartments(db: Pick<Database, 'department'>, doc: CityProfileDocument): Promise<void> {
  for (const d of doc.departments) {
    const fields = { name: d.name, nameEn: d.nameEn, level: d.level, district: d.district ?? null };
    await db.department.upsert({ where: { code: d.code }, update: fields, create: { code: d.code, ...fields } });
  }
}

function jsonOrNull(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined || value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}
