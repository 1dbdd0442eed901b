import type { JurisdictionLevel } from './handling';
import { cityWide, type CityProfile } from './profile';

// 属地: the chain's levels. A city collection office, one in each district, collection points in the
// streets and towns. A jurisdiction is written as a code: `city`, a district's code (`yangpu`) or a
// street's nine digits (`310110019`), as the profile names them. A suggestion is held by one level
// (its district's, or the city's for a city-wide one, until an office hands it up or down), and
// an office sees and acts on what lies in its jurisdiction.

export interface Jurisdiction {
  code: string;
  level: JurisdictionLevel;
  /** The district of a district or street jurisdiction. */
  district?: string;
}

/** The jurisdiction a code names in this profile; undefined for a code the profile does not know. */
export function jurisdictionOf(code: string, profile: CityProfile): Jurisdiction | undefined {
  if (code === cityWide) return { code, level: 'city' };
  if (profile.district(code)) return { code, level: 'district', district: code };
  const street = profile.street(code);
  return street ? { code, level: 'street', district: street.district } : undefined;
}

/** The level above (a street's district, a district's city); undefined above the city. */
export function parentOf(j: Jurisdiction): string | undefined {
  if (j.level === 'street') return j.district;
  if (j.level === 'district') return cityWide;
  return undefined;
}

/** Whether the level `inner` lies within `outer`: the city holds everything, a district its streets. */
export function within(inner: Jurisdiction, outer: Jurisdiction): boolean {
  if (outer.level === 'city') return true;
  if (outer.level === 'district') return inner.district === outer.district;
  return inner.code === outer.code;
}

/**
 * Whether an office or supervisor of `staff` may see and act on a suggestion about `district`
 * held by `holder`: the city's see all; a district's those about the district and those held
 * within it (handed down from the city, or to one of its streets); a street's those handed to it.
 */
export function covers(staff: Jurisdiction, suggestion: { district: string; holder: string }, profile: CityProfile): boolean {
  if (staff.level === 'city') return true;
  if (staff.level === 'district' && suggestion.district === staff.district) return true;
  const held = jurisdictionOf(suggestion.holder, profile);
  return held !== undefined && within(held, staff);
}

/**
 * Whether an office or supervisor of `staff` may act on a suggestion held by `holder`: the level
 * that holds it and those above. A district office still sees one of its district's it handed up to
 * the city, but routes and supervises it no longer.
 */
export function holds(staff: Jurisdiction, holder: string, profile: CityProfile): boolean {
  if (staff.level === 'city') return true;
  const held = jurisdictionOf(holder, profile);
  return held !== undefined && within(held, staff);
}

/** The hand-over from `from` to `to`, when it is one level up or down; undefined otherwise. */
export function handoverBetween(from: Jurisdiction, to: Jurisdiction): { direction: 'up' | 'down'; toLevel: JurisdictionLevel } | undefined {
  if (parentOf(from) === to.code) return { direction: 'up', toLevel: to.level };
  if (parentOf(to) === from.code) return { direction: 'down', toLevel: to.level };
  return undefined;
}
