import { clusterBySimilarity, mostCommon, representativeOf } from '../../domain/similarity-clusters';
import { keyOf, placesIn, profileFromWords, type TaggedWord } from '../../domain/similarity-profile';
import { cosine, placeRelation, plausiblySameMatter, similarity, type Comparable } from '../../domain/similarity';

// The scoring of similar suggestions, on words written by hand as jieba gives them (the segmenter
// itself is exercised by the integration tests and the benchmark).

const rare = () => 11;
const tagged = (text: string): TaggedWord[] =>
  text.split(' ').map((w) => {
    const [word, tag] = w.split(':');
    return { word, tag: tag ?? 'n' };
  });
const keys = (text: string) => placesIn(tagged(text), rare).map((p) => p.key);

const profile = (terms: Record<string, number>, places: string[] = [], more: Partial<Comparable> = {}): Comparable => ({
  terms: Object.keys(terms),
  weights: Object.values(terms),
  places,
  district: 'yangpu',
  category: 'transport',
  ...more,
});
const shelter = { 加装: 8, 候车亭: 12, 公交站: 10, 座椅: 9 };

describe('places are found by how Shanghai names end', () => {
  test('a road is named with its kind, and its direction and number belong to it', () => {
    expect(keys('国定 路 公交站 加装:v 候车亭')).toEqual(['国定路']);
    expect(keys('邯郸路:ns 站 没有:v 候车亭')).toEqual(['邯郸路']);
    expect(keys('中山:ns 北:ns 一路:m 共和:nz 新路:nz 交叉口')).toEqual(['中山路', '共和路']);
    expect(keyOf('宛平', '南路')).toBe('宛平路');
  });

  test('two roads jieba runs together are told apart (国定/路政/立路 is 国定路 and 政立路)', () => {
    expect(keys('国定 路政 立路:x 路口 红绿灯')).toEqual(['国定路', '政立路']);
    expect(keys('国定 路政 立 路口')).toEqual(['国定路', '政立路']);
  });

  test('neighbourhoods, stations and lanes', () => {
    expect(keys('五角场 街道 岐山:ns 居民区 老公房 加装:v 电梯')).toEqual(['五角场', '岐山']);
    expect(keys('国定 路 600:m 弄:v 加装:v 电梯')).toEqual(['国定路', '国定路600弄']);
    expect(keys('张江:ns 高科:nz 地铁站 出口')).toEqual(['张江高科']);
  });

  test("common words before a kind of place name none, nor does jieba's place tag alone", () => {
    const common = (w: string) => (['学校', '服务'].includes(w) ? 5 : 11);
    expect(placesIn(tagged('学校 路口 堵车:v'), common)).toEqual([]);
    expect(placesIn(tagged('服务站 人很多'), common)).toEqual([]);
    expect(keys('提供:v 送餐:x 上门:ns')).toEqual([]);
    expect(keys('杨浦:ns 区 公交站')).toEqual([]);
  });
});

describe('a profile', () => {
  test('folds synonyms, drops the words of asking, and leaves the place names to the places', () => {
    const p = profileFromWords(
      {
        titleWords: ['国定', '路', '红绿灯', '太短'],
        contentWords: ['建议', '延长', '国定', '路', '信号灯', '时间', '的'],
        taggedTitle: tagged('国定 路 红绿灯 太短'),
        taggedContent: tagged('建议 延长:v 国定 路 信号灯 时间 的:uj'),
        district: 'yangpu',
        category: 'transport',
      },
      rare,
    );
    expect(p.places).toEqual(['国定路']);
    expect(p.terms).toEqual(['信号灯', '太短', '延长', '时间']);
    // The title's words weigh half as much again.
    expect(p.weights).toEqual([16.5, 16.5, 11, 11]);
  });
});

