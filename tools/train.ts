/**
 * `npm run train [-- --ablation] [-- --hold-out]`: learns the re-ranker's weights and thresholds on the dev data
 * only (shared/data/dev, shared/data/pairs and the dense dev corpus) and writes
 * src/index/model.json.
 *
 * Rows are what the product actually has to tell apart:
 * - pages whose story the library holds (dense corpus articles as pages): every retrieved
 *   candidate, the same story's as positives and the same day's other stories as hard negatives;
 * - pages whose story the library lacks (dev articles of April-May re-dated into the corpus's
 *   days): every retrieved candidate is a negative;
 * - the labelled dev pairs, scored inside the dev library.
 * Thresholds are chosen on the pages as a reader meets them (see chooseThresholds).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { queryOf } from '../src/background/answer';
import { fitLogistic, predict, type Fit } from '../src/index/logistic';
import { rocAuc } from '../src/index/metrics';
import { labelsFor, MODEL, type Evidence, type Model } from '../src/index/model';
import { SIGNALS } from '../src/index/pair';
import { readArticlesFile, readPairsFile } from './articles-file';
import { benchPages, importLibrary, laterArticles, trainingPages, type JudgedPage, type ReaderLibrary } from './reader-eval';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '../shared/data/dev/articles.jsonl' },
    pairs: { type: 'string', default: '../shared/data/pairs/dev-pairs.jsonl' },
    corpus: { type: 'string', default: '../shared/data/corpus/uci-news-2014-03-10_27.jsonl.gz' },
    out: { type: 'string', default: 'src/index/model.json' },
    ablation: { type: 'boolean', default: false },
    'hold-out': { type: 'boolean', default: false },
  },
});
const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface Row {
  signals: number[];
  label: 0 | 1;
  shared: Evidence['shared'];
  topic: number;
  topicInText: boolean;
}
interface PageRows {
  orphan: boolean;
  story: string | undefined;
  rows: Row[];
}

function pageRows(lib: ReaderLibrary, pages: readonly JudgedPage[], storyOf: Map<string, string | undefined>, orphan: boolean): PageRows[] {
  return pages.map((p) => ({
    orphan,
    story: p.article.story,
    rows: lib.index.rank(queryOf(p.page)).map((c) => ({
      signals: c.signals,
      label: !orphan && storyOf.get(lib.fileId.get(c.id) ?? '') === p.article.story ? 1 : 0,
      shared: c.shared,
      topic: c.topic,
      topicInText: c.topicInText,
    })),
  }));
}

const dev = readArticlesFile(values.articles!).articles;
const corpus = readArticlesFile(values.corpus!).articles;
log(`${dev.length} dev articles, ${corpus.length} corpus articles`);
const storyOf = new Map<string, string | undefined>([...corpus, ...dev].map((a) => [a.id, a.story]));

const corpusLib = importLibrary(corpus);
// The bench leaves these pages' articles out (benchPages), so it never grades training pages.
const training = trainingPages(corpus, laterArticles(dev));
const covered = pageRows(corpusLib, training.covered, storyOf, false);
const orphans = pageRows(corpusLib, training.orphans, storyOf, true);
log(`${covered.length} covered pages, ${orphans.length} orphan pages`);

const devLib = importLibrary(dev);
const byId = new Map(dev.map((a) => [a.id, a]));
const pairs = readPairsFile(values.pairs!).filter((p) => byId.has(p.a) && byId.has(p.b));
const pairRows: Row[] = pairs.map((p) => {
  const a = devLib.index.get(devLib.storedId.get(p.a)!)!;
  const b = devLib.index.get(devLib.storedId.get(p.b)!)!;
  const c = devLib.index.scoreStories(a, b);
  return { signals: c.signals, label: p.label, shared: c.shared, topic: c.topic, topicInText: c.topicInText };
});
const sameDayPair = pairs.map((p) => byId.get(p.a)!.publishedAt === byId.get(p.b)!.publishedAt);
log(`${pairRows.length} dev pairs`);

const trainingPageRows = [...covered, ...orphans];
const pageRowsAll = trainingPageRows.flatMap((p) => p.rows);
/**
 * A candidate on a page whose story the library lacks counts this many times one on a covered page:
 * a "Same story" there is the error a reader trusts least (issue 8). In a story-grouped two-fold
 * check, 3 moved the curve from 8.0% orphan pages with a "same story" to 7.3% at the same 87.6-87.9%
 * covered hit; more started costing hits faster than it saved orphans.
 */
