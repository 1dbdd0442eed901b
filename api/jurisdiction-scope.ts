import { covers, holds, jurisdictionOf, type Jurisdiction } from '../domain/jurisdiction';
import type { CityProfile } from '../domain/profile';
import type { Database, Prisma } from '../prisma/client';
import type { ApiContext } from './context';
import { Problem } from './problem';
import type { StaffIdentity } from './staff-identity';

// Object-level checks by jurisdiction (属地), one place for every list, read and action: an office,
// a supervisor or intake staff of a district or a street sees and acts on the suggestions its
// jurisdiction covers (domain/jurisdiction.ts); a city one and administrators see all; a
// department sees its own by department (suggestion-client.ts visibleTo).

/** What is beyond the staff member's level (属地): 403 `outside-jurisdiction`, saying what and why. */
export function outsideJurisdiction(detail: string): Problem {
  return new Problem(403, 'outside-jurisdiction', 'Outside your jurisdiction', detail);
}

/** The roles whose reach is their jurisdiction. */
const levelledRoles = new Set(['office', 'supervisor', 'intake']);

/** The staff member's jurisdiction, when it limits them; undefined for one who sees the whole city. */
export function staffScope(staff: StaffIdentity, profile: CityProfile): Jurisdiction | undefined {
  if (!levelledRoles.has(staff.role)) return undefined;
  const code = staff.jurisdiction ?? 'city';
  if (code === 'city') return undefined;
  // A key or token naming a level the profile no longer has sees nothing rather than everything.
  return jurisdictionOf(code, profile) ?? { code, level: 'street' };
}

/** The read-model condition of what a staff member's jurisdiction covers (an empty one for the city). */
export function jurisdictionWhere(staff: StaffIdentity, profile: CityProfile): Prisma.SuggestionWhereInput {
  const scope = staffScope(staff, profile);
  if (!scope) return {};
  if (scope.level === 'street') return { jurisdiction: scope.code };
  const streets = profile.streets.filter((s) => s.district === scope.district).map((s) => s.code);
  return { OR: [{ district: scope.district }, { jurisdiction: { in: [scope.code, ...streets] } }] };
}

/**
 * What a staff member may do with a suggestion: `see` it (list, read), or `act` on it (route,
 * supervise, merge, hand over, read or erase its proposer's details), which only the level holding
 * it and those above may.
 */
export type Reach = 'see' | 'act';

/** Whether the staff member's jurisdiction reaches the suggestion for `reach`. */
export function inJurisdiction(
  staff: StaffIdentity,
  suggestion: { district: string; jurisdiction?: string },
  profile: CityProfile,
  reach: Reach = 'see',
): boolean {
  const scope = staffScope(staff, profile);
  if (!scope) return true;
  const holder = suggestion.jurisdiction ?? suggestion.district;
  return reach === 'act' ? holds(scope, holder, profile) : covers(scope, { district: suggestion.district, holder }, profile);
}

/**
 * Refuses a suggestion outside the staff member's reach: one they may not even see as not found
 * (404, like a department's view of another's suggestion: no one learns what exists elsewhere), one
 * they see but no longer hold (handed up) as forbidden. A suggestion not in the read model yet is
 * refused too: its office acts once it is registered.
 */
export async function requireInJurisdiction(
  ctx: ApiContext,
  staff: StaffIdentity,
  id: string,
  reach: Reach = 'act',
  db: Database = ctx.db,
): Promise<{ district: string; jurisdiction: string } | undefined> {
  const profile = ctx.profile!.current;
  if (!staffScope(staff, profile)) return undefined;
  const row = await db.suggestion.findUnique({ where: { id }, select: { district: true, jurisdiction: true } });
  if (!row || !inJurisdiction(staff, row, profile, 'see'))
    throw new Problem(404, 'not-found', 'Not found', `suggestion ${id} does not exist in your jurisdiction`);
  if (reach === 'act' && !inJurisdiction(staff, row, profile, 'act')) {
    throw outsideJurisdiction(`suggestion ${id} is held by ${row.jurisdiction}; its office acts on it`);
  }
  return row;
}

/** Of these suggestions, the ids the staff member's jurisdiction lets them see (all of them for the city). */
export async function visibleIds(ctx: ApiContext, staff: StaffIdentity, ids: string[]): Promise<Set<string>> {
  const profile = ctx.profile!.current;
  if (!staffScope(staff, profile) || ids.length === 0) return new Set(ids);
  const rows = await ctx.db.suggestion.findMany({ where: { AND: [{ id: { in: ids } }, jurisdictionWhere(staff, profile)] }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/**
 * The district whose figures a staff member may see (hotspots and the like): theirs for a district
 * office or supervisor (another is refused), any for the city's; a street's collection point has none.
 */
export function districtFiguresFor(staff: StaffIdentity, profile: CityProfile, asked?: string): string | undefined {
  const scope = staffScope(staff, profile);
  if (!scope) return asked;
  if (scope.level !== 'district' || (asked !== undefined && asked !== scope.district)) {
    throw outsideJurisdiction(`figures of ${asked ?? 'the whole city'} are not within ${scope.code}`);
  }
  return scope.district;
}
