import type { Article, ArticleKind } from '../core/article';
import { stableId } from '../core/ids';
import { articleKey, sameHost } from '../core/links';
import { DAY_MS } from '../core/time';
import type { PageInfo } from '../core/article';
import type { FeedItem } from './feeds/parse';

/** An article as the library stores it (IndexedDB), with where and when it came in. */
export interface StoredArticle extends Article {
  /** Dedupe key: canonical URL, else URL, else feed GUID, else outlet + headline. */
  key: string;
  feedId?: string;
  guid?: string;
  /** When Storyline stored it (ISO). */
  fetchedAt: string;
  /** What retention and the size cap prune by: publishedAt, else fetchedAt (imports: fetchedAt). */
  sortAt: string;
  /**
   * Revision: a hash of what the index reads of the article (revisionOf). The index snapshot keeps
   * each article's revision, so a record replaced after the snapshot is indexed again on revive
   * (issue 9, finding 7). Absent in records stored before it existed.
   */
  rev?: string;
}

const KINDS: ReadonlySet<string> = new Set(['seed', 'feed', 'history', 'import']);
const optionalString = (value: unknown) => value === undefined || value === null || typeof value === 'string';

/**
 * A record read back from the articles store, checked (storage is a boundary: a record written by
 * an older version, another tool or a damaged disk): the fields the index and the screens read
 * must be of their kind, else it is no article and is passed over, not a TypeError that kept the
 * whole library from opening on every start (attack review, helper-32).
 */
export function isStoredArticle(raw: unknown): raw is StoredArticle {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.title === 'string' &&
    typeof r.source === 'string' &&
    typeof r.kind === 'string' &&
    KINDS.has(r.kind) &&
    typeof r.key === 'string' &&
    typeof r.sortAt === 'string' &&
    optionalString(r.publishedAt) &&
    optionalString(r.url) &&
    optionalString(r.canonicalUrl) &&
    optionalString(r.description) &&
    optionalString(r.body) &&
    optionalString(r.lang) &&
    optionalString(r.feedId)
  );
}

/**
 * A short hash of everything the search index reads of an article: a record replaced with other
 * words, another date or another link gets another revision; one stored again unchanged (the same
 * feed item on every poll) keeps its revision. 32 bits: a change slips through once in 4 billion.
 */
export function revisionOf(a: Pick<Article, 'kind' | 'title' | 'source' | 'publishedAt' | 'url' | 'canonicalUrl' | 'description' | 'body' | 'lang'>): string {
  return stableId(
    JSON.stringify([a.kind, a.title, a.source, a.publishedAt, a.url, a.canonicalUrl ?? null, a.description ?? null, a.body ?? null, a.lang ?? null]),
  ).slice(0, 8);
}

/** The change stamp the index snapshot keeps for an article: its revision, else when it was stored. */
export function changeStamp(article: Article): string {
  const a = article as Partial<StoredArticle>;
  return a.rev ?? `t${a.fetchedAt ?? ''}`;
}

function dedupeKey(a: { url: string | null; canonicalUrl?: string | null; feedId?: string; guid?: string | null; source: string; title: string }): string {
  return (
    articleKey(a.canonicalUrl) ??
    articleKey(a.url) ??
    (a.feedId && a.guid ? `feed:${a.feedId}:${a.guid}` : null) ??
    `title:${a.source.toLowerCase()}:${a.title.toLowerCase().replace(/\s+/g, ' ').trim()}`
  );
}

/** How far ahead of now a stored date may be: clock skew and time zones, not a page's "9999". */
export const MAX_FUTURE_MS = DAY_MS;

/**
 * A date as the library stores it: null when it is not a date, at most now + 1 day otherwise. A page
 * or feed that dates itself in 9999 would sort as the newest article forever and never be pruned
 * (issue 9, finding 4).
 */
export function storedDate(value: string | null | undefined, now: Date): string | null {
  if (typeof value !== 'string' || !value) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  const limit = now.getTime() + MAX_FUTURE_MS;
  return at > limit ? new Date(limit).toISOString() : value;
}

/**
 * The stored form of an article. The id is derived from the dedupe key, so the same article
 * arriving twice (a feed update, a second visit, a re-import) replaces the old record; a record of
 * another kind stays (putArticles checks that, in its transaction).
 * Dates of feed, history and import records are clamped to at most a day ahead (storedDate).
 */
