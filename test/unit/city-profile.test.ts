import { readFileSync } from 'node:fs';
import { submitSuggestionSchema } from '../../domain/intake';
import { parseProfile } from '../../domain/profile';
import { withProfile } from '../../domain/profile-codes';
import { parseProfileFile, ProfileFileError } from '../../domain/profile-file';
import { loadProfileFile, profilePath, shippedProfiles } from '../../profiles';

// City profiles (profiles/*.yaml): what each city ships, how a mistake in a file is reported, and
// how a request's codes are checked against the profile in scope.

test('Shanghai and Hangzhou ship as profiles; Shanghai has its 16 districts and 215 streets and towns', () => {
  expect(shippedProfiles()).toEqual(expect.arrayContaining(['hangzhou', 'shanghai']));
  const shanghai = loadProfileFile('shanghai').profile;
  expect(shanghai.document.districts).toHaveLength(16);
  expect(shanghai.streets).toHaveLength(215);
  expect(shanghai.streets.filter((s) => s.kind === 'subdistrict')).toHaveLength(107);
  expect(shanghai.street('310110019')).toMatchObject({ name: '五角场街道', district: 'yangpu', kind: 'subdistrict' });
  const hangzhou = loadProfileFile('hangzhou').profile;
  expect(hangzhou.city.code).toBe('hangzhou');
  expect(hangzhou.codes('district')).toEqual(expect.arrayContaining(['city', 'xihu', 'binjiang']));
  expect(hangzhou.codes('district')).not.toContain('yangpu');
  expect(hangzhou.codes('channel')).not.toContain('service_rating');
});

test('a mistake in a profile file is reported with its line and column and the field at fault', () => {
  const text = readFileSync(profilePath('shanghai'), 'utf8').replace(
    '  - { code: health, name: 卫生健康, nameEn: Health }',
    '  - { code: Health!, name: 卫生健康, nameEn: Health }',
  );
  const line = text.split('\n').findIndex((l) => l.includes('Health!')) + 1;
  try {
    parseProfileFile(text, 'shanghai.yaml');
    throw new Error('accepted');
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileFileError);
    const problems = (err as ProfileFileError).problems;
    expect(problems[0]).toEqual(expect.objectContaining({ line, column: 13, path: 'categories.4.code' }));
    // What else the mistake breaks is reported where it is: the rule naming the category.
    expect(problems[1]).toEqual(expect.objectContaining({ path: 'routingRules.6.category', message: 'no category health in this profile' }));
    expect((err as Error).message).toContain(`shanghai.yaml:${line}:`);
  }
  expect(() => parseProfileFile('city: [unclosed', 'broken.yaml')).toThrow(/broken\.yaml:1:/);
  const dangling = readFileSync(profilePath('shanghai'), 'utf8').replace('leadDepartment: data-bureau }', 'leadDepartment: no-such-bureau }');
  expect(() => parseProfileFile(dangling, 'x.yaml')).toThrow(/routingRules\.\d+: no department no-such-bureau/);
});

test('intake takes the codes of the profile in scope: another city’s district is refused, a retired category too, with what to use instead', () => {
  const shanghai = loadProfileFile('shanghai').profile;
  const hangzhou = loadProfileFile('hangzhou').profile;
  const body = { title: '西湖边增设公共饮水点', content: '断桥到白堤一带游客多，夏天找不到饮水点，建议增设。', category: 'tourism', district: 'xihu' };
  expect(withProfile(hangzhou, () => submitSuggestionSchema.safeParse(body)).success).toBe(true);
  const inShanghai = withProfile(shanghai, () => submitSuggestionSchema.safeParse(body));
  expect(inShanghai.success).toBe(false);
  expect(inShanghai.error!.issues.map((i) => i.path.join('.'))).toEqual(['category', 'district']);
  expect(inShanghai.error!.issues[1].message).toContain("not a district of Shanghai's profile");

  const retired = parseProfile({
    ...hangzhou.document,
    categories: hangzhou.document.categories.map((c) => (c.code === 'tourism' ? { ...c, retired: true } : c)),
  });
  const refused = withProfile(retired, () => submitSuggestionSchema.safeParse(body));
  expect(refused.error!.issues[0].message).toContain('retired');
  expect(retired.codes('category')).toContain('tourism');
  expect(retired.codes('category', true)).not.toContain('tourism');
  // A channel the city has not enabled: Hangzhou takes no 一网通办 ratings.
  const rating = { ...body, category: 'other', channel: 'service_rating', source: { serviceItem: '居住证办理', rating: 1 } };
  expect(withProfile(hangzhou, () => submitSuggestionSchema.safeParse(rating)).error!.issues[0].message).toContain(
    'does not take suggestions by service_rating',
  );
});
