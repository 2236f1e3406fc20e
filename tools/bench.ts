/**
 * `npm run bench -- --articles FILE [--pairs FILE] [--window-days N] [--out FILE.json] [--model FILE.json]`
 *
 * Indexes the articles, lets every article query all others within the window (relevant = same
 * `story`), scores labelled pairs, and times build, serialisation, revive and queries: for the
 * engine and for a baseline in the same process (MiniSearch defaults over titles, English
 * stopwords dropped, default search).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { STOPWORDS } from '../src/core/stopwords';
import { DAY_MS } from '../src/core/time';
import v8 from 'node:v8';
import { INDEX_FINGERPRINT, INDEX_VERSION, StoryIndex } from '../src/index/engine';
import { parseSegment, toSaved } from '../src/index/segment';
import { classify, percentile, RetrievalAccumulator, rocAuc, type RetrievalMetrics } from '../src/index/metrics';
import { labelFor, MODEL, parseModel } from '../src/index/model';
import { DEFAULTS } from '../src/settings/schema';
import { readArticlesFile, readPairsFile, type LabelledArticle, type Pair } from './articles-file';
import { readFileSync } from 'node:fs';
import { benchPages, importLibrary, judgePages, laterArticles, random, storyInterval, type ReaderFigures, type ShownResult } from './reader-eval';

const { values } = parseArgs({
  options: {
    articles: { type: 'string' },
    pairs: { type: 'string' },
    'window-days': { type: 'string', default: '7' },
    out: { type: 'string' },
    model: { type: 'string' },
    'max-queries': { type: 'string' },
    /** Pages whose story the library lacks are drawn from here (dev articles of April-May). */
    orphans: { type: 'string' },
    'sample-related': { type: 'string', default: '50' },
  },
});
if (!values.articles) {
  console.error('usage: npm run bench -- --articles FILE[.gz] [--pairs FILE] [--orphans FILE] [--window-days N] [--out FILE.json]');
  process.exit(2);
}
const windowDays = Number(values['window-days']);
const model = values.model ? parseModel(JSON.parse(readFileSync(values.model, 'utf8'))) : MODEL;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const { articles, badLines } = readArticlesFile(values.articles);
if (badLines.length) log(`skipped ${badLines.length} bad lines (first: ${badLines.slice(0, 5).join(', ')})`);
log(`${articles.length} articles from ${values.articles}`);
const byId = new Map(articles.map((a) => [a.id, a]));
// Parsed once: the baseline's window filter runs for every one of thousands of hits per query.
const days = new Map(articles.map((a) => [a.id, a.publishedAt ? Date.parse(a.publishedAt) / DAY_MS : 0]));
const dayOf = (a: LabelledArticle) => days.get(a.id)!;

// Relevant sets: same story within the window, the query itself excluded.
const byStory = new Map<string, LabelledArticle[]>();
for (const a of articles) if (a.story) byStory.set(a.story, [...(byStory.get(a.story) ?? []), a]);
function relevantFor(q: LabelledArticle): Set<string> {
  const same = q.story ? (byStory.get(q.story) ?? []) : [];
  return new Set(same.filter((a) => a.id !== q.id && Math.abs(dayOf(a) - dayOf(q)) <= windowDays).map((a) => a.id));
}
const maxQueries = values['max-queries'] ? Number(values['max-queries']) : articles.length;
const queries = articles.slice(0, maxQueries);

interface System {
  name: string;
  build(): void;
  /** The saved index as the extension stores it (the engine: a structured clone, like IndexedDB's). */
  serialise(): Buffer;
  revive(saved: Buffer): void;
  rank(q: LabelledArticle): string[];
  pairScore(a: LabelledArticle, b: LabelledArticle): number;
  /** The shipped "same story" label for b on page a; undefined: pick the best threshold on the pairs. */
  pairSame?(a: LabelledArticle, b: LabelledArticle): boolean;
}

