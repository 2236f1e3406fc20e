/**
 * The longest link read (raw or resolved), in characters. Real article addresses stay far under it;
 * a page's 30,000-character links were a cost for every later answer that compared them (attack
 * review, helper-32), and a link of 8 MB a stored record.
 */
export const MAX_URL = 4096;

/**
 * Returns the link as an absolute http(s) URL string, or null for anything else
 * (`javascript:`, `data:`, `file:`, protocol-relative or relative links without a base, one
 * longer than MAX_URL, ...), without any user name or password.
 * Page and feed text is never trusted to be a safe link.
 */
export function safeHttpUrl(raw: unknown, base?: string): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL) return null;
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
  // "https://www.bbc.co.uk@evil.example/" reads as the BBC and goes to evil.example: no news link
  // carries a user name, so none is kept (attack review, helper-38).
  url.username = '';
  url.password = '';
  if (!url.hostname || url.href.length > MAX_URL) return null;
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
 * Parameters outlets and platforms add to a link to count the click (BBC's at_medium, the Guardian's
 * CMP, the New York Times' smid and partner, Le Monde's xtor, Yahoo's ncid): never what names an article.
 */
const CLICK_TRACKING =
  /^(utm_|at_|ns_|mc_|fbclid$|gclid$|dclid$|msclkid$|igshid$|ocid$|cmpid$|cmp$|ref$|src$|smid$|smtyp$|partner$|xtor$|ncid$|ito$|ftag$|guccounter$|s_cid$)/i;

/**
 * A path whose last part names the article by itself: a static page ("…/hvk63.html"), a slug with
 * words ("/ukraine-talks-in-istanbul") or a long number ("/news/world-65432109"). A query on such an
 * address is tracking ("?hpt=ea_mid", "?ir=Food"), unless it holds an identifier: on
 * "/article.html?id=5" or "/story?p=…" the query is what names the page.
 */
const NAMED_BY_PATH = /\.s?html?$|[^-]-[^-]+-.|\d{5}/i;
const IDENTIFIER = /(id|^p|^page|^story|^article|^item|^post|^v|^no|^num)$/i;

/**
 * Every key under which two addresses are one article, for telling a page from its own copies (the
 * outlet's feed item, a "Read also" link back): articleKey, and the same without the click
 * tracking outlets add, or without any query where the path alone names the article. Stored ids
 * keep articleKey alone, so this can grow without changing them.
 */
export function sameArticleKeys(raw: string | null | undefined): string[] {
  const key = articleKey(raw);
  if (key === null) return [];
  const url = new URL(safeHttpUrl(raw ?? '')!);
  const host = url.hostname.replace(/^(www|m|amp)\./, '');
  const path = url.pathname.replace(/\/+$/, '');
  // The query's own text, less the tracking (URLSearchParams would re-encode what it keeps).
  const params = url.search
    .slice(1)
    .split('&')
    .filter((part) => part && !CLICK_TRACKING.test(paramName(part)));
  // Read in the path's last part only, where each alternative is one pass over the text: a page's
  // 40,000-character link took 4 s through a pattern that backtracked (attack review, helper-32).
  const named = NAMED_BY_PATH.test(path.slice(path.lastIndexOf('/') + 1)) && !params.some(identifies);
  const loose = named || params.length === 0 ? `${host}${path}` : `${host}${path}?${params.join('&')}`;
  return loose === key ? [key] : [key, loose];
}

/** A query parameter that names the page: a name that says so ("id", "p", "story"), or a number ("?entry=2", "?a=1"). */
function identifies(part: string): boolean {
  return IDENTIFIER.test(paramName(part)) || /^\d+$/.test(part.slice(part.indexOf('=') + 1));
}

function paramName(part: string): string {
  const name = part.split('=')[0];
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** A host without the prefixes one site serves the same pages under (www., m., amp., mobile.). */
function siteHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^(www|m|amp|mobile)\./, '');
}

/**
 * Whether two http(s) addresses are on one host, its www., m., amp. and mobile. copies aside (www.bbc.co.uk
 * and bbc.co.uk are; news.bbc.co.uk is not, nor is any other subdomain: on a shared platform,
 * evil.substack.com and victim.substack.com are different people's sites).
 */
export function sameHost(a: string, b: string): boolean {
  try {
    return siteHost(new URL(a).hostname) === siteHost(new URL(b).hostname);
  } catch {
    return false;
  }
}

/**
 * Where a story's link goes: its own http(s) link, or a web search for its headline when the
 * library has no link for it (the bundled seed articles). Used by the popup and the badge card.
 */
export function storyHref(story: { url: string | null; title: string; source: string }): string {
  return safeHttpUrl(story.url) ?? `https://duckduckgo.com/?q=${encodeURIComponent(`${story.title} ${story.source}`)}`;
}

/** Host names that only ever mean this computer or the local network (RFC 6761, RFC 8375, ICANN's .internal, common router defaults). */
const PRIVATE_SUFFIXES = ['localhost', 'local', 'lan', 'home.arpa', 'internal', 'intranet', 'localdomain', 'home', 'corp', 'private'];

