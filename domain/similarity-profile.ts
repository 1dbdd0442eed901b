import type { Category, District } from './vocabulary';
import {
  areaSuffixes,
  districtNames,
  facilitySuffixes,
  genericPlaceWords,
  laneSuffixes,
  placeTrailers,
  roadSuffixes,
  stopwords,
  synonymGroups,
} from './similarity-vocabulary';

// What a suggestion is about, as similarity compares it (domain/similarity.ts): its weighted words
// and the places it names, from the segmenter's words (segmenter/ runs jieba; this file only reads
// the words it gives, so it is pure and tested with words written by hand).

/** A suggestion's words and places, kept in suggestion_terms when it is registered. */
export interface SimilarityProfile {
  /** Distinct words, synonyms folded to one (similarity-vocabulary.ts), places' names left out. */
  terms: string[];
  /** Each word's weight, in the order of `terms`: its IDF, half as much again in the title. */
  weights: number[];
  /**
   * The places named, as keys: the name without its kind (国定路 → 国定, 五角场街道 → 五角场); a
   * lane or house number keeps its road (国定100弄). Two suggestions share a place when a key matches.
   */
  places: string[];
  /** The same places as written (国定路公交站, 五角场街道), for people to read. */
  placeNames: string[];
  district: District;
  category: Category;
}

/** A word as jieba tags it: n noun, ns place, nr person, nz other proper noun, v verb, m numeral, x unknown. */
export interface TaggedWord {
  word: string;
  tag: string;
}

/** A suggestion as the segmenter hands it over: the title's and the content's words, twice segmented. */
export interface SegmentedSuggestion {
  /** Search-mode words (jieba cut_for_search): long words and the words inside them (红绿灯, 红绿, 绿灯). */
  titleWords: string[];
  contentWords: string[];
  /** Tagged words (jieba tag), in order, for finding the places. */
  taggedTitle: TaggedWord[];
  taggedContent: TaggedWord[];
  district: District;
  category: Category;
}

/** How much rarer a word is than most (its IDF); a place's name must be rare enough to be a name. */
export type InverseFrequency = (word: string) => number;

const titleWeight = 1.5;
/** A name before 路口 or 小区 is a place only if it is this rare: 国定 is (11.1), 学校 or 服务 are not. */
const nameRarity = 7.5;
const properTags = new Set(['ns', 'nr', 'nrt', 'nrfg', 'nz', 'nt']);
const nounTags = new Set(['n', 'x', 'j', ...properTags]);
const cjk = /^[\u3400-\u9fff]+$/;
const allSuffixes = [...roadSuffixes, ...areaSuffixes, ...facilitySuffixes].sort((a, b) => b.length - a.length);
const roadSuffixSet = new Set(roadSuffixes);
const crossingWords = new Set(['路口', '交叉口', '十字路口']);
const kindsOfPlace = new Set([...roadSuffixes, ...areaSuffixes, ...facilitySuffixes, ...crossingWords]);
const kindsOfFacility = new Set([...placeTrailers].filter((w) => !areaSuffixes.includes(w)));
const canonical = new Map<string, string>(synonymGroups.flatMap((group) => group.map((w) => [w, group[0]] as const)));

export function profileFromWords(s: SegmentedSuggestion, idf: InverseFrequency): SimilarityProfile {
  const places = [...placesIn(s.taggedTitle, idf), ...placesIn(s.taggedContent, idf)];
  const keys = unique(places.map((p) => p.key));
  const names = unique(places.map((p) => p.name));
  // Joined, so a word jieba made across two names (路政 in 国定路政立路) is found inside them too.
  const spoken = names.join('');
  const weights = new Map<string, number>();
  const add = (words: string[], factor: number) => {
    for (const raw of words) {
      const word = termOf(raw, spoken);
      if (!word) continue;
      const weight = Math.round(idf(word) * factor * 100) / 100;
      if (weight > (weights.get(word) ?? 0)) weights.set(word, weight);
    }
  };
  add(s.titleWords, titleWeight);
  add(s.contentWords, 1);
  return { terms: [...weights.keys()], weights: [...weights.values()], places: keys, placeNames: names, district: s.district, category: s.category };
}

