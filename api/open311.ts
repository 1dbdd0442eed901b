import type { Place } from '../domain/place';
import { cityWide, type CityProfile } from '../domain/profile';
import type { Database } from '../prisma/client';
import { hashApiKey } from './auth';
import type { StaffIdentity } from './staff-identity';

// Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over the suggestion chain: the
// profile's categories are the services, a suggestion taken through it is a service request whose
// service_request_id is its tracking number, both ways. Answers are JSON or XML as the spec gives
// them, errors the spec's list of {code, description}.

export type Format = 'json' | 'xml';

/** A spec error: the HTTP status is also the error's code. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

/** The Open311 attribute a request must give: which district it concerns (the city's for a city-wide matter). */
export const districtAttribute = 'district';

export function services(profile: CityProfile) {
  return profile.document.categories
    .filter((c) => !c.retired)
    .map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: `${c.name} (${c.nameEn})`,
      metadata: true,
      type: 'realtime',
      keywords: c.nameEn.toLowerCase(),
      group: profile.city.name,
    }));
}

/** A service's definition: one attribute, the district, whose values are the profile's. */
export function serviceDefinition(profile: CityProfile, code: string) {
  const category = profile.category(code);
  if (!category || category.retired) throw new Open311Error(404, `service_code ${code} is not a service of ${profile.city.nameEn}`);
  const districts = profile.codes('district', true);
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: districtAttribute,
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: 'the district it concerns; city for the whole city',
        order: 1,
        description: '所属区 District',
        values: districts.map((d) => ({
          key: d,
          name: d === cityWide ? profile.label('district', d, 'zh') : `${profile.label('district', d, 'zh')} ${profile.label('district', d, 'en')}`,
        })),
      },
    ],
  };
}

/**
 * The client's api_key is an intake key (the desk that takes in what an app or platform sends);
 * anything else is refused as the spec's 403.
 */
export async function clientOf(db: Database, apiKey: unknown): Promise<StaffIdentity> {
  if (typeof apiKey !== 'string' || apiKey.length === 0) throw new Open311Error(403, 'api_key is required');
  const row = await db.apiKey.findFirst({ where: { hash: hashApiKey(apiKey), revokedAt: null } });
  if (!row || row.role !== 'intake') throw new Open311Error(403, 'api_key is unknown, revoked or not an intake key');
  return { keyId: row.id, label: row.label, role: 'intake', jurisdiction: row.jurisdiction };
}

type Row = {
  id: string;
  category: string;
  status: string;
  content: string;
  reply: string | null;
  leadDepartment: string | null;
  receivedAt: Date;
  updatedAt: Date;
  dueAt: Date | null;
  closedAt: Date | null;
  /** The matter's place as the suggestion keeps it (coordinates in WGS-84, as GeoReport gives them). */
  place: unknown;
};

/** A suggestion as a service request: closed once the suggestion is, its reply as the status notes. */
export function serviceRequest(row: Row, profile: CityProfile, departments: Map<string, string>) {
  return {
    service_request_id: row.id,
    status: row.status === 'closed' ? 'closed' : 'open',
    status_notes: row.reply ?? `${row.status}`,
    service_name: profile.category(row.category)?.name ?? row.category,
    service_code: row.category,
    description: row.content,
    agency_responsible: row.leadDepartment ? (departments.get(row.leadDepartment) ?? row.leadDepartment) : null,
    service_notice: null,
    requested_datetime: row.receivedAt.toISOString(),
    updated_datetime: row.updatedAt.toISOString(),
    expected_datetime: row.closedAt ? null : (row.dueAt?.toISOString() ?? null),
    address: (row.place as Place | null)?.address ?? null,
    lat: (row.place as Place | null)?.coordinates?.lat ?? null,
    long: (row.place as Place | null)?.coordinates?.lng ?? null,
    media_url: null,
  };
}

/** The spec's XML: a root element holding one `item` element per list entry, or, without `item`, the object's fields. */
export function toXml(root: string, value: unknown, item?: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const element = (name: string, v: unknown): string => {
    if (v === null || v === undefined) return `<${name}/>`;
    if (Array.isArray(v)) return `<${name}>${v.map((x) => element(singular(name), x)).join('')}</${name}>`;
    if (typeof v === 'object')
      return `<${name}>${Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => element(k, x))
        .join('')}</${name}>`;
    return `<${name}>${escape(String(v))}</${name}>`;
  };
  const inner = item
    ? (Array.isArray(value) ? value : [value]).map((x) => element(item, x)).join('')
    : element(root, value).slice(root.length + 2, -(root.length + 3));
  return `<?xml version="1.0" encoding="utf-8"?><${root}>${inner}</${root}>`;
}

const singular = (name: string) => (name === 'attributes' ? 'attribute' : name === 'values' ? 'value' : name.replace(/s$/, ''));
