import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectionActivities } from '../../activities/projection';
import { findSimilar, profileOfSuggestion, similarSuggestions, type SimilaritySettings } from '../../api/similarity';
import { sealProposer, type KeyRing } from '../../codec';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { trackingNumber } from '../../domain/tracking-number';
import type { Category, District } from '../../domain/vocabulary';
import { loadProfileFile } from '../../profiles';
import { Prisma, type Database } from '../../prisma/client';

// The labelled suggestions of test/fixtures/similarity/, registered through the real registration
// statement (activities/projection.ts), and the evaluation of the similarity lookup on them:
// bench/similarity.ts reports it, test/integration/similarity-quality.test.ts holds it to its figures.

export interface LabelledSuggestion {
  group: string;
  title: string;
  content: string;
  category: Category;
  district: District;
}

export function labelledSuggestions(): LabelledSuggestion[] {
  return JSON.parse(readFileSync(resolve(__dirname, '../../test/fixtures/similarity/suggestions.json'), 'utf8'));
}

export interface Registered<T> {
  id: string;
  item: T;
}

/** Registers each suggestion as the workflow's first registration does, received `ageDays` days before `now` (open). */
export async function registerAll<T extends Omit<LabelledSuggestion, 'group'>>(
  db: Database,
  keys: KeyRing,
  items: T[],
  received: (item: T, index: number) => Date = () => new Date(),
): Promise<Registered<T>[]> {
  const writer = projectionActivities(db);
  const registered: Registered<T>[] = [];
  // A few at a time, as the worker's registrations arrive.
  for (let i = 0; i < items.length; i += 8) {
    const batch = items.slice(i, i + 8).map(async (item, k) => {
      const receivedAt = received(item, i + k).toISOString();
      const id = trackingNumber(receivedAt.slice(0, 10), randomBytes(4));
      const { intake, view } = registrationOf(keys, id, receivedAt, item);
      await writer.writeRegistration(intake, view, [{ seq: 1, type: 'registered', actor: 'system', at: receivedAt }], []);
      return { id, item };
    });
    registered.push(...(await Promise.all(batch)));
  }
  return registered;
}

export function registrationOf(
  keys: KeyRing,
  id: string,
  receivedAt: string,
  item: Omit<LabelledSuggestion, 'group'>,
): { intake: SuggestionIntake; view: SuggestionView } {
  const { proposer } = sealProposer(keys, { replyChannel: 'online' });
  const intake: SuggestionIntake = {
    trackingNumber: id,
    title: item.title,
    content: item.content,
    category: item.category,
    district: item.district,
    channel: 'web',
    receivedAt,
    publishConsent: false,
    proposer,
  };
  const view: SuggestionView = {
    id,
    trackingNumber: id,
    status: 'received',
    title: item.title,
    content: item.content,
    category: item.category,
    district: item.district,
    channel: 'web',
    publishConsent: false,
    receivedAt,
    coDepartments: [],
    overdue: false,
    version: 1,
    timeline: [],
  };
  return { intake, view };
}

export interface Evaluation {
  queries: number;
  /** Pairs (query, labelled answer) answered; those of one group; every pair of one group there is to find. */
  answered: number;
  correct: number;
  relevant: number;
  precision: number;
  recall: number;
  /** Answers that were none of the labelled suggestions (the unlabelled rows beside them). */
  unlabelledAnswers: number;
  /** Milliseconds per lookup, the suggestion's profile read included. */
  lookupMs: number[];
}

/** Asks the lookup GET /v1/suggestions/{id}/similar uses for every labelled suggestion, and counts. */
export async function evaluate(db: Database, settings: SimilaritySettings, labelled: Registered<LabelledSuggestion>[]): Promise<Evaluation> {
  const groupOf = new Map(labelled.map((r) => [r.id, r.item.group]));
  let answered = 0;
  let correct = 0;
  let unlabelledAnswers = 0;
  const lookupMs: number[] = [];
  for (const r of labelled) {
    const started = performance.now();
    const profile = await profileOfSuggestion(db, r.id);
    const items = await similarSuggestions(db, settings, r.id, profile!);
    lookupMs.push(performance.now() - started);
    const labelledItems = items.filter((i) => groupOf.has(i.id));
    unlabelledAnswers += items.length - labelledItems.length;
    answered += labelledItems.length;
    correct += labelledItems.filter((i) => groupOf.get(i.id) === r.item.group).length;
  }
  const relevant = relevantPairs(labelled);
  return {
    queries: labelled.length,
    answered,
    correct,
    relevant,
    precision: answered ? correct / answered : 1,
    recall: relevant ? correct / relevant : 1,
    unlabelledAnswers,
    lookupMs,
  };
}