/** A word as it counts for similarity, or undefined for one that does not count. */
function termOf(raw: string, placeNames: string): string | undefined {
  const word = normalise(raw);
  const folded = canonical.get(word);
  if (folded) return folded;
  if (stopwords.has(word) || districtNames.has(word)) return undefined;
  if (cjk.test(word)) {
    if (word.length < 2) return undefined;
    // A place's own name is compared as a place, not as a word: 国定 in 国定路 must not make two
    // suggestions about different matters on that road look alike.
    // What names a kind of facility (公交站, 路口) is a word of the matter all the same.
    if (!kindsOfFacility.has(word) && placeNames.includes(word)) return undefined;
    return word;
  }
  // Latin words and codes (app names, line numbers such as 8号线 come as words); numbers alone say nothing.
  return /^[a-z][a-z0-9]+$/.test(word) ? word : undefined;
}

export interface Place {
  /** As written, with what follows it (国定路公交站). */
  name: string;
  /** 国定路 for a road (路, 街, 大道 alike, direction dropped: 中山北一路 → 中山路), 五角场 for anything else, 国定路600弄 for a lane. */
  key: string;
}

/**
 * The places a text names, found in its tagged words by how Shanghai's names end: roads (国定路,
 * 中山北一路), lanes (国定路100弄), neighbourhoods (岐山居民区, 鞍山新村), stations, parks and
 * schools. A name is two characters or more, and rare (a name, not a word: 学校路口 names no place).
 * jieba's own place tag (ns) is not trusted alone: it gives 上门 and 并联 as well as 岐山.
 */
export function placesIn(tagged: TaggedWord[], idf: InverseFrequency): Place[] {
  const words = repairRoadSplits(
    tagged.map((t) => ({ word: normalise(t.word), tag: t.tag })),
    idf,
  );
  const places: Place[] = [];
  let lastRoad: string | undefined;
  for (let i = 0; i < words.length;) {
    const w = words[i];
    if (!cjk.test(w.word) && !/^\d+$/.test(w.word)) {
      // Punctuation ends a clause: a lane number after it belongs to no road named before.
      lastRoad = undefined;
      i++;
      continue;
    }
    if (/^\d+$/.test(w.word) && laneSuffixes.includes(words[i + 1]?.word)) {
      if (lastRoad) places.push({ name: `${lastRoad}${w.word}${words[i + 1].word}`, key: `${lastRoad}${w.word}${words[i + 1].word}` });
      i += 2;
      continue;
    }
    let found: { stem: string; kind: string; next: number } | undefined;
    const suffix = namedPlaceSuffix(w, idf);
    if (suffix) found = { stem: w.word.slice(0, -suffix.length), kind: suffix, next: i + 1 };
    else if (isName(w, idf)) {
      let k = i + 1;
      let stem = w.word;
      // 张江 高科 地铁站: a name of several words.
      while (k < i + 3 && words[k] && !kindsOfPlace.has(words[k].word) && isName(words[k], idf) && !namedPlaceSuffix(words[k], idf)) stem += words[k++].word;
      // 中山 北 一路: a direction between the name and the kind of road.
      if (/^[东西南北中]$/.test(words[k]?.word ?? '') && roadSuffixSet.has(words[k + 1]?.word ?? '')) stem += words[k++].word;
      if (words[k] && isKindOfPlace(words[k].word)) found = { stem, kind: words[k].word, next: k + 1 };
    } else if (roadSuffixSet.has(words[i + 1]?.word ?? '') && isPlainName(w)) {
      // 淞南 路: jieba splits a road's kind off only after a name, whatever it tags the name.
      found = { stem: w.word, kind: words[i + 1].word, next: i + 2 };
    }
    if (!found) {
      i++;
      continue;
    }
    let name = found.stem + found.kind;
    let next = found.next;
    while (next < words.length && placeTrailers.has(words[next].word)) name += words[next++].word;
    const key = keyOf(found.stem, found.kind);
    places.push({ name, key });
    if (key.endsWith('路')) lastRoad = key;
    i = next;
  }
  return places;
}

