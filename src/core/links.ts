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

/**
 * True for addresses on this computer or a private network (localhost, 127/8, 10/8, 172.16/12,
 * 192.168/16, 169.254/16, ::1, fc00::/7, *.local): a feed there is followed only after the person
 * confirms it (RELIABILITY row 29).
 */
export function isPrivateAddress(raw: string): boolean {
  let host: string;
  try {
    host = new URL(raw).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host === '::1') return true;
  if (/^(fc|fd)[0-9a-f]{2}:/.test(host) || host.startsWith('fe80:')) return true;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}