/**
 * Every labelled pair's score, from the same candidates the lookup scores (threshold 0): the
 * precision and recall at any threshold follow without asking the database again.
 */
export async function scoredPairs(
  db: Database,
  settings: SimilaritySettings,
  labelled: Registered<LabelledSuggestion>[],
): Promise<{ score: number; same: boolean }[]> {
  const groupOf = new Map(labelled.map((r) => [r.id, r.item.group]));
  const pairs: { score: number; same: boolean }[] = [];
  for (const r of labelled) {
    const profile = await profileOfSuggestion(db, r.id);
    const matches = await findSimilar(db, { ...settings, threshold: 1e-9 }, profile!, Prisma.sql`t.suggestion_id <> ${r.id}`);
    for (const m of matches) if (groupOf.has(m.row.id)) pairs.push({ score: m.similarity.score, same: groupOf.get(m.row.id) === r.item.group });
  }
  return pairs;
}

/** Precision and recall at a threshold from scored (query, answer) pairs and the number of pairs to find. */
export function atThreshold(pairs: { score: number; same: boolean }[], relevant: number, threshold: number) {
  const answered = pairs.filter((p) => p.score >= threshold);
  const correct = answered.filter((p) => p.same).length;
  return { threshold, precision: answered.length ? correct / answered.length : 1, recall: correct / relevant };
}

export function relevantPairs(labelled: { item: LabelledSuggestion }[]): number {
  const sizes = new Map<string, number>();
  for (const r of labelled) sizes.set(r.item.group, (sizes.get(r.item.group) ?? 0) + 1);
  return [...sizes.values()].reduce((sum, n) => sum + n * (n - 1), 0);
}

/** Shanghai roads and neighbourhoods none of the labelled suggestions names, for the hard negatives at volume. */
const otherPlaces = [
  '长阳',
  '营口',
  '隆昌',
  '平凉',
  '许昌',
  '宁国',
  '眉州',
  '江浦',
  '辽源',
  '周家嘴',
  '杨树浦',
  '民星',
  '包头',
  '军工',
  '殷行',
  '开鲁',
  '嫩江',
  '市光',
  '国和',
  '翔殷',
  '政通',
  '政民',
  '国权',
  '锦嘉',
  '三门',
  '水电',
  '广粤',
  '天宝',
  '玉田',
  '密云',
  '中原',
  '延安',
  '淮海',
  '复兴',
  '建国',
  '肇嘉浜',
  '宜山',
  '天山',
  '古北',
  '遵义',
  '娄山关',
  '武宁',
  '曹杨',
  '真北',
  '金沙江',
  '桃浦',
  '广中',
  '大华',
  '场中',
  '呼玛',
  '汶水',
  '临汾',
  '灵石',
  '共康',
  '泗塘',
  '淞南',
  '高境',
  '殷高',
  '逸仙',
  '牡丹江',
  '友谊西',
  '罗店',
  '月浦',
  '杨行',
  '大场',
  '祁连山',
  '新村',
  '交通',
  '光复',
];

/**
 * Hard negatives at volume: labelled suggestions that name a place, with that place changed to one
 * no labelled suggestion names (and a district drawn at random): the same request at another
 * place, which must never be answered for the original. A lookup's answers among them are wrong.
 */
export function fillerSuggestions(
  labelled: LabelledSuggestion[],
  count: number,
  placesOf: (s: LabelledSuggestion) => string[],
  seed = 1,
): Omit<LabelledSuggestion, 'group'>[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const text = labelled.map((s) => s.title + s.content).join('');
  const unused = otherPlaces.filter((p) => !text.includes(p));
  const templates = labelled
    .map((s) => ({
      s,
      stems: placesOf(s)
        .filter((k) => !/\d/.test(k))
        .map((k) => (k.endsWith('路') ? k.slice(0, -1) : k)),
    }))
    .filter((t) => t.stems.length > 0);
  return Array.from({ length: count }, () => {
    const { s, stems } = pick(templates);
    const swap = (x: string) => stems.reduce((out, stem) => out.replaceAll(stem, pick(unused)), x);
    return {
      title: swap(s.title),
      content: swap(s.content),
      category: s.category,
      district:
        random() < 0.5
          ? s.district
          : pick(
              loadProfileFile('shanghai')
                .profile.codes('district')
                .filter((d) => d !== 'city'),
            ),
    };
  });
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
