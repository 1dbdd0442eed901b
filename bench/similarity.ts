import { parseArgs } from 'node:util';
import { defaultSimilaritySettings, hotspots, profileOfSuggestion, type SimilaritySettings } from '../api/similarity';
import { KeyRing } from '../codec';
import { defaultSimilarityThreshold, matterFactor, type Comparable } from '../domain/similarity';
import { clusterBySimilarity } from '../domain/similarity-clusters';
import { connectDatabase, type Database } from '../prisma/client';
import { profileOf } from '../segmenter';
import { loadAverage, loadNote, machine, report, runWhenMain, table } from './support/report';
import { startBenchServers } from './support/servers';
import {
  atThreshold,
  evaluate,
  fillerSuggestions,
  labelledSuggestions,
  percentile,
  registerAll,
  registrationOf,
  relevantPairs,
  scoredPairs,
  type LabelledSuggestion,
  type Registered,
} from './support/similarity-corpus';

// Similar suggestions, measured: the labelled suggestions of test/fixtures/similarity/ are
// registered through the registration statement into an embedded PostgreSQL, and each is looked
// up as GET /v1/suggestions/{id}/similar looks it up. Precision and recall over (suggestion,
// answer) pairs, for the service's word index (GIN over the segmented words) and for pg_trgm's
// trigram similarity on the raw text, at every threshold; then thousands of unlabelled rows are
// added to time the lookup, registration's extra work and a month's hotspots.
// Goal: precision ≥ 0.9 and recall ≥ 0.8 at the default threshold.

const GOAL = { precision: 0.9, recall: 0.8 };
const thresholds = Array.from({ length: 16 }, (_, i) => Math.round((0.1 + i * 0.02) * 100) / 100);
/** Trigram similarity of two Chinese texts runs lower than the words' cosine: its own scale. */
const trigramThresholds = Array.from({ length: 16 }, (_, i) => Math.round((0.02 + i * 0.02) * 100) / 100);

export interface SimilarityBench {
  markdown: string;
  precision: number;
  recall: number;
}

