import type { HeadlineMatch } from '../../core/article';
import { storyHref } from '../../core/links';
import { textDirection } from '../../core/words';
import { placeCard } from './place';
import { BADGE_CSS } from './styles';

/** The custom element name of a badge host; the content script ignores its own insertions by it. */
export const BADGE_TAG = 'storyline-badge';

/** The strings a badge shows, resolved by the content script through i18n. */
export interface BadgeStrings {
  /** The visible text: the number of stories, whatever their labels ("3 related"). */
  label: (total: number) => string;
  /** The button's accessible name, from its visible text (which it must contain), and how many are the same story. */
  accessibleName: (label: string, same: number) => string;
  /** Labels as wide as any can be: every badge is drawn as wide as the widest, whatever its count. */
  widest?: readonly string[];
  cardTitle: string;
  sameStory: string;
  related: string;
  timeAgo: (iso: string | null) => string;
}

let openCard: { close: (restoreFocus: boolean) => void } | null = null;

/** Each host's badge (the box that takes the space), for the content script's fit check only. */
const badgeOf = new WeakMap<HTMLElement, HTMLElement>();

/**
 * Where a mounted badge is painted, in viewport pixels (the host itself has no box). Held in this
 * module's scope, in the content script's world: the page cannot reach it.
 */
export function badgeBox(host: HTMLElement): DOMRect | null {
  return badgeOf.get(host)?.getBoundingClientRect() ?? null;
}

/** Per page document, an inert document (no window, so no custom element registry) to make hosts in. */
const inertDocs = new WeakMap<Document, Document>();

/**
 * A host element with a closed shadow root, owned by `doc` but not yet in it. The host is made in an
 * inert document, not the page's: a page can define its own `storyline-badge` custom element, and a
 * root attached to an element that is already custom is handed to the page's
 * `attachInternals().shadowRoot`, closed or not. A host from the inert document is not custom when
 * its root is attached, so the page's element internals never see the root, even when the page
 * upgrades the host as it enters the page.
 */
function createHost(doc: Document): { host: HTMLElement; root: ShadowRoot } {
  let inert = inertDocs.get(doc);
  if (!inert) {
    inert = doc.implementation.createHTMLDocument('');
    inertDocs.set(doc, inert);
  }
  const host = inert.createElement(BADGE_TAG);
  const root = host.attachShadow({ mode: 'closed' });
  return { host: doc.adoptNode(host), root };
}

/**
 * A small "3 related" button after a headline, in its own shadow root, that opens a card of the
 * stories as links. Every piece of page or feed text is shown as text (an attribute that CSS shows,
 * never markup); links only http(s).
 *
 * The page must learn nothing from a badge but that it is there (issue 9, finding 2): the root is
 * closed and referenced only from this closure, the host carries no count, text, `part` or
 * reference (its one attribute, `open`, says a person opened the card, which the page sees anyway
 * from where focus went), it has no box of its own (styles.ts: the badge inside takes inline space
 * after the headline, as wide whatever its count and labels: see `widest`), its text cannot be searched
 * for, and every handler ignores events a page script made (`isTrusted` false): only a person's
 * click, key or tap opens or closes a card.
 */
