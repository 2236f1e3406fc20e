/**
 * What a reader sees, measured: libraries built the way an import builds them, pages answered
 * the way the worker answers `pageRead` (src/background/answer.ts), and the labels the popup
 * would show judged against the data's story labels. Used by `npm run bench`, `npm run train`
 * and `npm run match`.
 */
import type { PageInfo, RelatedStory } from '../src/core/article';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../src/core/time';
import { storiesForPage } from '../src/background/answer';
import { parseArticleLine } from '../src/corpus/jsonl';
import { toStored, type StoredArticle } from '../src/corpus/records';
import { StoryIndex } from '../src/index/engine';
import type { Model } from '../src/index/model';
import { DEFAULTS, type Settings } from '../src/settings/schema';
import type { LabelledArticle } from './articles-file';

export interface ReaderLibrary {
  index: StoryIndex;
  /** Stored id -> the id the article had in its file (the import derives its own ids). */
  fileId: Map<string, string>;
  /** File id -> stored id. */
  storedId: Map<string, string>;
}

/**
 * A library as importing the file builds it: each article parsed as an import line, stored
 * under the import's own id (articles with one URL collapse into the last), then indexed.
 */
export function importLibrary(articles: readonly LabelledArticle[], model?: Model, now = new Date()): ReaderLibrary {
  const stored = new Map<string, StoredArticle>();
  const fileId = new Map<string, string>();
  const storedId = new Map<string, string>();
  for (const a of articles) {
    const { story: _story, ...line } = a;
    const parsed = parseArticleLine(JSON.stringify(line), 'import');
    if (!parsed.ok) continue;
    const record = toStored(parsed.article, now);
    stored.set(record.id, record);
    fileId.set(record.id, a.id);
    storedId.set(a.id, record.id);
  }
  const index = new StoryIndex(model);
  index.addAll(stored.values());
  return { index, fileId, storedId };
}

/** A library article as the page a person reads (the headline, outlet, date and URL a page states). */
export function pageOf(a: Pick<LabelledArticle, 'title' | 'source' | 'publishedAt' | 'url' | 'description' | 'lang'>): PageInfo {
  return {
    url: a.url ?? 'https://example.invalid/',
    headline: a.title,
    description: a.description ?? null,
    siteName: a.source || null,
    canonicalUrl: null,
    publishedAt: a.publishedAt,
    lang: a.lang ?? null,
  };
}

/** mulberry32: a small seeded PRNG, so every sample is the same on every run. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export interface JudgedPage {
  article: LabelledArticle;
  page: PageInfo;
}

/**
 * Pages whose story the library lacks: articles of stories absent from the library, re-dated to
 * a random hour of a random day the library covers (at most `perStory` per story). Any "same
 * story" they are shown is wrong.
 */
export function orphanPages(
  candidates: readonly LabelledArticle[],
  library: readonly LabelledArticle[],
  options: { seed?: number; max?: number; perStory?: number } = {},
): JudgedPage[] {
  const rand = random(options.seed ?? 1);
  const present = new Set(library.map((a) => a.story));
  const days = [...new Set(library.filter((a) => a.publishedAt).map((a) => Math.floor(Date.parse(a.publishedAt!) / DAY_MS)))].sort((a, b) => a - b);
  const perStory = new Map<string, number>();
  const out: JudgedPage[] = [];
  for (const a of shuffled(candidates, rand)) {
    if (!a.story || present.has(a.story)) continue;
    const n = perStory.get(a.story) ?? 0;
    if (n >= (options.perStory ?? 2)) continue;
    perStory.set(a.story, n + 1);
    const day = days[Math.floor(rand() * days.length)];
    const publishedAt = new Date(day * DAY_MS + Math.floor(rand() * 24) * HOUR_MS + Math.floor(rand() * 60) * MINUTE_MS).toISOString();
    const article = { ...a, publishedAt };
    out.push({ article, page: pageOf(article) });
    if (out.length >= (options.max ?? 600)) break;
  }
  return out;
}