export async function benchSimilarity(opts: { filler: number; log: (m: string) => void }): Promise<SimilarityBench> {
  const loadAtStart = loadAverage();
  const servers = await startBenchServers(opts.log, { devServer: false });
  const db = connectDatabase(servers.databaseUrl, 4);
  try {
    const keys = KeyRing.parse(servers.encryptionKeys);
    const now = Date.now();
    const items = labelledSuggestions();
    // Received over the last eight weeks, so a month's hotspots hold about half of them.
    const labelled = await registerAll(db, keys, items, (_, i) => new Date(now - ((i * 7919) % 56) * 86_400_000 - 3600_000));
    const relevant = relevantPairs(labelled);
    opts.log(`registered ${labelled.length} labelled suggestions in ${new Set(items.map((i) => i.group)).size} groups (${relevant} pairs to find)`);

    const settings: SimilaritySettings = { ...defaultSimilaritySettings };
    const words = await scoredPairs(db, settings, labelled);
    const trigrams = await trigramPairs(db, labelled);
    const sweep = (pairs: { score: number; same: boolean }[], at = thresholds) => at.map((t) => atThreshold(pairs, relevant, t));
    const wordSweep = sweep(words);
    const trigramSweep = sweep(trigrams.pairs, trigramThresholds);
    const f1 = (r: { precision: number; recall: number }) => (2 * r.precision * r.recall) / (r.precision + r.recall || 1);
    const best = (rows: ReturnType<typeof sweep>) => rows.reduce((a, b) => (f1(b) > f1(a) ? b : a));
    const labelledOnly = await evaluate(db, settings, labelled);
    const clusterings = [settings.threshold, settings.hotspotThreshold].map((t) => ({ threshold: t, ...clusterQuality(labelled, t) }));
    opts.log(`words at ${settings.threshold}: precision ${labelledOnly.precision.toFixed(3)}, recall ${labelledOnly.recall.toFixed(3)}`);

    // Volume: unlabelled rows registered one at a time, timing the segmentation and the statement.
    const filler = fillerSuggestions(items, opts.filler, (s) => profileOf(s).places);
    const segmentMs: number[] = [];
    for (const f of filler.slice(0, 1000)) {
      const started = performance.now();
      profileOf(f);
      segmentMs.push(performance.now() - started);
    }
    const registerMs: number[] = [];
    const termsInsertMs: number[] = [];
    const writer = (await import('../activities/projection')).projectionActivities(db);
    const fillerIds: string[] = [];
    for (const [i, f] of filler.entries()) {
      const receivedAt = new Date(now - (i % 56) * 86_400_000 - 7200_000).toISOString();
      const id = `JY-${receivedAt.slice(0, 10).replaceAll('-', '')}-F${String(i).padStart(5, '0')}`;
      const { intake, view } = registrationOf(keys, id, receivedAt, f);
      const started = performance.now();
      await writer.writeRegistration(intake, view, [{ seq: 1, type: 'registered', actor: 'system', at: receivedAt }], []);
      registerMs.push(performance.now() - started);
      fillerIds.push(id);
    }
    // The terms row alone, as registration writes it, on the table at full size: its share of the statement.
    for (const id of fillerIds.slice(0, 500)) {
      const [row] = await db.$queryRaw<
        { terms: string[]; weights: number[]; places: string[]; place_names: string[] }[]
      >`SELECT terms, weights, places, place_names FROM suggestion_terms WHERE suggestion_id = ${id}`;
      await db.$executeRaw`DELETE FROM suggestion_terms WHERE suggestion_id = ${id}`;
      const started = performance.now();
      await db.$executeRaw`INSERT INTO suggestion_terms (suggestion_id, terms, weights, places, place_names)
        SELECT suggestion_id, terms, weights, places, place_names FROM jsonb_populate_record(NULL::suggestion_terms, ${JSON.stringify({ suggestion_id: id, ...row })}::jsonb)`;
      termsInsertMs.push(performance.now() - started);
    }
    await db.$executeRaw`ANALYZE suggestion_terms`;
    await db.$executeRaw`ANALYZE suggestions`;
    const rows = labelled.length + filler.length;
    const loaded = await evaluate(db, settings, labelled);
    const trigramLoaded = await trigramPairs(db, labelled);
    const monthAgo = new Date(now - 29 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
    const hotspotMs: number[] = [];
    let spots: Awaited<ReturnType<typeof hotspots>> | undefined;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      spots = await hotspots(db, settings, { from: monthAgo, to: today, minSize: 2, limit: 20 });
      hotspotMs.push(performance.now() - started);
    }
    const inMonth = await db.suggestion.count({ where: { receivedAt: { gte: new Date(`${monthAgo}T00:00:00+08:00`) } } });

    const pct = (x: number) => x.toFixed(3);
    const ms = (xs: number[]) => `${percentile(xs, 50).toFixed(2)} / ${percentile(xs, 99).toFixed(2)}`;
    const chosenWords = wordSweep.find((r) => r.threshold === defaultSimilarityThreshold) ?? atThreshold(words, relevant, defaultSimilarityThreshold);
    const bestWords = best(wordSweep);
    const bestTrigrams = best(trigramSweep);
    const met = labelledOnly.precision >= GOAL.precision && labelledOnly.recall >= GOAL.recall;
    const groups = new Set(items.map((i) => i.group));
    const markdown = [
      '## Similar suggestions: precision, recall and lookup time',
      '',
      `${labelled.length} labelled suggestions in ${groups.size} groups (test/fixtures/similarity/suggestions.json, ${[...groups].filter((g) => g.startsWith('single-')).length} of them alone in theirs), ` +
        `with hard negatives: the same request at another place (候车亭 at 国定路, 邯郸路 and 淞沪路 stops; 加装电梯 in 岐山, 鞍山新村, 国定路600弄 and 1000弄, 潍坊新村), ` +
        `the same place with another matter (国定路: shelter, crossing, parking, trees), another crossing on one road (国定路政立路, 邯郸路政立路), ` +
        `and the same category with another request. Registered through the registration statement (activities/projection.ts) into an embedded PostgreSQL; ` +
        `each looked up as \`GET /v1/suggestions/{id}/similar\` does (api/similarity.ts). A pair is (suggestion, answer); ${relevant} pairs share a group.`,
      '',
      '### The index: words (GIN over the segmented words) or trigrams (pg_trgm)',
      '',
      'Both weigh the places, district and category alike (domain/similarity.ts); only the likeness of the text and its index differ. ' +
        'Words: the heaviest 12 words find the candidates through the GIN index on `suggestion_terms.terms`, the 200 sharing the most weight are scored with an IDF-weighted cosine. ' +
        'Trigrams: `pg_trgm` on title and content, `%` through a GIN `gin_trgm_ops` index (similarity threshold 0.05), the 200 most similar scored with `similarity()`.',
      '',
      table(
        ['words: threshold', 'precision', 'recall', 'trigrams: threshold', 'precision', 'recall'],
        wordSweep.map((w, i) => [
          w.threshold === defaultSimilarityThreshold ? `**${w.threshold}** (default)` : w.threshold,
          pct(w.precision),
          pct(w.recall),
          trigramSweep[i].threshold,
          pct(trigramSweep[i].precision),
          pct(trigramSweep[i].recall),
        ]),
      ),
      '',
      table(
        ['', 'words', 'trigrams'],
        [
          ['best F1 (threshold)', `${f1(bestWords).toFixed(3)} (${bestWords.threshold})`, `${f1(bestTrigrams).toFixed(3)} (${bestTrigrams.threshold})`],
          [`lookup p50 / p99, ms, ${rows} rows`, ms(loaded.lookupMs), ms(trigramLoaded.lookupMs)],
        ],
      ),
      '',
      `Chosen: **${f1(bestWords) >= f1(bestTrigrams) ? 'words' : 'trigrams'}** (best F1 ${f1(bestWords).toFixed(3)} against ${f1(bestTrigrams).toFixed(3)}). ` +
        'Trigrams of Chinese text are short runs of characters: a rewording (红绿灯 / 信号灯, 候车亭 / 遮雨棚) shares few of them, and a long and a short text about one matter score low. ' +
        `Default threshold **${defaultSimilarityThreshold}** (\`SIMILARITY_THRESHOLD\`), near the words' best F1 and above it in precision.`,
      '',
      '### At the default threshold',
      '',
      table(
        ['', 'precision', 'recall', 'answers', 'answers from unlabelled rows'],
        [
          [`${labelled.length} labelled rows`, pct(labelledOnly.precision), pct(labelledOnly.recall), labelledOnly.answered, '–'],
          [
            `with ${filler.length} unlabelled rows beside them`,
            pct(loaded.precision),
            pct(loaded.recall),
            loaded.answered,
            `${loaded.unlabelledAnswers} (${(loaded.unlabelledAnswers / labelled.length).toFixed(2)} a lookup)`,
          ],
        ],
      ),
      '',
      `Goal precision ≥ ${GOAL.precision} and recall ≥ ${GOAL.recall}: **${met ? 'met' : 'not met'}** (from the sweep: ${pct(chosenWords.precision)} / ${pct(chosenWords.recall)}). ` +
        'The unlabelled rows are hard negatives at volume: labelled suggestions naming a place, with the place changed to one no labelled suggestion names and the district drawn at random half the time, so each answer among them is wrong. ' +
        'Precision counting them as wrong answers: ' +
        pct(loaded.correct / (loaded.answered + loaded.unlabelledAnswers || 1)) +
        '.',
      '',
      '### Hotspots: groups of the labelled suggestions',
      '',
      'The labelled suggestions clustered as `GET /v1/hotspots` clusters a period (connected components of the pairs above the threshold, never joining two places): ' +
        'precision and recall over the pairs put in one group.',
      '',
      table(
        ['pair threshold', 'precision', 'recall', 'groups of two or more'],
        clusterings.map((c) => [
          c.threshold === settings.hotspotThreshold ? `**${c.threshold}** (hotspots' default)` : `${c.threshold} (the lookup's)`,
          pct(c.precision),
          pct(c.recall),
          c.groups,
        ]),
      ),
      '',
      '### What it costs',
      '',
      table(
        ['step', 'p50 / p99, ms'],
        [
          ['segmenting a suggestion (jieba, places, weights), in the worker at registration', ms(segmentMs)],
          [`registration statement with its terms row, ${rows} rows`, ms(registerMs)],
          ['of which the terms row and its GIN index entry, alone', ms(termsInsertMs)],
          [`similar lookup (the suggestion's terms read, candidates, scoring), ${rows} rows`, ms(loaded.lookupMs)],
          [`hotspots of 30 days (${inMonth} suggestions, and the 30 days before), ${spots?.items.length ?? 0} groups`, ms(hotspotMs)],
        ],
      ),
      '',
      'Intake itself does no similarity work: the API starts the workflow as before, and the worker segments the suggestion when it registers it. ' +
        'What that costs intake is measured by the intake benchmark with and without it (below, "Intake with and without the words").',
      '',
      `${machine()}. ${loadNote(loadAtStart)}`,
    ].join('\n');
    return { markdown, precision: labelledOnly.precision, recall: labelledOnly.recall };
  } finally {
    await db.$disconnect();
    await servers.stop();
  }
}

