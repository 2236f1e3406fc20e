/**
 * Returns the link as an absolute http(s) URL string, or null for anything else
 * (`javascript:`, `data:`, `file:`, protocol-relative or relative links without a base, ...).
 * Page and feed text is never trusted to be a safe link.
 */
export function safeHttpUrl(raw: unknown, base?: string): string | null {
  if (typeof raw !== 'string') return null;
  // Strip the characters the URL parser ignores anyway, so "java\tscript:" cannot slip past.
  const cleaned = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!cleaned) return null;
  let url: URL;
  try {
    url = base ? new URL(cleaned, base) : new URL(cleaned);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  return url.href;
}

/** A URL reduced to what identifies the article: no hash, no tracking parameters, no trailing slash. */
export function articleKey(raw: string | null | undefined): string | null {
  const href = safeHttpUrl(raw ?? '');
  if (!href) return null;
  const url = new URL(href);
  url.hash = '';
  for (const name of Array.from(url.searchParams.keys())) {
    if (/^(utm_|fbclid$|gclid$|ocid$|cmpid$|ref$|src$)/i.test(name)) url.searchParams.delete(name);
  }
  const host = url.hostname.replace(/^(www|m|amp)\./, '');
  const path = url.pathname.replace(/\/+$/, '');
  return `${host}${path}${url.search}`;
}

/**
 * Where a story's link goes: its own http(s) link, or a web search for its headline when the
 * library has no link for it (the bundled seed articles). Used by the popup and the badge card.
 */
export function storyHref(story: { url: string | null; title: string; source: string }): string {
  return safeHttpUrl(story.url) ?? `https://duckduckgo.com/?q=${encodeURIComponent(`${story.title} ${story.source}`)}`;
}