function dayOf(a: LabelledArticle): number {
  return a.publishedAt ? Date.parse(a.publishedAt) / DAY_MS : 0;
}

/** Pages whose story the library holds (at least one other article of it within the window). */
export function coveredPages(
  library: readonly LabelledArticle[],
  options: { seed?: number; max?: number; windowDays?: number; exclude?: ReadonlySet<string> } = {},
): JudgedPage[] {
  const rand = random(options.seed ?? 2);
  const window = options.windowDays ?? DEFAULTS.windowDays;
  const byStory = new Map<string, LabelledArticle[]>();
  for (const a of library) if (a.story) byStory.set(a.story, [...(byStory.get(a.story) ?? []), a]);
  const out: JudgedPage[] = [];
  for (const a of shuffled(library, rand)) {
    if (options.exclude?.has(a.id)) continue;
    const mates = byStory.get(a.story ?? '') ?? [];
    if (!mates.some((m) => m.id !== a.id && m.url !== a.url && Math.abs(dayOf(m) - dayOf(a)) <= window)) continue;
    out.push({ article: a, page: pageOf(a) });
    if (out.length >= (options.max ?? 1500)) break;
  }
  return out;
}

/** Orphan pages are dev articles from this day on: the dense corpus (the library) ends in March. */
export const ORPHANS_FROM = '2014-04-01';

export function laterArticles(dev: readonly LabelledArticle[]): LabelledArticle[] {
  return dev.filter((a) => (a.publishedAt ?? '') >= ORPHANS_FROM);
}

/** The pages `npm run train` learns from. */
export function trainingPages(library: readonly LabelledArticle[], later: readonly LabelledArticle[]): { covered: JudgedPage[]; orphans: JudgedPage[] } {
  return {
    covered: coveredPages(library, { seed: 101, max: 2000 }),
    orphans: orphanPages(later, library, { seed: 102, max: 700 }),
  };
}

/**
 * How many draws of orphan pages the bench judges, each re-dated to other random days and hours:
 * one draw's figure moves by about a point with the days its pages are dated to and which
 * articles are drawn (three draws together read 4.1-5.0% orphan "same story" on model 32, in four
 * tries), so the bench judges twelve.
 */
export const BENCH_REDATINGS = 12;

/**
 * The pages `npm run bench` judges: no article training used as a page. Orphan pages are
 * BENCH_REDATINGS draws of up to four articles a story from the April-May articles training did
 * not use, each draw re-dated. The stories are training's too (it takes two pages of each, and
 * the dev pairs hold most of these articles): `npm run train -- --hold-out` judges stories
 * training never saw. A story's pages share their words and tend to err together, so the figures
 * come with an interval over resampled stories (`storyInterval`).
 */
export function benchPages(
  library: readonly LabelledArticle[],
  later: readonly LabelledArticle[],
  options: { windowDays?: number; covered?: number } = {},
): { covered: JudgedPage[]; orphans: JudgedPage[] } {
  const training = trainingPages(library, later);
  const trainedOrphans = new Set(training.orphans.map((p) => p.article.id));
  const rest = later.filter((a) => !trainedOrphans.has(a.id));
  const orphans: JudgedPage[] = [];
  for (let seed = 1; seed <= BENCH_REDATINGS; seed++) orphans.push(...orphanPages(rest, library, { seed, max: Infinity, perStory: 4 }));
  const covered = coveredPages(library, {
    seed: 2,
    max: options.covered ?? 6000,
    windowDays: options.windowDays,
    exclude: new Set(training.covered.map((p) => p.article.id)),
  });
  return { covered, orphans };
}

function shareOf(stories: readonly { n: number; yes: number }[]): number {
  let n = 0;
  let yes = 0;
  for (const s of stories) {
    n += s.n;
    yes += s.yes;
  }
  return n ? yes / n : Number.NaN;
}