/** A place's key from its name and its kind: roads as 国定路 whatever their kind of road and direction, the rest by name. */
export function keyOf(stem: string, kind: string): string {
  const isRoad = roadSuffixSet.has(kind) || crossingWords.has(kind);
  if (!isRoad) return stem;
  // 中山北一路 and 中山北路, 宛平南路: one road's stretches meet (a person says 中山路 for all of them).
  const road = stem.replace(/[东西南北中]?[一二三四五六七八九]?$/, '');
  return `${road.length >= 2 ? road : stem}路`;
}

/** A word that is a whole place name with its kind (邯郸路, 政立路, 江湾镇, 复旦大学): the kind, or undefined. */
function namedPlaceSuffix(w: TaggedWord, idf: InverseFrequency): string | undefined {
  if (!cjk.test(w.word) || genericPlaceWords.has(w.word) || canonical.has(w.word)) return undefined;
  const suffix = allSuffixes.find((s) => w.word.endsWith(s));
  if (!suffix) return undefined;
  const stem = w.word.slice(0, -suffix.length);
  return stem.length >= 2 && isRareName(stem, w.tag, idf) ? suffix : undefined;
}

/** A word that can be the name part of a place before its kind (国定 路, 五角场 街道). */
function isName(w: TaggedWord, idf: InverseFrequency): boolean {
  return cjk.test(w.word) && w.word.length >= 2 && nounTags.has(w.tag) && isRareName(w.word, w.tag, idf);
}

/** Any word of two characters or more that is no common word of asking, district or kind of place. */
function isPlainName(w: TaggedWord): boolean {
  return (
    cjk.test(w.word) &&
    w.word.length >= 2 &&
    !stopwords.has(w.word) &&
    !districtNames.has(w.word) &&
    !genericPlaceWords.has(w.word) &&
    !canonical.has(w.word) &&
    !w.tag.startsWith('v')
  );
}

function isRareName(stem: string, tag: string, idf: InverseFrequency): boolean {
  if (stopwords.has(stem) || districtNames.has(stem) || genericPlaceWords.has(stem) || canonical.has(stem)) return false;
  return properTags.has(tag) || idf(stem) >= nameRarity;
}

/** A word naming a kind of place, which a name before it makes a place: 路, 西路, 街道, 居民区, 公交站, 路口. */
function isKindOfPlace(word: string): boolean {
  return kindsOfPlace.has(word);
}

/**
 * jieba reads 国定路政立路 as 国定/路政/立路 (路政 is road administration), and 宛平南路学校 as
 * 宛平南/路学/校. A word that starts with 路 or 街 after a name is split when its rest with the next
 * word ends like a road (two roads: 国定路, 政立路), or when jieba made the word up (tag x).
 */
function repairRoadSplits(words: TaggedWord[], idf: InverseFrequency): TaggedWord[] {
  const out = [...words];
  for (let i = 1; i + 1 < out.length; i++) {
    const w = out[i].word;
    if (w.length < 2 || !/^[路街]/.test(w) || kindsOfPlace.has(w) || placeTrailers.has(w) || !isName(out[i - 1], idf)) continue;
    const joined = w.slice(1) + out[i + 1].word;
    // 国定/路政/立/路口: the second road's name ends where a crossing begins.
    const beforeCrossing = crossingWords.has(out[i + 2]?.word ?? '') && joined.length >= 2;
    const twoRoads =
      beforeCrossing || (!genericPlaceWords.has(out[i + 1].word) && roadSuffixes.some((s) => joined.endsWith(s) && joined.length - s.length >= 2));
    if (!twoRoads && out[i].tag !== 'x') continue;
    out.splice(i, 2, { word: w[0], tag: 'n' }, { word: joined, tag: twoRoads ? 'ns' : 'n' });
  }
  return out;
}

/** Full-width letters and digits as ASCII, letters in lower case. */
function normalise(word: string): string {
  return word
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase()
    .trim();
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