const ORPHAN_WEIGHT = 3;
const pageWeight = (orphan: boolean) => (orphan ? ORPHAN_WEIGHT : 1);

/** Fits on these pages and pairs, the signals in `mask` left out. */
function fitOn(mask: ReadonlySet<number>, pages: readonly PageRows[] = trainingPageRows, pairsIn: readonly Row[] = pairRows): Fit {
  const rows = [...pages.flatMap((p) => p.rows), ...pairsIn];
  const pageWeightSum = pages.reduce((sum, p) => sum + p.rows.length * pageWeight(p.orphan), 0);
  // Pages with their candidates weigh as much in total as the labelled pairs.
  const rowWeights = [...pages.flatMap((p) => p.rows.map(() => (pageWeight(p.orphan) * pairsIn.length) / pageWeightSum)), ...pairsIn.map(() => 1)];
  return fitLogistic(
    rows.map((r) => r.signals.map((v, i) => (mask.has(i) ? 0 : v))),
    rows.map((r) => r.label),
    { rowWeights, l2: 1e-3 },
  );
}

interface Figures {
  orphanSame: number;
  orphanAny: number;
  coveredHit: number;
  samePrecision: number;
  relatedRight: number;
  /** "Related" labels per covered page. */
  relatedShown: number;
}

/** What the labels would show on these pages (the training pages by default) at these thresholds (copies not collapsed). */
function pageFigures(model: Model, fit: Fit, pages: readonly PageRows[] = trainingPageRows): Figures {
  let orphanSame = 0;
  let orphanAny = 0;
  let hit = 0;
  let sameLabels = 0;
  let sameRight = 0;
  let relLabels = 0;
  let relRight = 0;
  for (const page of pages) {
    let any = false;
    let same = false;
    let pageHit = false;
    const top = page.rows
      .map((row) => ({ ...row, score: predict(fit, row.signals) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    const labels = labelsFor(top, 3, model);
    for (const [i, r] of top.entries()) {
      const label = labels[i];
      if (!label) continue;
      any = true;
      if (label === 'same-story') {
        same = true;
        sameLabels++;
        sameRight += r.label;
        if (r.label) pageHit = true;
      } else {
        relLabels++;
        relRight += r.label;
      }
    }
    if (page.orphan) {
      orphanSame += same ? 1 : 0;
      orphanAny += any ? 1 : 0;
    } else if (pageHit) hit++;
  }
  const orphanPages = Math.max(1, pages.filter((p) => p.orphan).length);
  const coveredPages = Math.max(1, pages.length - pages.filter((p) => p.orphan).length);
  return {
    orphanSame: orphanSame / orphanPages,
    orphanAny: orphanAny / orphanPages,
    coveredHit: hit / coveredPages,
    samePrecision: sameLabels ? sameRight / sameLabels : 0,
    relatedRight: relLabels ? relRight / relLabels : 0,
    relatedShown: relLabels / coveredPages,
  };
}

/**
 * "Same story": the lowest score at which the training pages' "same story" labels are right at
 * least 92% of the time and at most ORPHAN_SAME of orphan pages get one.
 * "Related" (headline evidence beyond the best shared word, at least RELATED_EVIDENCE rarest-word
 * units): the lowest floor, down to an even chance, at which orphan pages are still shown anything at
 * most 15% of the time.
 * The data's labels cannot say whether a related story is right (a development on another day is
 * another story to them), so the bench prints a sample of what "Related" shows, to read and judge.
 */
const RELATED_EVIDENCE = 0.75;
/**
 * Orphan pages with a "same story" the threshold allows on the training pages: a point under issue
 * 8's 5%, because these 520 pages (two per story) are the model's own training data and read
 * optimistic. Pages it did not train on read higher: the bench's 12,216 (no training page, but
 * training's stories) 4.5% where these read 3.7%; held out by story (`--hold-out`) 4.2%; the old
 * 1,000-page sample (126 of them training pages) 3.7-5.8% over six seeds, mean 4.7%. At 5% the
 * choice sat on a cliff: 26 of 520 pages at 0.78, 21 at 0.79.
 */
const ORPHAN_SAME = 0.04;
/** "Related" never goes below an even chance by the model's own score. */
const RELATED_MIN = 0.5;
const round = (v: number) => Math.round(v * 1000) / 1000;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** FNV-1a: a story id's stable hash, for splitting stories into halves. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function chooseThresholds(fit: Fit, pages: readonly PageRows[] = trainingPageRows): Model['thresholds'] {
  const base: Model['thresholds'] = { sameStory: 0.99, related: 0.99, relatedEvidence: RELATED_EVIDENCE, topic: MODEL.thresholds.topic };
  const model = (t: Partial<Model['thresholds']>): Model => ({ ...MODEL, thresholds: { ...base, ...t } });
  let sameStory = 0.99;
  for (let t = 0.98; t >= 0.3; t -= 0.01) {
    const f = pageFigures(model({ sameStory: t }), fit, pages);
    if (process.env.TRAIN_CURVE) log(`${t.toFixed(2)} ${JSON.stringify(f)}`);
    if (f.samePrecision >= 0.92 && f.orphanSame <= ORPHAN_SAME) sameStory = t;
  }
  let related = sameStory;
  for (let t = sameStory; t >= RELATED_MIN; t -= 0.02) {
    const f = pageFigures(model({ sameStory, related: t }), fit, pages);
    if (process.env.TRAIN_CURVE) log(`related ${t.toFixed(2)} ${JSON.stringify(f)}`);
    if (f.orphanAny > 0.15) break;
    related = t;
  }
  return { sameStory: round(sameStory), related: round(related), relatedEvidence: RELATED_EVIDENCE, topic: MODEL.thresholds.topic };
}

function pairFigures(fit: Fit): { auc: number; sameDayAuc: number; pageAuc: number } {
  const scores = pairRows.map((r) => predict(fit, r.signals));
  const labels = pairRows.map((r) => r.label);
  const pageScores = pageRowsAll.map((r) => predict(fit, r.signals));
  return {
    auc: rocAuc(scores, labels),
    sameDayAuc: rocAuc(
      scores.filter((_, i) => sameDayPair[i]),
      labels.filter((_, i) => sameDayPair[i]),
    ),
    pageAuc: rocAuc(
      pageScores,
      pageRowsAll.map((r) => r.label),
    ),
  };
}

const fit = fitOn(new Set());
const thresholds = chooseThresholds(fit);
const round4 = (v: number) => Math.round(v * 10000) / 10000;
const model: Model = { version: MODEL.version + 1, signals: [...SIGNALS], weights: fit.weights.map(round4), bias: round4(fit.bias), thresholds };
const note = `trained by npm run train on ${values.articles}, ${values.pairs} and ${values.corpus}: ${covered.length} covered and ${orphans.length} orphan pages, ${pairRows.length} pairs`;
writeFileSync(values.out!, `${JSON.stringify({ ...model, note }, null, 2)}\n`);
const pf = pairFigures(fit);
const figures = pageFigures(model, fit);
console.log(`dev pairs ROC-AUC ${pf.auc.toFixed(3)}, same-day ${pf.sameDayAuc.toFixed(3)}; page candidates ROC-AUC ${pf.pageAuc.toFixed(3)}`);
console.log(
  `training pages: orphan same story ${(figures.orphanSame * 100).toFixed(1)}%, orphan anything ${(figures.orphanAny * 100).toFixed(1)}%, covered hit ${(figures.coveredHit * 100).toFixed(1)}%, same-story precision ${figures.samePrecision.toFixed(3)}, related right ${figures.relatedRight.toFixed(3)}`,
);
console.log(`weights: ${SIGNALS.map((s, i) => `${s}=${model.weights[i]}`).join(' ')} bias=${model.bias}`);
console.log(`thresholds: ${JSON.stringify(thresholds)}`);
console.log(`wrote ${values.out}`);

if (values.ablation) {
  /** Groups of signals removed together: single signals overlap, so groups tell more. */
  const groups: [string, string[]][] = [
    ...SIGNALS.map((s): [string, string[]] => [`without ${s}`, [s]]),
    ['without time (sameDay and its products, dayGap)', ['sameDay', 'sameDayCosine', 'sameDaySupport', 'sameDayExplained', 'dayGap']],
    ['without the library (support, explained and their same-day products)', ['support', 'explained', 'sameDaySupport', 'sameDayExplained']],
    ['without evidence beyond one word (evidence, beyondOne, rarest)', ['evidence', 'beyondOne', 'rarest']],
    ['without URL slugs (slugCosine, sameDayCosine)', ['slugCosine', 'sameDayCosine']],
    ['without bursts (wordDayShare, wordWeek, pairDayShare, pairWeek)', ['wordDayShare', 'wordWeek', 'pairDayShare', 'pairWeek']],
    ["without the candidate's own event (otherEvent, sameDayOtherEvent)", ['otherEvent', 'sameDayOtherEvent']],
    ['headline cosine alone', SIGNALS.filter((s) => s !== 'cosine')],
  ];
  console.log('\n| signals | pairs ROC-AUC | same-day pairs ROC-AUC | page candidates ROC-AUC | orphan same story | covered hit | same-story precision |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const line = (name: string, f: Fit) => {
    const p = pairFigures(f);
    const t = chooseThresholds(f);
    const g = pageFigures({ ...model, thresholds: t }, f);
    console.log(
      `| ${name} | ${p.auc.toFixed(3)} | ${p.sameDayAuc.toFixed(3)} | ${p.pageAuc.toFixed(3)} | ${(g.orphanSame * 100).toFixed(1)}% | ${(g.coveredHit * 100).toFixed(1)}% | ${g.samePrecision.toFixed(3)} |`,
    );
  };
  line('all', fit);
  for (const [name, drop] of groups) line(name, fitOn(new Set(drop.map((s) => SIGNALS.indexOf(s as (typeof SIGNALS)[number])))));
}

if (values['hold-out']) {
  /**
   * The training procedure measured on stories it never saw: every story (the pages' and the
   * pairs' articles') falls in one of two halves by its id; each half is fitted, thresholds and
   * all, without any page or pair of the other's stories (their library articles can still be
   * candidates, as negatives), and judged on the other half's bench pages (benchPages: no article
   * the shipped model trained on as a page), labelled before the popup collapses copies. The dev
   * data has 260 April-May stories, so each half judges about 130 of them.
   */
  const half = (story: string | undefined) => (story === undefined ? -1 : fnv(story) & 1);
  const bench = benchPages(corpus, laterArticles(dev));
  const benchRows = [...pageRows(corpusLib, bench.covered, storyOf, false), ...pageRows(corpusLib, bench.orphans, storyOf, true)];
  // Both halves together: each page judged by the half that never saw its story.
  const total = { orphans: 0, covered: 0, orphanSame: 0, orphanAny: 0, hit: 0 };
  // The trade at other "same story" thresholds, each half's fit on its held-out pages.
  const curve = [0.8, 0.82, 0.84, 0.86, 0.88, 0.9].map((sameStory) => ({ sameStory, orphanSame: 0, hit: 0 }));
  for (const held of [0, 1]) {
    const kept = (story: string | undefined) => half(story) !== held;
    const pages = trainingPageRows.filter((p) => kept(p.story));
    const pairsKept = pairRows.filter((_, i) => kept(storyOf.get(pairs[i].a)) && kept(storyOf.get(pairs[i].b)));
    const f = fitOn(new Set(), pages, pairsKept);
    const t = chooseThresholds(f, pages);
    const test = benchRows.filter((p) => half(p.story) === held);
    const g = pageFigures({ ...model, thresholds: t }, f, test);
    const o = test.filter((p) => p.orphan).length;
    total.orphans += o;
    total.covered += test.length - o;
    total.orphanSame += g.orphanSame * o;
    total.orphanAny += g.orphanAny * o;
    total.hit += g.coveredHit * (test.length - o);
    for (const point of curve) {
      const c = pageFigures({ ...model, thresholds: { ...t, sameStory: point.sameStory } }, f, test);
      point.orphanSame += c.orphanSame * o;
      point.hit += c.coveredHit * (test.length - o);
    }
    console.log(
      `held-out half ${held}: trained on ${pages.length} pages and ${pairsKept.length} pairs, "same story" from ${t.sameStory}; judged ${o} orphan and ${test.length - o} covered pages: orphan same story ${pct(g.orphanSame)}, anything ${pct(g.orphanAny)}, covered hit ${pct(g.coveredHit)}, "same story" precision on covered pages ${pageFigures(
        { ...model, thresholds: t },
        f,
        test.filter((p) => !p.orphan),
      ).samePrecision.toFixed(3)}`,
    );
  }
  console.log(
    `held out by story, both halves: orphan same story ${pct(total.orphanSame / total.orphans)}, anything ${pct(total.orphanAny / total.orphans)}, covered hit ${pct(total.hit / total.covered)}`,
  );
  console.log(`at other thresholds: ${curve.map((c) => `${c.sameStory}: ${pct(c.orphanSame / total.orphans)} / ${pct(c.hit / total.covered)}`).join(', ')}`);
}