function inWindow(q: LabelledArticle) {
  // From the page's own date: an orphan page is not a library article (and is re-dated).
  const center = q.publishedAt ? Date.parse(q.publishedAt) / DAY_MS : 0;
  return (id: string) => id !== q.id && Math.abs(days.get(id)! - center) <= windowDays;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function engineSystem(): System {
  let index = new StoryIndex(model);
  return {
    name: 'engine',
    build: () => {
      index = StoryIndex.build(articles, model);
    },
    serialise: () => v8.serialize(toSaved(index.compact(), { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT, savedAt: new Date().toISOString() })),
    revive: (saved) => {
      const all = [...index.all()];
      index = StoryIndex.revive(parseSegment(v8.deserialize(saved), { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT }), model);
      // The worker reads the candidates' articles by id as it answers; here they are all at hand.
      index.addArticles(all);
    },
    rank: (q) => index.rank(q, { windowDays }).map((c) => c.id),
    pairScore: (a, b) => index.scoreStories(a, b, { windowDays }).score,
    pairSame: (a, b) => labelFor(index.scoreStories(a, b, { windowDays }), 3, model) === 'same-story',
  };
}

function baselineSystem(): System {
  const stopwords = STOPWORDS.en;
  const options = {
    fields: ['title'],
    processTerm: (term: string) => {
      const lower = term.toLowerCase();
      return stopwords.has(lower) ? null : lower;
    },
  };
  let search = new MiniSearch(options);
  return {
    name: 'baseline',
    build: () => search.addAll(articles.map((a) => ({ id: a.id, title: a.title }))),
    serialise: () => Buffer.from(JSON.stringify(search)),
    revive: (json) => {
      search = MiniSearch.loadJSON(json.toString(), options);
    },
    rank: (q) => {
      const keep = inWindow(q);
      return search.search(q.title, { filter: (r) => keep(r.id) }).map((r) => r.id as string);
    },
    pairScore: (a, b) => search.search(a.title, { filter: (r) => r.id === b.id })[0]?.score ?? 0,
  };
}

function evaluate(system: System) {
  const before = heapMb();
  let t = performance.now();
  system.build();
  const buildMs = performance.now() - t;
  const heap = heapMb() - before;
  const json = system.serialise();
  t = performance.now();
  system.revive(json);
  const reviveMs = performance.now() - t;

  const retrieval = new RetrievalAccumulator();
  const times: number[] = [];
  queries.forEach((q, i) => {
    const start = performance.now();
    const ranked = system.rank(q);
    times.push(performance.now() - start);
    retrieval.add(ranked, relevantFor(q));
    if ((i + 1) % 10000 === 0) log(`  ${system.name}: ${i + 1}/${queries.length} queries`);
  });

  let pairs: Record<string, number> | undefined;
  if (values.pairs) {
    const rows = readPairsFile(values.pairs).filter((p: Pair) => byId.has(p.a) && byId.has(p.b));
    const scores = rows.map((p) => system.pairScore(byId.get(p.a)!, byId.get(p.b)!));
    const labels = rows.map((p) => p.label);
    let decided: ReturnType<typeof classify>;
    if (system.pairSame) {
      decided = classify(
        rows.map((p) => system.pairSame!(byId.get(p.a)!, byId.get(p.b)!)),
        labels,
      );
    } else {
      // The baseline ships no threshold: report its best one on these very pairs (optimistic).
      decided = [...new Set(scores)]
        .sort((a, b) => a - b)
        .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 400)) === 0)
        .map((th) =>
          classify(
            scores.map((s) => s >= th && s > 0),
            labels,
          ),
        )
        .reduce((best, c) => (c.f1 > best.f1 ? c : best), { precision: 0, recall: 0, f1: 0 });
    }
    log(`  ${system.name}: ${rows.length} labelled pairs scored`);
    const sameDay = rows.map((p) => byId.get(p.a)!.publishedAt?.slice(0, 10) === byId.get(p.b)!.publishedAt?.slice(0, 10));
    const sameDayAuc = rocAuc(
      scores.filter((_, i) => sameDay[i]),
      labels.filter((_, i) => sameDay[i]),
    );
    pairs = { rocAuc: rocAuc(scores, labels), sameDayRocAuc: sameDayAuc, ...decided };
  }
  return {
    retrieval: retrieval.result(),
    ...(pairs && { pairs }),
    speed: {
      buildMs,
      indexBytes: json.length,
      reviveMs,
      queryP50Ms: percentile(times, 50),
      queryP95Ms: percentile(times, 95),
      heapMb: heap,
    },
  };
}

log(`engine…`);
const engine = evaluate(engineSystem());
log(`baseline…`);
const baseline = evaluate(baselineSystem());

/**
 * What a reader sees (the popup's labels) on pages whose story the library lacks and on pages
 * whose story it holds, for the engine and for the baseline: the baseline, which ships no labels,
 * "shows" its top 10 hits as the same story, as a plain search box would.
 */