/**
 * A share over pages with its 90% interval when whole stories are resampled (bootstrap): pages
 * of one story share their words and tend to err together, so the story, not the page, is the unit
 * of the sample.
 */
export function storyInterval(
  pages: readonly JudgedPage[],
  flags: readonly boolean[],
  options: { rounds?: number; seed?: number } = {},
): { share: number; low: number; high: number; stories: number } {
  const byStory = new Map<string, { n: number; yes: number }>();
  pages.forEach((p, i) => {
    const key = p.article.story ?? p.article.id;
    const s = byStory.get(key) ?? { n: 0, yes: 0 };
    s.n++;
    if (flags[i]) s.yes++;
    byStory.set(key, s);
  });
  const stories = [...byStory.values()];
  const rand = random(options.seed ?? 7);
  const shares: number[] = [];
  for (let r = 0; r < (options.rounds ?? 2000); r++) {
    shares.push(shareOf(stories.map(() => stories[Math.floor(rand() * stories.length)])));
  }
  shares.sort((a, b) => a - b);
  const at = (q: number) => shares[Math.floor(q * (shares.length - 1))];
  return { share: shareOf(stories), low: at(0.05), high: at(0.95), stories: stories.length };
}

export interface ReaderFigures {
  pages: number;
  /** Share of pages shown at least one story. */
  anyShown: number;
  /** Share of pages shown at least one "same story". */
  sameShown: number;
  /** Share of pages shown a "same story" that is the page's story. */
  sameHit: number;
  /** Of all "same story" labels shown, the share that are the page's story. */
  samePrecision: number;
  /** Of all "related" labels shown, the share that are the page's story (a lower bound of "right"). */
  relatedSameStory: number;
  /** Stories shown per page, on average. */
  shownPerPage: number;
}

export interface ShownResult {
  page: JudgedPage;
  story: RelatedStory;
  /** The shown story is the page's story by the data's label. */
  sameStory: boolean;
}

/** Answers every page as the worker would and judges what is shown. */
export function judgePages(
  lib: ReaderLibrary,
  pages: readonly JudgedPage[],
  storyOf: (fileId: string) => string | undefined,
  settings: Settings = DEFAULTS,
): { figures: ReaderFigures; shown: ShownResult[]; perPage: { same: boolean; hit: boolean; any: boolean }[] } {
  let any = 0;
  let same = 0;
  let hit = 0;
  let sameLabels = 0;
  let sameRight = 0;
  let relatedLabels = 0;
  let relatedRight = 0;
  let total = 0;
  const shown: ShownResult[] = [];
  const perPage: { same: boolean; hit: boolean; any: boolean }[] = [];
  for (const p of pages) {
    const stories = storiesForPage(lib.index, p.page, settings);
    total += stories.length;
    if (stories.length) any++;
    let pageSame = false;
    let pageHit = false;
    for (const s of stories) {
      const right = p.article.story !== undefined && storyOf(lib.fileId.get(s.id) ?? '') === p.article.story;
      shown.push({ page: p, story: s, sameStory: right });
      if (s.label === 'same-story') {
        pageSame = true;
        sameLabels++;
        if (right) {
          sameRight++;
          pageHit = true;
        }
      } else {
        relatedLabels++;
        if (right) relatedRight++;
      }
    }
    if (pageSame) same++;
    if (pageHit) hit++;
    perPage.push({ same: pageSame, hit: pageHit, any: stories.length > 0 });
  }
  const n = Math.max(pages.length, 1);
  return {
    figures: {
      pages: pages.length,
      anyShown: any / n,
      sameShown: same / n,
      sameHit: hit / n,
      samePrecision: sameLabels ? sameRight / sameLabels : Number.NaN,
      relatedSameStory: relatedLabels ? relatedRight / relatedLabels : Number.NaN,
      shownPerPage: total / n,
    },
    shown,
    perPage,
  };
}
