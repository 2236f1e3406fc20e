import type { HeadlineMatch } from '../../core/article';
import { storyHref } from '../../core/links';
import { BADGE_CSS } from './styles';

/** The custom element name of a badge host; the content script ignores its own insertions by it. */
export const BADGE_TAG = 'storyline-badge';

/** The strings a badge shows, resolved by the content script through i18n. */
export interface BadgeStrings {
  label: (total: number, same: number) => string;
  accessibleName: (total: number) => string;
  cardTitle: string;
  sameStory: string;
  related: string;
  timeAgo: (iso: string | null) => string;
}

let openCard: { close: (restoreFocus: boolean) => void } | null = null;

/**
 * A small "3 related" button after a headline, in its own shadow root, that opens a card of the
 * stories as links. Every piece of page or feed text is set with textContent; links only http(s).
 */
export function mountBadge(
  anchor: Element,
  match: HeadlineMatch,
  strings: BadgeStrings,
  doc: Document = document,
  placement: 'after-link' | 'inside-end' = 'after-link',
): HTMLElement {
  const host = doc.createElement(BADGE_TAG);
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = BADGE_CSS;
  const wrap = doc.createElement('span');
  wrap.className = 'wrap';
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'badge';
  button.setAttribute('aria-label', strings.accessibleName(match.total));
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-haspopup', 'dialog');
  button.textContent = strings.label(match.total, match.same);
  wrap.append(button);
  root.append(style, wrap);

  let card: HTMLElement | null = null;
  const onOutside = (event: Event) => {
    if (!event.composedPath().includes(host)) close(false);
  };
  const close = (restoreFocus: boolean) => {
    if (!card) return;
    card.remove();
    card = null;
    openCard = null;
    host.removeAttribute('open');
    button.setAttribute('aria-expanded', 'false');
    doc.removeEventListener('pointerdown', onOutside, true);
    if (restoreFocus) button.focus();
  };
  const open = () => {
    openCard?.close(false);
    card = renderCard(doc, match, strings);
    wrap.append(card);
    host.setAttribute('open', '');
    // Near the right edge, open leftwards rather than past the viewport.
    const view = doc.defaultView;
    if (view && card.getBoundingClientRect().right > view.innerWidth - 8) card.classList.add('flip');
    button.setAttribute('aria-expanded', 'true');
    openCard = { close };
    doc.addEventListener('pointerdown', onOutside, true);
    card.querySelector('a')?.focus();
  };
  button.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    if (card) close(true);
    else open();
  });
  wrap.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && card) {
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

function renderCard(doc: Document, match: HeadlineMatch, strings: BadgeStrings): HTMLElement {
  const card = doc.createElement('div');
  card.className = 'card';
  card.setAttribute('role', 'dialog');
  card.setAttribute('aria-label', strings.cardTitle);
  const title = doc.createElement('h2');
  title.textContent = strings.cardTitle;
  const list = doc.createElement('ul');
  list.setAttribute('aria-label', strings.cardTitle);
  for (const story of match.stories) {
    const item = doc.createElement('li');
    const link = doc.createElement('a');
    link.setAttribute('href', storyHref(story));
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
    link.textContent = story.title;
    const meta = doc.createElement('div');
    meta.className = 'meta';
    const chip = doc.createElement('span');
    chip.className = `chip ${story.label}`;
    chip.textContent = story.label === 'same-story' ? strings.sameStory : strings.related;
    const ago = strings.timeAgo(story.publishedAt);
    meta.append(chip, doc.createTextNode(ago ? `${story.source} · ${ago}` : story.source));
    item.append(link, meta);
    list.append(item);
  }
  card.append(title, list);
  return card;
}

export function unmountAll(doc: Document = document): void {
  openCard?.close(false);
  for (const host of doc.querySelectorAll(BADGE_TAG)) host.remove();
}