export function mountBadge(
  anchor: Element,
  match: HeadlineMatch,
  strings: BadgeStrings,
  doc: Document = document,
  placement: 'after-link' | 'inside-end' = 'after-link',
): HTMLElement {
  const { host, root } = createHost(doc);
  const style = doc.createElement('style');
  style.textContent = BADGE_CSS;
  const wrap = doc.createElement('span');
  wrap.className = 'wrap';
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'badge';
  const label = strings.label(match.total);
  button.setAttribute('aria-label', strings.accessibleName(label, match.same));
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-haspopup', 'dialog');
  // Reports of the same story among them: the badge is green (painted, never measured by the page).
  if (match.same > 0) button.classList.add('same');
  // The text, with the widest labels stacked under it unseen: one width for every count.
  const face = doc.createElement('span');
  face.className = 'face';
  const text = doc.createElement('span');
  showText(text, label);
  face.append(text);
  for (const wide of strings.widest ?? []) {
    const sizer = doc.createElement('span');
    sizer.className = 'sizer';
    showText(sizer, wide);
    face.append(sizer);
  }
  button.append(face);
  wrap.append(button);
  root.append(style, wrap);
  badgeOf.set(host, wrap);

  let card: HTMLElement | null = null;
  const onOutside = (event: Event) => {
    if (event.isTrusted && !event.composedPath().includes(host)) close(false);
  };
  // Listeners that live while a card is open: an outside press closes it, scrolling moves it.
  let opened: AbortController | null = null;
  const close = (restoreFocus: boolean) => {
    if (!card) return;
    opened?.abort();
    opened = null;
    card.remove();
    card = null;
    openCard = null;
    host.removeAttribute('open');
    button.setAttribute('aria-expanded', 'false');
    if (restoreFocus) button.focus();
  };
  const open = () => {
    openCard?.close(false);
    card = renderCard(doc, match, strings);
    const shown = card;
    wrap.append(shown);
    host.setAttribute('open', '');
    // The top layer (a manual popover: we decide when it closes) is above everything and outside
    // every ancestor's overflow clip and transform. Where the browser has no popovers the card is
    // still fixed to the viewport, unless an ancestor's transform makes that ancestor its frame.
    if (typeof shown.showPopover === 'function') {
      shown.setAttribute('popover', 'manual');
      shown.showPopover();
    }
    opened = new AbortController();
    const place = () => {
      const view = doc.defaultView;
      if (!view) return;
      const size = shown.getBoundingClientRect();
      // The viewport less its scroll bars (a card under the scroll bar is cut off too): the
      // scrolling element's client size, which is <body>'s on a page without a doctype (BBC's
      // saved page), where <html>'s client height is the whole document's.
      const scroller = doc.scrollingElement ?? doc.documentElement;
      const viewport = { width: scroller.clientWidth || view.innerWidth, height: scroller.clientHeight || view.innerHeight };
      const at = placeCard(wrap.getBoundingClientRect(), size, viewport);
      shown.style.setProperty('left', `${at.left}px`);
      shown.style.setProperty('top', `${at.top}px`);
    };
    place();
    const listen = { capture: true, passive: true, signal: opened.signal };
    doc.addEventListener('scroll', place, listen);
    doc.defaultView?.addEventListener('resize', place, listen);
    doc.addEventListener('pointerdown', onOutside, { capture: true, signal: opened.signal });
    button.setAttribute('aria-expanded', 'true');
    openCard = { close };
    shown.querySelector('a')?.focus();
  };
  button.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    // Enter and Space on the button reach here as a click the browser made: trusted too.
    if (!event.isTrusted) return;
    if (card) close(true);
    else open();
  });
  // Focus leaving the badge (Tab past the card's last link, a click on another control) closes
  // its card. Checked a moment later, once focus has landed: while it is anywhere inside, the
  // page's active element is the host. A window that lost focus (another tab, devtools) keeps
  // the card open for when the person comes back.
  wrap.addEventListener('focusout', (event) => {
    if (!event.isTrusted || !card) return;
    setTimeout(() => {
      if (card && doc.hasFocus() && doc.activeElement !== host) close(false);
    }, 0);
  });
  wrap.addEventListener('keydown', (event) => {
    if (event.isTrusted && event.key === 'Escape' && card) {
      event.stopPropagation();
      close(true);
    }
  });
  // A badge inside a link must not follow the link when used.
  host.addEventListener('click', (event) => event.stopPropagation());
  // At the end of the headline's text: inside a heading the link wraps, else right after the link.
  const heading = placement === 'inside-end' ? anchor : anchor.querySelector('h1, h2, h3, h4, h5, h6');
  if (heading) heading.append(host);
  else anchor.after(host);
  return host;
}

/**
 * Shows text as CSS generated content (`[data-text]::before`, see styles.ts) instead of text nodes.
 * A closed root hides its nodes from page scripts, but not its text from `window.find()`: a page
 * could ask `find('3 related')` or `find('<a headline>')` and learn the count or an open card's
 * stories. Generated content is painted and read out by screen readers (it is in the
 * accessibility tree) but is not searchable or selectable, and the attribute is inside the root.
 */
function showText(el: HTMLElement, text: string): void {
  el.setAttribute('data-text', text);
}

function renderCard(doc: Document, match: HeadlineMatch, strings: BadgeStrings): HTMLElement {
  const card = doc.createElement('div');
  card.className = 'card';
  card.setAttribute('role', 'dialog');
  card.setAttribute('aria-label', strings.cardTitle);
  const title = doc.createElement('h2');
  showText(title, strings.cardTitle);
  const list = doc.createElement('ul');
  list.setAttribute('aria-label', strings.cardTitle);
  for (const story of match.stories) {
    const item = doc.createElement('li');
    const link = doc.createElement('a');
    link.setAttribute('href', storyHref(story));
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
    showText(link, story.title);
    // An Arabic or Hebrew headline reads right to left on any page (dir="auto" cannot see generated text).
    const direction = textDirection(story.title);
    if (direction) link.setAttribute('dir', direction);
    const meta = doc.createElement('div');
    meta.className = 'meta';
    const chip = doc.createElement('span');
    chip.className = `chip ${story.label}`;
    showText(chip, story.label === 'same-story' ? strings.sameStory : strings.related);
    const ago = strings.timeAgo(story.publishedAt);
    const source = doc.createElement('span');
    // The outlet isolated (FSI…PDI): a right-to-left name must not pull the age into it.
    const outlet = `\u2068${story.source}\u2069`;
    showText(source, ago ? `${outlet} · ${ago}` : outlet);
    meta.append(chip, source);
    item.append(link, meta);
    list.append(item);
  }
  card.append(title, list);
  return card;
}

/**
 * Closes the open card and takes badges away: the ones given, or every one in the document. A
 * session takes away only its own: after the extension is reloaded, the old script's badges go
 * and the new script's, in the same page, stay (RELIABILITY row 7).
 */
export function unmountAll(doc: Document = document, hosts?: Iterable<Element>): void {
  openCard?.close(false);
  for (const host of hosts ?? doc.querySelectorAll(BADGE_TAG)) host.remove();
}
