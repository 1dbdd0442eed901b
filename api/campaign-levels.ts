import { holds } from '../domain/jurisdiction';
import type { Prisma } from '../prisma/client';
import type { ApiContext } from './context';
import { outsideJurisdiction, staffScope } from './jurisdiction-scope';
import type { StaffIdentity } from './staff-identity';

// Campaigns (主动征集) belong to the level whose office made them (属地), as routing rules and time
// settings do: a district's office runs campaigns about its district, sees the city's and its own,
// and changes its own; the city's office runs and changes every one. A street's office runs none.

/** The campaigns a staff member sees: the city-wide ones and those about their district (all for the city). */
export function campaignsVisibleTo(ctx: ApiContext, staff: StaffIdentity): Prisma.CampaignWhereInput {
  const scope = staffScope(staff, ctx.profile!.current);
  if (!scope) return {};
  return { OR: [{ districts: { isEmpty: true } }, { districts: { has: scope.district! } }] };
}

/** The districts and owner of a campaign an office creates: a district's office makes its district's only. */
export function campaignLevel(ctx: ApiContext, staff: StaffIdentity, districts: string[]): { districts: string[]; jurisdiction: string } {
  const scope = staffScope(staff, ctx.profile!.current);
  if (!scope) return { districts, jurisdiction: 'city' };
  if (scope.level !== 'district') throw outsideJurisdiction(`${scope.code} runs no campaigns: its district's office does`);
  const beyond = districts.filter((d) => d !== scope.district);
  if (beyond.length) throw outsideJurisdiction(`a campaign about ${beyond.join(', ')} is not within ${scope.code}`);
  return { districts: [scope.district!], jurisdiction: scope.code };
}

/** Refuses a change to a campaign another level made (403): only its office and those above change it. */
export function requireCampaignHeld(ctx: ApiContext, staff: StaffIdentity, campaign: { id: string; jurisdiction: string }): void {
  const scope = staffScope(staff, ctx.profile!.current);
  if (scope && !holds(scope, campaign.jurisdiction, ctx.profile!.current)) {
    throw outsideJurisdiction(`campaign ${campaign.id} belongs to ${campaign.jurisdiction}; its office changes it`);
  }
}

/** Recurring collections (常态化征集) run on the city's schedules: only the city's office starts and changes them. */
export function requireCityOffice(ctx: ApiContext, staff: StaffIdentity): void {
  const scope = staffScope(staff, ctx.profile!.current);
  if (scope) throw outsideJurisdiction(`recurring collections are the city office's; ${scope.code} runs campaigns of its own`);
}
