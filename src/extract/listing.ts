import { safeHttpUrl } from '../core/links';
import { statedDate } from '../core/time';

/**
 * Finds the headline links of a front page or section page: anchors whose text reads as a
 * headline, skipping navigation, bylines, "Read more" links, tags and ads. Pure DOM, no extension API.
 */

export interface HeadlineLink {
  anchor: HTMLAnchorElement;
  text: string;
  url: string;
  /** A time stated next to the headline (<time datetime>), when the card has one. */
  publishedAt: string | null;
}

const MIN_CHARS = 20;
const MAX_CHARS = 300;
const MIN_WORDS = 4;

// Where headline-looking links are navigation or furniture (selectors checked November 2026).
const EXCLUDED_CONTAINERS = [
  'nav',
  'footer',
  '[role="navigation"]',
  '[role="menu"]',
  '[role="menubar"]',
  '[role="contentinfo"]',
  '[aria-label*="breadcrumb" i]',
  '.breadcrumb',
  '.breadcrumbs',
  '[class*="byline" i]',
  '[class*="author" i]',
  '[class*="tag-list" i]',
  '[class~="tags" i]',
  '[class*="sponsor" i]',
  '[class*="advert" i]',
  '[id*="advert" i]',
  '[data-ad]',
  '[class~="ad" i]',
  '[class^="ad-" i]',
  '[class*=" ad-" i]',
  '[class*="adslot" i]',
  '[class*="promo" i]',
  '[aria-label*="advertisement" i]',
  '[class*="share" i]',
  '[class*="social" i]',
  '[class*="cookie" i]',
  '[class*="newsletter" i]',
].join(',');

const HEADLINE_CONTEXT = 'h1, h2, h3, h4, [role="heading"], [class*="headline" i], [class*="title" i]';
const CARD_CONTEXT = 'article, li, [class*="card" i], [class*="story" i], [class*="teaser" i], [class*="item" i]';

const NOT_HEADLINES =
  /^(read more|read the full story|more|continue reading|see all|see more|view all|subscribe|sign in|log in|sign up|share|comments?|\d+ comments?|advertisement|sponsored|watch|listen|live|video|photos?|next|previous|menu|skip to .*)$/i;
const BYLINE = /^(by|von|par|por|di)\s/i;