function readerFigures():
  | {
      intervals: Record<string, ReturnType<typeof storyInterval>>;
      engine: Record<string, ReaderFigures>;
      baseline: Record<string, ReaderFigures>;
      relatedSample: ShownResult[];
    }
  | undefined {
  if (!values.orphans) return undefined;
  const storyOf = new Map(articles.map((a) => [a.id, a.story]));
  const { orphans, covered } = benchPages(articles, laterArticles(readArticlesFile(values.orphans).articles), { windowDays });
  log(`reader: ${orphans.length} orphan pages, ${covered.length} covered pages`);
  const lib = importLibrary(articles, model);
  const settings = { ...DEFAULTS, windowDays };
  const o = judgePages(lib, orphans, (id) => storyOf.get(id), settings);
  const c = judgePages(lib, covered, (id) => storyOf.get(id), settings);
  const base = baselineSystem();
  base.build();
  const baseFigures = (pages: typeof orphans): ReaderFigures => {
    let any = 0;
    let hit = 0;
    let right = 0;
    let shown = 0;
    for (const p of pages) {
      const ids = base
        .rank({ ...p.article, id: p.article.id })
        .slice(0, 10)
        .filter((id) => byId.get(id)!.url !== p.article.url);
      shown += ids.length;
      const r = ids.filter((id) => p.article.story && storyOf.get(id) === p.article.story).length;
      right += r;
      if (ids.length) any++;
      if (r) hit++;
    }
    const n = Math.max(pages.length, 1);
    return {
      pages: pages.length,
      anyShown: any / n,
      sameShown: any / n,
      sameHit: hit / n,
      samePrecision: shown ? right / shown : Number.NaN,
      relatedSameStory: Number.NaN,
      shownPerPage: shown / n,
    };
  };
  const rand = random(3);
  const related = [...o.shown, ...c.shown].filter((s) => s.story.label === 'related');
  const sample: ShownResult[] = [];
  while (sample.length < Math.min(Number(values['sample-related']), related.length)) {
    const pick = related.splice(Math.floor(rand() * related.length), 1)[0];
    sample.push(pick);
  }
  const intervals = {
    'orphan.sameShown': storyInterval(
      orphans,
      o.perPage.map((p) => p.same),
    ),
    'orphan.anyShown': storyInterval(
      orphans,
      o.perPage.map((p) => p.any),
    ),
    'covered.sameHit': storyInterval(
      covered,
      c.perPage.map((p) => p.hit),
    ),
  };
  return {
    intervals,
    engine: { orphan: o.figures, covered: c.figures },
    baseline: { orphan: baseFigures(orphans), covered: baseFigures(covered) },
    relatedSample: sample,
  };
}

const reader = readerFigures();

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));
const rows: string[][] = [['metric', 'engine', 'baseline', 'engine/baseline']];
for (const group of ['retrieval', 'pairs', 'speed'] as const) {
  const e = engine[group] as Record<string, number> | undefined;
  const b = baseline[group] as Record<string, number> | undefined;
  if (!e || !b) continue;
  for (const key of Object.keys(e)) rows.push([`${group}.${key}`, fmt(e[key]), fmt(b[key]), b[key] ? (e[key] / b[key]).toFixed(2) : '-']);
}
if (reader) {
  for (const group of ['orphan', 'covered'] as const) {
    for (const key of Object.keys(reader.engine[group]) as (keyof ReaderFigures)[]) {
      const e = reader.engine[group][key];
      const b = reader.baseline[group][key];
      rows.push([`${group}.${key}`, fmt(e), fmt(b), b ? (e / b).toFixed(2) : '-']);
    }
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
if (reader) {
  console.log("\nThe engine's reader figures with a 90% interval over resampled stories (pages of one story share their words and tend to err together):");
  for (const [name, i] of Object.entries(reader.intervals)) {
    console.log(`  ${name}: ${fmt(i.share)} (${fmt(i.low)}-${fmt(i.high)}; ${i.stories} stories)`);
  }
  console.log(`\nA random sample of ${reader.relatedSample.length} "related" results, to read and judge (page -> shown; [same story by the data's labels]):`);
  for (const s of reader.relatedSample) {
    console.log(
      `- ${s.page.page.headline} (${s.page.page.publishedAt?.slice(0, 10)}) -> ${s.story.title} (${s.story.source}, ${s.story.publishedAt?.slice(0, 10)}; ${s.story.matchedWords.join(', ')})${s.sameStory ? ' [same story]' : ''}`,
    );
  }
}
if (values.out) {
  writeFileSync(values.out, `${JSON.stringify({ ...({ engine, baseline } satisfies Record<string, { retrieval: RetrievalMetrics }>), reader }, null, 2)}\n`);
  log(`wrote ${values.out}`);
}
