import type { PageInfo } from '../core/article';
import { MAX_URL, safeHttpUrl } from '../core/links';
import { dropTags, INVISIBLE_CHARACTERS, LANGUAGE_TAG, tameMarks } from '../core/words';
import { statedDate } from '../core/time';
import { MAX_IMPORT_CHUNK_CHARS, MAX_IMPORT_CHUNKS } from './library-io';
import { MAX_ARTICLE_ID, MAX_KEY } from './reading';
import { CHANNEL, SENDERS, type Envelope, type MessageType, type Payload } from './protocol';

/** Headline and query limits (RELIABILITY row 31): a 1 MB headline is cut before it is matched. */
export const MAX_HEADLINE = 300;
export const MAX_DESCRIPTION = 600;
/** Headlines per batch: a page pass sends at most this many in one message. */
export const MAX_HEADLINES = 400;

export class BadMessage extends Error {}

/** Trims, removes control and bidi-override characters, caps the length. */
export function cleanText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = tameMarks(
    dropTags(value.slice(0, max * 4).replace(/[\ud800-\udbff]$/, ''))
      // A space, not nothing: a control between two words must not join them.
      .replace(INVISIBLE_CHARACTERS, ' ')
      .replace(/[\s\u200b]+/g, ' ')
      .trim(),
  );
  // Cut on code points, not UTF-16 units: an emoji at the cap is kept whole or left out, never half.
  const points = Array.from(text);
  return (points.length > max ? points.slice(0, max).join('') : text).trim() || null;
}

/**
 * A page's own address within MAX_URL: a longer one (app state or a text fragment after the '#', a
 * query of tracking) loses its fragment, then its query, rather than leave the page unanswered
 * (review, helper-34). Links the page lists get no such help: past the cap they are no links.
 */
function shortened(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.length <= MAX_URL) return raw;
  const bare = raw.split('#')[0];
  return bare.length <= MAX_URL ? bare : bare.split('?')[0];
}

export function parsePageInfo(raw: unknown): PageInfo | null {
  if (raw === null) return null;
  if (!raw || typeof raw !== 'object') throw new BadMessage('page must be an object or null');
  const r = raw as Record<string, unknown>;
  const headline = cleanText(r.headline, MAX_HEADLINE);
  const url = safeHttpUrl(shortened(r.url));
  if (!headline) throw new BadMessage('page.headline must be a non-empty string');
  if (!url) throw new BadMessage('page.url must be an http(s) URL');
  const lang = typeof r.lang === 'string' && LANGUAGE_TAG.test(r.lang) ? r.lang : null;
  return {
    url,
    headline,
    description: cleanText(r.description, MAX_DESCRIPTION),
    siteName: cleanText(r.siteName, 100),
    canonicalUrl: safeHttpUrl(r.canonicalUrl),
    publishedAt: statedDate(r.publishedAt),
    lang,
  };
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

/** A short identifier (article id, page key) from a message: no control characters, capped. */
function identifier(raw: unknown, key: 'articleId' | 'pageKey' | 'key', max: number): string {
  const value = (raw as Record<string, unknown> | null)?.[key];
  if (typeof value !== 'string' || !value || value.length > max || /[\u0000-\u001f\u007f]/.test(value)) throw new BadMessage(`${key} must be a short string`);
  return value;
}

function tabIdOf(raw: unknown): number {
  const tabId = (raw as { tabId?: unknown } | null)?.tabId;
  if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) throw new BadMessage('tabId must be a tab id');
  return tabId;
}

function whole(raw: unknown, key: 'tabId' | 'windowId'): number {
  const value = (raw as Record<string, unknown> | null)?.[key];
  // Chrome's ids are positive; Firefox's windows.WINDOW_ID_NONE is -1 and never sent.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new BadMessage(`${key} must be a ${key === 'tabId' ? 'tab' : 'window'} id`);
  return value;
}

function feedId(raw: unknown): string {
  const id = (raw as { feedId?: unknown } | null)?.feedId;
  if (typeof id !== 'string' || !/^f[0-9a-f]{13}$/.test(id)) throw new BadMessage('feedId must be a feed id');
  return id;
}