/** Pairs of labelled suggestions put in one group by the clustering hotspots use. */
function clusterQuality(labelled: Registered<LabelledSuggestion>[], threshold: number) {
  const items = labelled.map((r) => ({ id: r.id, ...profileOf(r.item) }));
  const groups = clusterBySimilarity(items, { threshold });
  let correct = 0;
  let joined = 0;
  for (const g of groups) {
    for (let x = 0; x < g.length; x++)
      for (let y = x + 1; y < g.length; y++) {
        joined++;
        if (labelled[g[x]].item.group === labelled[g[y]].item.group) correct++;
      }
  }
  const relevant = relevantPairs(labelled) / 2;
  return { precision: joined ? correct / joined : 1, recall: correct / relevant, groups: groups.filter((g) => g.length > 1).length };
}

/** The trigram alternative: pg_trgm's similarity of the raw text, with the same place, district and category factors. */
async function trigramPairs(db: Database, labelled: Registered<LabelledSuggestion>[]) {
  await db.$executeRawUnsafe('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await db.$executeRawUnsafe(`CREATE INDEX IF NOT EXISTS bench_suggestions_text_trgm ON suggestions USING gin ((title || ' ' || content) gin_trgm_ops)`);
  const groupOf = new Map(labelled.map((r) => [r.id, r.item.group]));
  const pairs: { score: number; same: boolean }[] = [];
  const lookupMs: number[] = [];
  for (const r of labelled) {
    const started = performance.now();
    const profile = (await profileOfSuggestion(db, r.id))!;
    const text = `${r.item.title} ${r.item.content}`;
    const rows = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL pg_trgm.similarity_threshold = 0.05');
      return tx.$queryRaw<{ id: string; sim: number; places: string[]; district: Comparable['district']; category: Comparable['category'] }[]>`
        SELECT s.id, similarity(s.title || ' ' || s.content, ${text}) AS sim, coalesce(t.places, '{}') AS places, s.district, s.category
        FROM suggestions s LEFT JOIN suggestion_terms t ON t.suggestion_id = s.id
        WHERE (s.title || ' ' || s.content) % ${text} AND s.id <> ${r.id}
        ORDER BY sim DESC LIMIT 200`;
    });
    lookupMs.push(performance.now() - started);
    for (const row of rows) {
      if (!groupOf.has(row.id)) continue;
      pairs.push({ score: Math.min(1, Number(row.sim) * matterFactor(profile, row).factor), same: groupOf.get(row.id) === r.item.group });
    }
  }
  return { pairs, lookupMs };
}

runWhenMain(module, async () => {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, filler: { type: 'string', default: '5000' } } });
  const result = await benchSimilarity({ filler: values.smoke ? 200 : Number(values.filler), log: (m) => process.stderr.write(`${m}\n`) });
  report('similarity', result.markdown, values.smoke!);
});
