import { Jieba, TfIdf } from '@node-rs/jieba';
import { dict, idf as idfTable } from '@node-rs/jieba/dict';
import { profileFromWords, type SimilarityProfile } from '../domain/similarity-profile';
import { domainWords } from '../domain/similarity-vocabulary';
import type { Category, District } from '../domain/vocabulary';

// Chinese text into the words and places similarity compares (domain/similarity-profile.ts), with
// jieba (@node-rs/jieba, a native module: never imported by workflows). The dictionary and the
// IDF table load once, on first use, in about 0.3 s, and hold some 60 MB outside the JS heap.

let jieba: Jieba | undefined;
let tfIdf: TfIdf | undefined;
/** IDFs already asked for: a suggestion's words are mostly words seen before. */
const known = new Map<string, number>();
const knownLimit = 50_000;
/** jieba's own value for a word its table lacks: the table's median, a rare word. */
const unknownIdf = 11.95;

function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(domainWords.map((w) => `${w} 50000 n`).join('\n')));
  }
  return jieba;
}

/** A word's inverse document frequency in jieba's corpus; unknown words count as rare. */
export function inverseFrequency(word: string): number {
  const cached = known.get(word);
  if (cached !== undefined) return cached;
  tfIdf ??= TfIdf.withDict(idfTable);
  // The table is only reachable through keyword extraction: a word alone is its own only keyword.
  const [keyword] = tfIdf.extractKeywords(segmenter(), word, 1);
  const value = keyword?.keyword === word ? keyword.weight : unknownIdf;
  if (known.size >= knownLimit) known.clear();
  known.set(word, value);
  return value;
}

export interface SuggestionText {
  title: string;
  content: string;
  district: District;
  category: Category;
}

/** A suggestion's words and places, as suggestion_terms keeps them and similarity compares them. */
export function profileOf(s: SuggestionText): SimilarityProfile {
  const j = segmenter();
  return profileFromWords(
    {
      titleWords: j.cutForSearch(s.title, true),
      contentWords: j.cutForSearch(s.content, true),
      taggedTitle: j.tag(s.title, true),
      taggedContent: j.tag(s.content, true),
      district: s.district,
      category: s.category,
    },
    inverseFrequency,
  );
}

export type { SimilarityProfile } from '../domain/similarity-profile';