describe('similarity', () => {
  test('the same words about another place are another matter', () => {
    const guoding = profile(shelter, ['国定路']);
    const handan = profile(shelter, ['邯郸路']);
    expect(cosine(guoding, handan)).toBeCloseTo(1);
    expect(similarity(guoding, handan).place).toBe('different');
    expect(similarity(guoding, handan).score).toBeLessThan(0.3);
    expect(similarity(guoding, profile(shelter, ['国定路'])).score).toBe(1);
  });

  test('one crossing in other words is one matter; another matter at the same place is not', () => {
    const a = profile({ 信号灯: 14, 太短: 15, 老人: 6, 过街: 10 }, ['国定路', '政立路']);
    const b = profile({ 信号灯: 14, 延长: 10, 行人: 8, 过街: 10, 时长: 9 }, ['政立路', '国定路']);
    const parking = profile({ 违停: 12, 人行道: 9, 执法: 9 }, ['国定路']);
    expect(similarity(a, b).score).toBeGreaterThan(0.4);
    expect(similarity(a, parking).score).toBe(0);
  });

  test('two crossings sharing one road are two places', () => {
    expect(placeRelation(['国定路', '政立路'], ['邯郸路', '政立路'])).toBe('different');
    expect(placeRelation(['国定路', '政立路'], ['政立路'])).toBe('same');
    expect(placeRelation(['国定路', '政立路', '邯郸路'], ['国定路', '政立路'])).toBe('same');
  });

  test('lanes on one road are different buildings; a name inside another is one place', () => {
    expect(placeRelation(['国定路', '国定路600弄'], ['国定路', '国定路1000弄'])).toBe('different');
    expect(placeRelation(['国定路', '国定路600弄'], ['国定路'])).toBe('same');
    expect(placeRelation(['张江'], ['张江高科'])).toBe('same');
    expect(placeRelation([], ['张江'])).toBe('unknown');
  });

  test('another district weighs heavily against, another category less', () => {
    const here = profile(shelter);
    expect(similarity(here, profile(shelter, [], { district: 'xuhui' })).score).toBeLessThan(0.4);
    expect(similarity(here, profile(shelter, [], { district: 'city' })).score).toBeGreaterThan(0.7);
    expect(similarity(here, profile(shelter, [], { category: 'city_appearance' })).score).toBeGreaterThan(0.6);
  });

  test('plausibly the same matter for a merge: never at two places', () => {
    expect(plausiblySameMatter(profile(shelter, ['国定路']), profile(shelter, ['邯郸路']))).toBe(false);
    expect(plausiblySameMatter(profile(shelter, ['国定路']), profile({ ...shelter, 躲雨: 11 }, ['国定路']))).toBe(true);
    expect(plausiblySameMatter(profile(shelter), profile({ 违停: 12 }))).toBe(false);
  });
});

describe('hotspots', () => {
  const at = (id: string, terms: Record<string, number>, places: string[]) => ({ id, ...profile(terms, places) });

  test('suggestions join through their pairs, and never across two places', () => {
    const items = [
      at('a', { 信号灯: 14, 太短: 15, 过街: 10 }, ['国定路']),
      at('b', { 信号灯: 14, 过街: 10, 安全岛: 12 }, ['国定路']),
      at('c', { 安全岛: 12, 过街: 10, 延长: 9 }, []),
      at('d', { 信号灯: 14, 太短: 15, 过街: 10 }, ['邯郸路']),
      at('e', { 违停: 12, 执法: 9 }, ['国定路']),
    ];
    const groups = clusterBySimilarity(items, { threshold: 0.25 }).map((g) => g.map((i) => items[i].id).sort());
    expect(groups).toEqual(expect.arrayContaining([['a', 'b', 'c'], ['d'], ['e']]));
  });

  test('a group is represented by the member most like the others, and its most common place', () => {
    const members = [at('x', { 信号灯: 14, 安全岛: 12 }, []), at('y', { 信号灯: 14, 太短: 15, 过街: 10 }, []), at('z', { 太短: 15, 过街: 10 }, [])];
    expect(members[representativeOf(members)].id).toBe('y');
    expect(mostCommon(['国定路', '政立路', '国定路'])).toBe('国定路');
    expect(mostCommon([])).toBeUndefined();
  });
});