function words(text: string): number {
  // Scripts written without spaces count characters instead.
  if (/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(text)) return Math.floor(text.length / 3);
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

const INNER_HEADING = 'h1, h2, h3, h4, [class*="headline" i]';

/** A link's headline: the heading inside it when it wraps a whole card, else all its text. */
function linkText(anchor: HTMLAnchorElement, heading: Element | null = anchor.querySelector(INNER_HEADING)): string {
  return ((heading ?? anchor).textContent ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * The date stated in the headline's own card. A card holding more than one headline heading is a
 * wrapper of several stories ("news-items", or a body classed "template-story"), whose first
 * <time> is another story's (attack review, helper-38): no date then. A heading of a word or two
 * is a label ("Politics" above the headline: review, helper-39), not a story. Each card is counted
 * once a pass.
 */
function nearbyTime(anchor: Element, cards: Map<Element, boolean>): string | null {
  const card = anchor.parentElement?.closest(CARD_CONTEXT) ?? anchor.parentElement;
  if (!card) return null;
  let own = cards.get(card);
  if (own === undefined) {
    let headlines = 0;
    for (const heading of card.querySelectorAll('h1, h2, h3, h4')) if (words(heading.textContent ?? '') >= 3 && ++headlines > 1) break;
    own = headlines <= 1;
    cards.set(card, own);
  }
  return own ? statedDate(card.querySelector('time[datetime]')?.getAttribute('datetime')) : null;
}

/** Host (with port) and path of an address as URL#href writes it: no second parse per link. */
const HOST_AND_PATH = /^https?:\/\/(?:[^@/?#]*@)?([^/?#]*)([^?#]*)/;

/**
 * Whether the element or an ancestor is navigation or furniture: `closest(EXCLUDED_CONTAINERS)`,
 * remembering each element's answer for the pass, since the links of one page share most of their
 * ancestors (a 600-link page asked the same 27 selectors of <main> and <body> 600 times).
 */
function excluded(element: Element, known: Map<Element, boolean>): boolean {
  const unknown: Element[] = [];
  let answer = false;
  for (let node: Element | null = element; node; node = node.parentElement) {
    const seen = known.get(node);
    if (seen !== undefined) {
      answer = seen;
      break;
    }
    unknown.push(node);
    if (node.matches(EXCLUDED_CONTAINERS)) {
      answer = true;
      break;
    }
  }
  for (const node of unknown) known.set(node, answer);
  return answer;
}

/**
 * The link's address and headline when it reads as one, else null. Each link is resolved and read
 * once (a listing page has hundreds: RELIABILITY row 14), with the page's own address parsed by the caller.
 */
function readHeadlineLink(anchor: HTMLAnchorElement, baseUrl: string, page: URL, known: Map<Element, boolean>): { url: string; text: string } | null {
  const href = anchor.getAttribute('href');
  if (!href || href.startsWith('#')) return null;
  const url = safeHttpUrl(href, baseUrl);
  const target = url ? HOST_AND_PATH.exec(url) : null;
  if (!url || !target) return null;
  const [, host, path] = target;
  // The front page itself, or a section index, is not a story.
  if (path === '/' || (host === page.host && path === page.pathname)) return null;
  const heading = anchor.querySelector(INNER_HEADING);
  const text = linkText(anchor, heading);
  if (text.length < MIN_CHARS || text.length > MAX_CHARS) return null;
  if (NOT_HEADLINES.test(text) || BYLINE.test(text)) return null;
  if (excluded(anchor, known)) return null;
  const count = words(text);
  if (count < MIN_WORDS) return null;
  if (heading !== null || anchor.closest(HEADLINE_CONTEXT) !== null) return { url, text };
  const inCard = anchor.closest(CARD_CONTEXT) !== null;
  // Outside headings, ask for a longer, sentence-like text: menus and tag clouds are short.
  return (inCard && count >= 6) || count >= 8 ? { url, text } : null;
}

/** The links under `root` (the root itself when it is one), in document order. */
export function anchorsUnder(root: ParentNode): HTMLAnchorElement[] {
  // Duck-typed rather than `instanceof Element`: the DOM may come from another realm (a test DOM).
  const self = root as Partial<Element>;
  const anchors = typeof self.matches === 'function' && self.matches('a[href]') ? [root as HTMLAnchorElement] : [];
  anchors.push(...(root.querySelectorAll('a[href]') as NodeListOf<HTMLAnchorElement>));
  return anchors;
}

/**
 * Reads links of one page one at a time, as a headline or null, with the page's address parsed
 * once and the furniture answers shared: the content script reads a big page's links in slices
 * (src/content/slices.ts) with this. Links resolve against `baseUrl`, the document's base (a
 * `<base href>` moves it), as the browser follows them; "the page itself" is `pageUrl`.
 */
export function headlineReader(pageUrl: string, baseUrl: string = pageUrl): (anchor: HTMLAnchorElement) => HeadlineLink | null {
  const page = new URL(pageUrl);
  const known = new Map<Element, boolean>();
  const cards = new Map<Element, boolean>();
  return (anchor) => {
    const link = readHeadlineLink(anchor, baseUrl, page, known);
    return link ? { anchor, text: link.text, url: link.url, publishedAt: nearbyTime(anchor, cards) } : null;
  };
}

/**
 * Headline links under `root` (the whole document, or nodes an infinite scroll just added),
 * one per target URL, in document order.
 */
export function findHeadlineLinks(root: ParentNode, pageUrl: string, seen: Set<string> = new Set(), baseUrl: string = pageUrl): HeadlineLink[] {
  const found: HeadlineLink[] = [];
  const read = headlineReader(pageUrl, baseUrl);
  for (const anchor of anchorsUnder(root)) {
    const link = read(anchor);
    if (!link || seen.has(link.url)) continue;
    seen.add(link.url);
    found.push(link);
  }
  return found;
}
