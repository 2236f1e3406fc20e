import type { PageInfo, RelatedStory } from '../core/article';
import { safeHttpUrl } from '../core/links';
import { cleanText, parsePageInfo } from '../messaging/validate';
import { MAX_ARTICLE_ID, MAX_KEY, type FollowedView } from '../messaging/reading';

/**
 * Followed stories (issue 12, item 4). Following keeps the page as it was read (headline,
 * description, outlet, date, address: the words the engine matches on) and the ids of the stories
 * already listed for it then, which are not news. New coverage is what a feed poll adds later that
 * the engine matches to the story. Pure: no browser API; stored by reading-store.ts in
 * storage.local, never sent anywhere.
 */
export interface FollowedStory {
  key: string;
  page: PageInfo;
  followedAt: string;
  /** Stories listed for it when followed, and every one reported since: never reported (again). */
  known: string[];
  /** New coverage, newest first; `seen` once the popup has shown it. */
  found: FoundStory[];
}

export interface FoundStory {
  story: RelatedStory;
  foundAt: string;
  seen: boolean;
  /** When the popup first showed it: it is listed for NEWS_KEPT_MS after that. */
  seenAt?: string;
}

/**
 * How long news stays in the popup once shown: an answer replaced a moment later (a tab still
 * loading), a click on one item (the popup closes), a side panel redrawn for its tab lost the rest
 * for good when shown once was gone (attack review, helper-42). Options lists it for as long as
 * the story is followed.
 */
export const NEWS_KEPT_MS = 24 * 60 * 60 * 1000;

/** Followed stories kept, and per story the known ids and found stories kept. */
export const MAX_FOLLOWED = 50;
export const MAX_KNOWN = 200;
export const MAX_FOUND = 30;

function isIso(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

/** A stored list of words (matched words, outlets): strings only, capped. */
function words(value: unknown, max: number): string[] {
  return Array.isArray(value)
    ? value
        .slice(0, max)
        .flatMap((w) => (typeof w === 'string' ? [cleanText(w, 100) ?? ''] : []))
        .filter(Boolean)
    : [];
}

function parseStory(raw: unknown): RelatedStory | null {
  const r = (raw ?? {}) as Record<string, unknown>;
  const id = typeof r.id === 'string' && r.id.length <= MAX_ARTICLE_ID ? r.id : null;
  const title = cleanText(r.title, 300);
  if (!id || !title) return null;
  return {
    id,
    title,
    source: cleanText(r.source, 100) ?? '',
    url: safeHttpUrl(r.url),
    publishedAt: isIso(r.publishedAt) ? r.publishedAt : null,
    label: r.label === 'same-story' ? 'same-story' : 'related',
    score: typeof r.score === 'number' && r.score >= 0 && r.score <= 1 ? r.score : 0,
    matchedWords: words(r.matchedWords, 12),
    alsoIn: words(r.alsoIn, 12),
  };
}

/** The stored list, checked at the storage boundary: a malformed record is dropped, not trusted. */
export function parseFollows(raw: unknown): FollowedStory[] {
  if (!Array.isArray(raw)) return [];
  const out: FollowedStory[] = [];
  for (const item of raw.slice(0, MAX_FOLLOWED)) {
    const r = (item ?? {}) as Record<string, unknown>;
    let page: PageInfo | null;
    try {
      page = parsePageInfo(r.page);
    } catch {
      page = null;
    }
    const key = typeof r.key === 'string' && r.key.length <= MAX_KEY ? r.key : null;
    if (!page || !key || !isIso(r.followedAt)) continue;
    const known = Array.isArray(r.known) ? r.known.filter((id): id is string => typeof id === 'string' && id.length <= MAX_ARTICLE_ID).slice(0, MAX_KNOWN) : [];
    const found: FoundStory[] = [];
    for (const f of Array.isArray(r.found) ? r.found.slice(0, MAX_FOUND) : []) {
      const entry = (f ?? {}) as Record<string, unknown>;
      const story = parseStory(entry.story);
      if (story && isIso(entry.foundAt)) {
        found.push({
          story,
          foundAt: entry.foundAt,
          seen: entry.seen === true,
          ...(entry.seen === true && isIso(entry.seenAt) ? { seenAt: entry.seenAt } : {}),
        });
      }
    }
    out.push({ key, page, followedAt: r.followedAt, known, found });
  }
  return out;
}

/** Follows a page's story (following it again keeps what was found), newest first. */
export function followStory(list: readonly FollowedStory[], key: string, page: PageInfo, knownIds: readonly string[], now: Date): FollowedStory[] {
  const existing = list.find((s) => s.key === key);
  const story: FollowedStory = existing
    ? { ...existing, page }
    : { key, page, followedAt: now.toISOString(), known: [...new Set(knownIds)].slice(0, MAX_KNOWN), found: [] };
  return [story, ...list.filter((s) => s.key !== key)].slice(0, MAX_FOLLOWED);
}

export function unfollowStory(list: readonly FollowedStory[], key: string): FollowedStory[] {
  return list.filter((s) => s.key !== key);
}

/**
 * Records what the engine matched to a followed story among newly added articles; stories it
 * knew already are skipped. Returns the list and how many stories were new.
 */
export function addFound(list: readonly FollowedStory[], key: string, matches: readonly RelatedStory[], now: Date): { list: FollowedStory[]; added: number } {
  let added = 0;
  const next = list.map((s) => {
    if (s.key !== key) return s;
    const known = new Set(s.known);
    const fresh = matches.filter((m) => !known.has(m.id) && !s.found.some((f) => f.story.id === m.id));
    added = fresh.length;
    if (!added) return s;
    const at = now.toISOString();
    return {
      ...s,
      known: [...fresh.map((m) => m.id), ...s.known].slice(0, MAX_KNOWN),
      found: [...fresh.map((story) => ({ story, foundAt: at, seen: false })), ...s.found].slice(0, MAX_FOUND),
    };
  });
  return { list: next, added };
}

/** The found stories the popup has not shown, or first showed less than NEWS_KEPT_MS ago. */
export function recent(story: FollowedStory, now: number): RelatedStory[] {
  return story.found.filter((f) => !f.seen || (f.seenAt !== undefined && now - Date.parse(f.seenAt) < NEWS_KEPT_MS)).map((f) => f.story);
}

/** Whether any followed story has news: the toolbar's mark. */
export function hasUnseen(list: readonly FollowedStory[]): boolean {
  return list.some((s) => s.found.some((f) => !f.seen));
}

/** Marks these stories' found coverage as shown, now (what was shown before keeps its time). */
export function markSeen(list: readonly FollowedStory[], keys: readonly string[], now: Date): FollowedStory[] {
  const marked = new Set(keys);
  const at = now.toISOString();
  return list.map((s) =>
    marked.has(s.key) && s.found.some((f) => !f.seen) ? { ...s, found: s.found.map((f) => (f.seen ? f : { ...f, seen: true, seenAt: at })) } : s,
  );
}

export function toFollowedView(story: FollowedStory): FollowedView {
  return {
    key: story.key,
    headline: story.page.headline,
    source: story.page.siteName,
    url: story.page.url,
    followedAt: story.followedAt,
    found: story.found.length,
    unseen: story.found.filter((f) => !f.seen).length,
    // What Options needs to list them, no more: 50 stories x MAX_FOUND whole records was megabytes (helper-43).
    stories: story.found.map(({ story: f }) => ({ ...f, matchedWords: [], alsoIn: [] })),
  };
}
