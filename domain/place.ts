import gcoord from 'gcoord';
import { z } from 'zod';
import type { CityProfile } from './profile';
import { newStreetCode, profileInScope } from './profile-codes';
import type { District } from './vocabulary';

// Where the matter is (事发地点): an address, the street or town (街镇) inside the district, and a
// point on the map. It is the matter's place, not the proposer's (their own address is sealed with
// their details, codec/proposer-details.ts), and the public board shows it when they consent.
//
// Coordinates are stored in WGS-84, the datum of GPS and of every international tool (PostGIS,
// GeoJSON). Maps published in China (高德, 腾讯, the city's own) draw in GCJ-02, so a point picked
// on one arrives in GCJ-02: it is converted at the edge, here, with `gcoord`, and shown to such a
// map converted back. Nothing inside the service mixes the two.

export const datums = ['gcj02', 'wgs84'] as const;
export type Datum = (typeof datums)[number];

export const coordinatesSchema = z
  .object({
    lat: z
      .number()
      .min(-90)
      .max(90)
      .describe('latitude in degrees')
      .meta({ examples: [31.3021] }),
    lng: z
      .number()
      .min(-180)
      .max(180)
      .describe('longitude in degrees')
      .meta({ examples: [121.5117] }),
    datum: z.enum(datums).default('gcj02').describe('the datum of lat and lng: gcj02 (maps published in China, the default) or wgs84 (GPS)'),
  })
  .strict()
  .describe('A point on the map; stored in WGS-84')
  .superRefine((c, ctx) => {
    // The city's extent, from the profile in scope (a profile without one, or none in scope, takes any point).
    const city = profileInScope()?.city;
    if (city?.bounds && !within(toWgs84(c), city.bounds))
      ctx.addIssue({ code: 'custom', message: `the point is not in ${city.nameEn} (check the datum and that lat and lng are not swapped)` });
  });

export const placeSchema = z
  .object({
    address: z
      .string()
      .trim()
      .min(2)
      .max(300)
      .optional()
      .describe("where the matter is: a road, a crossing, a building (not the proposer's own address)")
      .meta({ examples: ['国定路政通路口公交站'] }),
    street: newStreetCode
      .optional()
      .describe('the street or town (街镇) by its statistics code; it must lie in the district (GET /v1/streets)')
      .meta({ examples: ['310110019'] }),
    coordinates: coordinatesSchema.optional(),
  })
  .strict()
  .describe('Where the matter is: address, street or town, point on the map. Public on the board when the proposer consents');

export type PlaceInput = z.output<typeof placeSchema>;

/** The place as a suggestion carries it: coordinates in WGS-84, the street by code. */
export interface Place {
  address?: string;
  street?: string;
  coordinates?: { lat: number; lng: number };
}

/** The place as views show it: the street's name, and the point in both datums. */
export interface PlaceView {
  address?: string;
  street?: { code: string; name: string };
  coordinates?: { wgs84: { lat: number; lng: number }; gcj02: { lat: number; lng: number } };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function toWgs84(c: { lat: number; lng: number; datum?: Datum }): { lat: number; lng: number } {
  if (c.datum === 'wgs84') return { lat: c.lat, lng: c.lng };
  const [lng, lat] = gcoord.transform([c.lng, c.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return { lat: round(lat), lng: round(lng) };
}

export function toGcj02(c: { lat: number; lng: number }): { lat: number; lng: number } {
  const [lng, lat] = gcoord.transform([c.lng, c.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return { lat: round(lat), lng: round(lng) };
}

function within(c: { lat: number; lng: number }, b: { minLat: number; maxLat: number; minLng: number; maxLng: number }): boolean {
  return c.lat >= b.minLat && c.lat <= b.maxLat && c.lng >= b.minLng && c.lng <= b.maxLng;
}

/** What is wrong with the place given the suggestion's district, or null: the street must lie in it (the profile in scope says where each lies). */
export function placeProblem(place: PlaceInput | undefined, district: District): { path: string[]; message: string } | null {
  if (!place?.street) return null;
  const street = profileInScope()?.street(place.street);
  if (street && street.district !== district) return { path: ['place', 'street'], message: `street ${place.street} is not in ${district}` };
  return null;
}

/** The place as the suggestion keeps it; undefined when none was given. */
export function storedPlace(place: PlaceInput | undefined): Place | undefined {
  if (!place || (!place.address && !place.street && !place.coordinates)) return undefined;
  return {
    ...(place.address ? { address: place.address } : {}),
    ...(place.street ? { street: place.street } : {}),
    ...(place.coordinates ? { coordinates: toWgs84(place.coordinates) } : {}),
  };
}

/** The place as views show it, the street named as the city's profile names it (by its code without one). */
export function placeView(place: Place | undefined | null, profile: Pick<CityProfile, 'street'> | undefined): PlaceView | undefined {
  if (!place) return undefined;
  const street = place.street ? profile?.street(place.street) : undefined;
  return {
    ...(place.address ? { address: place.address } : {}),
    ...(place.street ? { street: { code: place.street, name: street?.name ?? place.street } } : {}),
    ...(place.coordinates ? { coordinates: { wgs84: place.coordinates, gcj02: toGcj02(place.coordinates) } } : {}),
  };
}

export const placeViewSchema = z
  .object({
    address: z.string().optional().describe('where the matter is'),
    street: z.object({ code: z.string(), name: z.string() }).optional().describe('the street or town (街镇)'),
    coordinates: z
      .object({ wgs84: z.object({ lat: z.number(), lng: z.number() }), gcj02: z.object({ lat: z.number(), lng: z.number() }) })
      .optional()
      .describe('the point, stored in WGS-84, and in GCJ-02 for maps published in China'),
  })
  .describe('Where the matter is');
