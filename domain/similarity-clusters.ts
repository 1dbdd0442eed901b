import { lookupTerms, matterFactor, placeRelation, similarity, similarityGiven, type Comparable } from './similarity';

// Hotspots (热点): the groups of suggestions about one matter in a period, the candidates for the
// office's monthly priority problem. Two suggestions above the threshold are joined, and a group
// is everything joined to it (connected components): three wordings of one crossing's complaint
// end up together even if the first and the third share few words. A group stays at one place:
// two groups whose places differ are never joined, even through a suggestion that names none.

export interface Clusterable extends Comparable {
  id: string;
}

export interface ClusterOptions {
  threshold: number;
  /**
   * A word in more than this share of the suggestions (and more than `commonFloor` of them) is
   * not used to find candidates: in a burst every suggestion says 电梯, and comparing all of them
   * with all would cost n². The other heavy words still find the pairs.
   */
  commonShare?: number;
  commonFloor?: number;
  /** More candidates than this for one suggestion, and those sharing a single heavy word are left out. */
  crowd?: number;
}

/** The groups of suggestions joined by similarity, as lists of indices into `items` (singletons included). */
export function clusterBySimilarity(items: readonly Clusterable[], opts: ClusterOptions): number[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const keys = items.map((item) => lookupTerms(item));
  // The places each group names so far, kept at its root.
  const placesOf = items.map((item) => item.places);
  const postings = new Map<string, number[]>();
  keys.forEach((terms, i) => {
    for (const t of terms) {
      const list = postings.get(t);
      if (list) list.push(i);
      else postings.set(t, [i]);
    }
  });
  const common = Math.max(opts.commonFloor ?? 200, (opts.commonShare ?? 0.05) * items.length);
  const crowd = opts.crowd ?? 300;
  // How many heavy words each later suggestion shares with the one at hand, and which were counted.
  const shared = new Int32Array(items.length);
  const counted: number[] = [];
  for (let i = 0; i < items.length; i++) {
    // In a crowd of candidates, only those sharing two of the heavy words are scored: a pair
    // sharing one word of twelve is rarely above the threshold, and counting is cheaper than scoring.
    for (const t of keys[i]) {
      const list = postings.get(t)!;
      if (list.length > common) continue;
      for (const j of list) {
        if (j <= i) continue;
        if (shared[j] === 0) counted.push(j);
        shared[j] += 1;
      }
    }
    const needed = counted.length > crowd ? 2 : 1;
    for (const j of counted) {
      const n = shared[j];
      shared[j] = 0;
      if (n < needed) continue;
      // Already in one group: the pair adds nothing, and skipping it keeps a burst cheap.
      if (find(i) === find(j)) continue;
      // The words' cosine is at most 1: another place or district alone can rule a pair out.
      const matter = matterFactor(items[i], items[j]);
      if (matter.factor < opts.threshold) continue;
      if (similarityGiven(items[i], items[j], matter).score < opts.threshold) continue;
      const [ri, rj] = [find(i), find(j)];
      if (placeRelation(placesOf[ri], placesOf[rj]) === 'different') continue;
      parent[rj] = ri;
      placesOf[ri] = [...new Set([...placesOf[ri], ...placesOf[rj]])];
    }
    counted.length = 0;
  }
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  });
  return [...groups.values()];
}

/**
 * The member that stands for its group: the one most like the others (the largest sum of
 * similarities), among the first `sample` members so a group of thousands costs little.
 */
export function representativeOf(members: readonly Clusterable[], sample = 20): number {
  const considered = members.slice(0, sample);
  let best = 0;
  let bestSum = -1;
  considered.forEach((m, i) => {
    const sum = considered.reduce((total, other, j) => (i === j ? total : total + similarity(m, other).score), 0);
    if (sum > bestSum) {
      best = i;
      bestSum = sum;
    }
  });
  return best;
}

/** The value most often seen, ties to the first seen; undefined for none. */
export function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best;
}