const PAYLOADS: { [K in MessageType]: (raw: unknown) => Payload<K> } = {
  pageRead: parsePageInfo,
  tabStories: (raw) => {
    const tabId = (raw as { tabId?: unknown } | null)?.tabId;
    if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) throw new BadMessage('tabId must be a tab id');
    return { tabId };
  },
  matchHeadlines: (raw) => {
    const list = (raw as { headlines?: unknown } | null)?.headlines;
    if (!Array.isArray(list) || list.length > MAX_HEADLINES) throw new BadMessage(`headlines must be an array of at most ${MAX_HEADLINES}`);
    return {
      headlines: list.map((h) => {
        const item = (h ?? {}) as Record<string, unknown>;
        return { text: cleanText(item.text, MAX_HEADLINE) ?? '', url: safeHttpUrl(item.url), publishedAt: statedDate(item.publishedAt) };
      }),
    };
  },
  badgesShown: (raw) => {
    const count = (raw as { count?: unknown } | null)?.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 1_000_000) throw new BadMessage('count must be a whole number');
    return { count };
  },
  pageLeft: () => ({}),
  listFeeds: () => ({}),
  libraryStats: () => ({}),
  clearHistory: () => ({}),
  clearImports: () => ({}),
  addFeed: (raw) => {
    const { url, confirmedPrivate } = (raw ?? {}) as { url?: unknown; confirmedPrivate?: unknown };
    if (typeof url !== 'string' || url.length > 2048) throw new BadMessage('url must be a string');
    return confirmedPrivate === true ? { url, confirmedPrivate } : { url };
  },
  removeFeed: (raw) => ({ feedId: feedId(raw) }),
  refreshFeeds: (raw) => {
    const id = (raw as { feedId?: unknown } | null)?.feedId;
    return id === undefined ? {} : { feedId: feedId(raw) };
  },
  suggestedFeeds: () => ({}),
  exportOpml: () => ({}),
  parseOpml: (raw) => {
    const text = (raw as { text?: unknown } | null)?.text;
    // The parser refuses files over 2 MB with its own words; this only bounds the message.
    if (typeof text !== 'string' || text.length > 4 * 1024 * 1024) throw new BadMessage('text must be a string of at most 4 MB');
    return { text };
  },
  importBegin: (raw) => {
    const { total, chunks } = (raw ?? {}) as { total?: unknown; chunks?: unknown };
    if (!isCount(total, Number.MAX_SAFE_INTEGER)) throw new BadMessage('total must be a whole number');
    if (!isCount(chunks, MAX_IMPORT_CHUNKS) || chunks === 0) throw new BadMessage(`chunks must be between 1 and ${MAX_IMPORT_CHUNKS}`);
    return { total, chunks };
  },
  importChunk: (raw) => {
    const { jobId, seq, firstLine, text } = (raw ?? {}) as Record<string, unknown>;
    if (typeof jobId !== 'string' || !/^i[0-9a-z]{1,40}$/.test(jobId)) throw new BadMessage('jobId must be an import id');
    if (!isCount(seq, MAX_IMPORT_CHUNKS)) throw new BadMessage('seq must be a chunk number');
    if (!isCount(firstLine, Number.MAX_SAFE_INTEGER) || firstLine === 0) throw new BadMessage('firstLine must be a line number');
    if (typeof text !== 'string' || text.length > MAX_IMPORT_CHUNK_CHARS)
      throw new BadMessage(`text must be a string of at most ${MAX_IMPORT_CHUNK_CHARS} characters`);
    return { jobId, seq, firstLine, text };
  },
  importStatus: () => ({}),
  exportLibrary: (raw) => {
    const after = (raw as { after?: unknown } | null)?.after;
    if (after === undefined) return {};
    if (typeof after !== 'string' || after.length > 300) throw new BadMessage('after must be an article id');
    return { after };
  },
  activate: () => ({}),
  showing: () => ({}),
  takePanelQuery: (raw) => ({ windowId: whole(raw, 'windowId') }),
  tabChanged: (raw) => ({ tabId: whole(raw, 'tabId'), left: (raw as { left?: unknown } | null)?.left === true }),
  panelQueryWaiting: (raw) => ({ windowId: whole(raw, 'windowId') }),
  hideStory: (raw) => ({ tabId: tabIdOf(raw), articleId: identifier(raw, 'articleId', MAX_ARTICLE_ID) }),
  showStoryAgain: (raw) => ({ pageKey: identifier(raw, 'pageKey', MAX_KEY), articleId: identifier(raw, 'articleId', MAX_ARTICLE_ID) }),
  hiddenStories: () => ({}),
  followStory: (raw) => ({ tabId: tabIdOf(raw) }),
  unfollowStory: (raw) => ({ key: identifier(raw, 'key', MAX_KEY) }),
  followedStories: () => ({}),
  search: (raw) => {
    const query = cleanText((raw as { query?: unknown } | null)?.query, MAX_HEADLINE);
    if (!query) throw new BadMessage('query must be a non-empty string');
    return { query };
  },
};

/** Null when the value is not a Storyline envelope at all (foreign messages are ignored, not answered). */
export function envelopeType(raw: unknown): MessageType | null {
  if (!raw || typeof raw !== 'object') return null;
  const { channel, type } = raw as { channel?: unknown; type?: unknown };
  if (channel !== CHANNEL || typeof type !== 'string' || !Object.hasOwn(SENDERS, type)) return null;
  return type as MessageType;
}

/** Parses an envelope's payload for its type; throws BadMessage with the reason. */
export function parseEnvelope<K extends MessageType>(type: K, raw: unknown): Envelope<K> {
  const payload = PAYLOADS[type]((raw as { payload?: unknown }).payload);
  return { channel: CHANNEL, type, payload };
}