export function toStored(article: Omit<Article, 'id'> & { id?: string; feedId?: string; guid?: string | null }, now: Date): StoredArticle {
  const key = article.kind === 'seed' && article.id ? `seed:${article.id}` : dedupeKey(article);
  const fetchedAt = now.toISOString();
  // Seeds ship with the build and are stored as they are; everything else came from outside.
  const publishedAt = article.kind === 'seed' ? article.publishedAt : storedDate(article.publishedAt, now);
  const stored: StoredArticle = {
    ...article,
    id: article.kind === 'seed' && article.id ? article.id : `a${stableId(key)}`,
    key,
    publishedAt,
    fetchedAt,
    // Imports are pruned by when they were imported: an archive imported today is not "old news".
    sortAt: article.kind === 'import' ? fetchedAt : (publishedAt ?? fetchedAt),
    guid: article.guid ?? undefined,
  };
  stored.rev = revisionOf(stored);
  if (stored.guid === undefined) delete stored.guid;
  if (stored.feedId === undefined) delete stored.feedId;
  return stored;
}

export function fromFeedItem(item: FeedItem, feed: { id: string; title: string | null; url: string }, now: Date): StoredArticle {
  return toStored(
    {
      kind: 'feed',
      feedId: feed.id,
      guid: item.guid,
      title: item.title,
      source: feed.title ?? new URL(feed.url).hostname,
      url: item.url,
      publishedAt: item.publishedAt,
      description: item.description ?? undefined,
    },
    now,
  );
}

/**
 * Reading history: headline and metadata of a page the person opened; never its body text. Its
 * canonical address is kept only on the page's own host (www., m., amp. and mobile. aside): an entry is
 * stored under it, and a page naming another site's article as its canonical could otherwise
 * replace that article's entry (and time the replacing: whether the person had read it); on a
 * shared platform another subdomain is another person's site (evil.substack.com, victim.substack.com).
 */
export function fromPage(page: PageInfo, now: Date): StoredArticle {
  return toStored(
    {
      kind: 'history',
      title: page.headline,
      source: page.siteName ?? new URL(page.url).hostname.replace(/^www\./, ''),
      url: page.url,
      canonicalUrl: page.canonicalUrl && sameHost(page.canonicalUrl, page.url) ? page.canonicalUrl : null,
      publishedAt: page.publishedAt,
      description: page.description ?? undefined,
      lang: page.lang ?? undefined,
    },
    now,
  );
}

/** One JSONL export line in the shared/data article format. */
export function toExportLine(article: StoredArticle): string {
  const line: Record<string, unknown> = {
    id: article.id,
    title: article.title,
    source: article.source,
    publishedAt: article.publishedAt,
    url: article.url,
  };
  if (article.description) line.description = article.description;
  if (article.lang) line.lang = article.lang;
  return JSON.stringify(line);
}

/**
 * Which stored articles to prune: those older than the retention window, then the oldest beyond
 * the size cap. Seed articles are never pruned. Reading history goes by the retention window
 * only: counted in the cap, each page read pushed out a feed article the badges would have shown,
 * and a page could tell from its badges how much the person reads. `articles` are (id, sortAt,
 * kind) triples.
 */
export function pruneList(
  articles: readonly { id: string; sortAt: string; kind: ArticleKind }[],
  options: { retentionDays: number; maxArticles: number; now: number },
): string[] {
  const cutoff = options.now - options.retentionDays * DAY_MS;
  const prunable = articles.filter((a) => a.kind !== 'seed').sort((a, b) => a.sortAt.localeCompare(b.sortAt));
  const doomed = new Set(prunable.filter((a) => Date.parse(a.sortAt) < cutoff).map((a) => a.id));
  // The cap counts feed and imported articles, as Options says: not the seeds, not reading history.
  const capped = prunable.filter((a) => a.kind !== 'history');
  let excess = capped.filter((a) => !doomed.has(a.id)).length - options.maxArticles;
  for (const a of capped) {
    if (excess <= 0) break;
    if (doomed.has(a.id)) continue;
    doomed.add(a.id);
    excess--;
  }
  return [...doomed];
}

const byAge = (a: { sortAt: string }, b: { sortAt: string }) => a.sortAt.localeCompare(b.sortAt);

/**
 * What to evict when the disk is full (RELIABILITY row 12; issue 9, finding 6): a share of the
 * articles that may go, oldest first, feed articles before imports. `personal`: the write
 * that failed holds the person's own data (history or an import), which would otherwise be lost.
 * Only then do imports go (a feed poll makes room among feed articles alone: a background poll
 * once evicted 1,820 imported articles to store 200 feed items), and reading history only when
 * nothing else is left; the caller says so. Seeds never go.
 */
export function evictionList(articles: readonly { id: string; sortAt: string; kind: ArticleKind }[], options: { share: number; personal: boolean }): string[] {
  const ofKind = (kind: ArticleKind) => articles.filter((a) => a.kind === kind).sort(byAge);
  const others = options.personal ? [...ofKind('feed'), ...ofKind('import')] : ofKind('feed');
  const pool = others.length > 0 ? others : options.personal ? ofKind('history') : [];
  // A share of what may go, not of the whole library: 300 feed articles beside 5,000 imports lose 30.
  return pool.slice(0, Math.max(1, Math.ceil(pool.length * options.share))).map((a) => a.id);
}
