import { z } from 'zod';
import { profileCodePattern, streetCodePattern, type CityProfile, type ProfileCodeKind } from './profile';

// The codes a request names — a category, a district, a street — are the city's, from its profile.
// The schemas that validate requests are module constants (one source of truth for validation,
// types and the OpenAPI document), so they cannot be built per city. Instead a code field is a
// string of the code's shape, marked in `profileCodes`, and checked against the profile *in scope*:
// the API parses every request inside `withProfile(profile, …)` with the profile it serves
// (api/validate.ts), and the OpenAPI document puts the profile's codes as the field's enum
// (api/openapi.ts reads the mark). Outside a scope (a command-line tool that lets the API judge)
// only the shape is checked.

let inScope: CityProfile | undefined;

/** Runs a synchronous parse with the profile the codes it meets are checked against. */
export function withProfile<T>(profile: CityProfile, parse: () => T): T {
  const outer = inScope;
  inScope = profile;
  try {
    return parse();
  } finally {
    inScope = outer;
  }
}

/** The profile requests are being checked against; undefined outside a scope (only shapes are checked). */
export function profileInScope(): CityProfile | undefined {
  return inScope;
}

/** Why the code may not be used under the profile in scope; null when it may, or when no profile is in scope. */
export function codeProblemInScope(kind: ProfileCodeKind, value: string, forNew = false): string | null {
  return inScope?.codeProblem(kind, value, forNew) ?? null;
}

/** Which code fields name what: `forNew` refuses retired codes (a new suggestion, a new rule). */
export const profileCodes = z.registry<{ kind: ProfileCodeKind; forNew: boolean }>();

/** A field that names a code of the profile. */
export function profileCode(kind: Exclude<ProfileCodeKind, 'channel'>, { forNew = false } = {}) {
  const schema = z
    .string()
    .regex(
      kind === 'street' ? streetCodePattern : profileCodePattern,
      kind === 'street' ? 'a street or town code: nine digits (GET /v1/profile)' : `a ${kind} code (GET /v1/profile)`,
    )
    .superRefine((value, ctx) => {
      const problem = codeProblemInScope(kind, value, forNew);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
  profileCodes.add(schema, { kind, forNew });
  return schema;
}

/** A category or district any suggestion may have had: filters, responses. */
export const categoryCode = profileCode('category');
export const districtCode = profileCode('district');
export const streetCode = profileCode('street');
/** A category or district a new suggestion (or a new rule) may take: retired codes are refused. */
export const newCategoryCode = profileCode('category', { forNew: true });
export const newDistrictCode = profileCode('district', { forNew: true });
export const newStreetCode = profileCode('street', { forNew: true });
