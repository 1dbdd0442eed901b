import type { SimilarityProfile } from './similarity-profile';

// 多件同一事项: whether two suggestions ask for the same matter. The words decide how alike they
// read (a weighted cosine); the places, the district and the category decide whether it is the same
// matter: 加装候车亭 at the Guoding Road stop and the same words about the Handan Road stop are two
// matters, three wordings of one crossing's complaint are one. The weights and the threshold are
// measured on the labelled suggestions in test/fixtures/similarity/ (bench/similarity.ts,
// docs/BENCHMARKS.md).

/** The part of a profile similarity reads; suggestion_terms holds exactly this. */
export type Comparable = Pick<SimilarityProfile, 'terms' | 'weights' | 'places' | 'district' | 'category'>;

/** How two suggestions' places relate: a key in common, none in common though both name one, or not known. */
export type PlaceRelation = 'same' | 'different' | 'unknown';

/**
 * What each relation multiplies the words' likeness by. Different places are a different matter
 * even in the same words, so that factor is below the threshold: no wording passes it; the
 * same place helps a little (people name one crossing in different words), and one suggestion
 * naming no place leaves the question to the words and the district.
 */
export const placeFactor: Record<PlaceRelation, number> = { same: 1.2, different: 0.15, unknown: 0.85 };
/** Two districts are two matters unless one of the suggestions is about the whole city. */
export const districtFactor = { same: 1, city: 0.9, different: 0.35 };
/** The category is the intake's classification and sometimes a guess: another one counts against, not out. */
export const categoryFactor = { same: 1, different: 0.75 };

/** The default threshold above which two suggestions count as the same matter (measured: docs/BENCHMARKS.md). */
export const defaultSimilarityThreshold = 0.2;
/** The default threshold of a hotspot's pairs (domain/similarity-clusters.ts), stricter: a group chains pairs. */
export const defaultHotspotThreshold = 0.25;

export interface Similarity {
  score: number;
  /** The words' cosine, 0 to 1, before the places, district and category weigh in. */
  text: number;
  place: PlaceRelation;
}

/** How likely two suggestions ask for the same matter, 0 to 1. */
export function similarity(a: Comparable, b: Comparable): Similarity {
  return similarityGiven(a, b, matterFactor(a, b));
}

/** similarity() when the places, district and category have been weighed already. */
export function similarityGiven(a: Comparable, b: Comparable, matter: { factor: number; place: PlaceRelation }): Similarity {
  const text = cosine(a, b);
  const score = Math.min(1, text * matter.factor);
  return { score: Math.round(score * 1000) / 1000, text, place: matter.place };
}

/** What the places, the districts and the categories multiply the words' likeness by. */
export function matterFactor(
  a: Pick<Comparable, 'places' | 'district' | 'category'>,
  b: Pick<Comparable, 'places' | 'district' | 'category'>,
): { factor: number; place: PlaceRelation } {
  const place = placeRelation(a.places, b.places);
  const district =
    a.district === b.district ? districtFactor.same : a.district === 'city' || b.district === 'city' ? districtFactor.city : districtFactor.different;
  const category = a.category === b.category ? categoryFactor.same : categoryFactor.different;
  return { factor: placeFactor[place] * district * category, place };
}

/**
 * Whether two suggestions are plausibly one matter: for merging them (the office merges duplicates
 * into one), a check that they are not obviously two. A lower bar than the threshold, since a
 * person has looked at both.
 */
export function plausiblySameMatter(a: Comparable, b: Comparable, threshold = defaultSimilarityThreshold): boolean {
  const s = similarity(a, b);
  return s.place !== 'different' && s.score >= threshold / 2;
}

/** Cosine of the two weight vectors: 1 for the same words, 0 for none in common. */
export function cosine(a: Pick<Comparable, 'terms' | 'weights'>, b: Pick<Comparable, 'terms' | 'weights'>): number {
  const [small, large] = a.terms.length <= b.terms.length ? [a, b] : [b, a];
  const { weightOf, norm: largeNorm } = vectorOf(large);
  let dot = 0;
  for (let i = 0; i < small.terms.length; i++) {
    const w = weightOf.get(small.terms[i]);
    if (w !== undefined) dot += w * small.weights[i];
  }
  if (dot === 0) return 0;
  return dot / (vectorOf(small).norm * largeNorm);
}

/** A profile's words as a map and its norm, kept while its terms are: a hotspot compares each suggestion many times. */
const vectors = new WeakMap<readonly string[], { weightOf: Map<string, number>; norm: number }>();
function vectorOf(p: Pick<Comparable, 'terms' | 'weights'>) {
  let v = vectors.get(p.terms);
  if (!v) {
    v = { weightOf: new Map(p.terms.map((t, i) => [t, p.weights[i]])), norm: Math.sqrt(p.weights.reduce((sum, w) => sum + w * w, 0)) };
    vectors.set(p.terms, v);
  }
  return v;
}

/** A suggestion's place keys sorted by kind, worked out once per keys array: a hotspot compares each suggestion many times. */
interface PlaceKinds {
  /** Lane and house numbers: 国定路100弄. */
  lanes: string[];
  /** Roads, neighbourhoods and stations. */
  named: string[];
  /** The named places that are roads. */
  roads: string[];
}
const placeKinds = new WeakMap<readonly string[], PlaceKinds>();
function kindsOf(keys: string[]): PlaceKinds {
  let kinds = placeKinds.get(keys);
  if (!kinds) {
    const named = keys.filter((k) => !/\d/.test(k));
    kinds = { lanes: keys.filter((k) => /\d/.test(k)), named, roads: named.filter((k) => k.endsWith('路')) };
    placeKinds.set(keys, kinds);
  }
  return kinds;
}

/** 张江 and 张江高科 (the station): a name inside another is the same place. */
function placesMeet(x: string, y: string): boolean {
  return x === y || (x.length >= 2 && y.length >= 2 && (x.includes(y) || y.includes(x)));
}

/** Every key of `inner` is in `outer`. */
function holdsAll(outer: string[], inner: string[]): boolean {
  return inner.every((k) => outer.includes(k));
}

/**
 * Lane and house numbers first: 国定路100弄 and 国定路500弄 are two buildings on one road. Then
 * crossings: two suggestions that each name two roads or more, neither set holding the other, are
 * about two crossings (国定路政立路 and 邯郸路政立路 share 政立路 only). Then the roads,
 * neighbourhoods and stations: one key in common is the same place.
 */
export function placeRelation(a: string[], b: string[]): PlaceRelation {
  const [ka, kb] = [kindsOf(a), kindsOf(b)];
  if (ka.lanes.length > 0 && kb.lanes.length > 0 && !ka.lanes.some((k) => kb.lanes.includes(k))) return 'different';
  if (ka.named.length === 0 || kb.named.length === 0) return 'unknown';
  if (!ka.named.some((x) => kb.named.some((y) => placesMeet(x, y)))) return 'different';
  if (ka.roads.length >= 2 && kb.roads.length >= 2 && !holdsAll(ka.roads, kb.roads) && !holdsAll(kb.roads, ka.roads)) return 'different';
  return 'same';
}

/** The words to look a suggestion's candidates up by: its heaviest, which a similar one must share some of. */
export function lookupTerms(p: Pick<Comparable, 'terms' | 'weights'>, count = 12): string[] {
  return p.terms
    .map((t, i) => [t, p.weights[i]] as const)
    .sort((x, y) => y[1] - x[1])
    .slice(0, count)
    .map(([t]) => t);
}