function privateIPv4(a: number, b: number): boolean {
  return (
    a === 0 || // "this network"; 0.0.0.0 reaches this computer on most systems
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT, 100.64.0.0/10
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // 192.0.0.0/24 (192.0.2.0/24 documentation is harmless but rare)
    (a === 198 && (b === 18 || b === 19)) || // benchmarking networks
    a >= 224 // multicast, reserved, broadcast
  );
}

/** The 16-bit groups of one side of "::" ("fe80:0:1" -> [0xfe80, 0, 1]); NaN marks a bad group. */
function hexGroups(text: string): number[] {
  return text ? text.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : Number.NaN)) : [];
}

/** Whether the IPv4 address whose first 16 bits these are is private (privateIPv4 looks at no more). */
function privateHigh16(high16: number): boolean {
  return privateIPv4(high16 >> 8, high16 & 0xff);
}

/** The eight 16-bit groups of an IPv6 address (as the URL parser writes it, or with a dotted IPv4 tail); null if it is not one. */
function ipv6Groups(host: string): number[] | null {
  let text = host;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = hexGroups(halves[0]);
  const rest = halves.length === 2 ? hexGroups(halves[1]) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const groups = [...head, ...Array.from({ length: halves.length === 2 ? fill : 0 }, () => 0), ...rest];
  return groups.some(Number.isNaN) ? null : groups;
}

function privateIPv6(g: number[]): boolean {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8) || (zeros(0, 7) && g[7] === 1)) return true; // ::, ::1
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return privateHigh16(g[6]); // IPv4-mapped, IPv4-compatible
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return privateHigh16(g[6]); // NAT64 well-known prefix
  if (g[0] === 0x2002) return privateHigh16(g[1]); // 6to4 carries an IPv4 address
  return (
    (g[0] & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g[0] & 0xffc0) === 0xfe80 || // link local fe80::/10
    (g[0] & 0xffc0) === 0xfec0 || // site local fec0::/10 (deprecated, still routed on some networks)
    (g[0] & 0xff00) === 0xff00 // multicast
  );
}

/**
 * True for addresses on this computer or a private network: loopback, private, link-local,
 * carrier-grade NAT and reserved IPv4 ranges; the IPv6 loopback, unspecified, unique-local,
 * link-local, site-local and multicast ranges, and IPv6 forms that carry a private IPv4 address
 * ([::ffff:127.0.0.1]); names such as localhost (with or without a trailing dot), *.local, *.lan,
 * *.home.arpa, *.internal, and single-label names ("router"). The URL parser has already turned
 * numeric forms (2130706433, 0x7f.1) into dotted quads. A feed there is followed only after the
 * person confirms it, and the worker checks every fetch and every redirect (RELIABILITY row 29).
 * A public name whose DNS answer is private cannot be seen from here. Not a URL: false.
 */
export function isPrivateAddress(raw: string): boolean {
  let host: string;
  try {
    host = new URL(raw).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[')) {
    const groups = ipv6Groups(host.slice(1, -1));
    return groups === null || privateIPv6(groups);
  }
  host = host.replace(/\.+$/, '');
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (m) return privateIPv4(Number(m[1]), Number(m[2]));
  if (!host.includes('.')) return true;
  return PRIVATE_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/**
 * The site a host belongs to, read without a public-suffix list: its last two labels, or three
 * where the last two are short ("co.uk", "com.au"); an IP address is its own site. So
 * 1.evil.example and 2.evil.example are one site, and bbc.co.uk.evil.example is evil.example.
 */
export function siteOf(host: string): string {
  if (/^[\d.]+$/.test(host) || host.includes(':')) return host;
  const labels = host.split('.');
  const twoPart = labels.length >= 3 && labels[labels.length - 1].length <= 3 && labels[labels.length - 2].length <= 3;
  return labels.slice(twoPart ? -3 : -2).join('.');
}

/**
 * The outlet shown for an article whose name came from outside: the name it gives itself, with its
 * link's site beside it ("BBC News (bbc.co.uk)"), unless the name is the site (siteOf). A page chooses its
 * own og:site_name: one read on evil.example was listed in the popup as a BBC report of the story
 * (attack review, helper-30), and no reading of names and hosts tells every real outlet from an
 * impostor (nytimes.com is "The New York Times", news.example is not "BBC News"), so the address
 * is always shown. Feeds and imported files name their outlets the same way: an OPML file from
 * someone else can add a feed titled "BBC News" whose items link to news.example.
 */
export function outletWithSite(source: string, url: string | null): string {
  let host: string;
  try {
    // The site, not the whole host: "media.canberratimes.com.au" is canberratimes.com.au, and
    // "bbc.co.uk.evil.example" shows as evil.example, not as an address that begins "bbc.co.uk".
    host = siteOf(new URL(url ?? '').hostname.replace(/^www\./, '').replace(/\.$/, ''));
  } catch {
    return source;
  }
  // The name is left alone only when it is the address itself: compared through squash(),
  // "bbc.co.uk" on bbc-co.uk or bbcco.uk passed for its own host (attack review, helper-35).
  return source
    .trim()
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.$/, '') === host
    ? source
    : `${source} (${host})`;
}
