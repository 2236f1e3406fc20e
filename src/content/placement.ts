/**
 * Where a headline's badge goes (issue 10, item 4): in flow, after the headline's last visible
 * word, so it takes its own space and never sits over text. Reads the DOM, writes nothing.
 */
export interface BadgeSpot {
  element: Element;
  /** After the link (or at the end of the heading inside it), or at the end of a heading element. */
  where: 'after-link' | 'inside-end';
}

// A card's visible headline when its link is an overlay (selectors checked November 2026).
const HEADING = 'h1, h2, h3, h4, h5, h6, [class*="headline" i], [class*="title" i]';
/** How far up from the link a card's visible headline is looked for. */
const CARD_LEVELS = 3;

const squash = (text: string | null) => (text ?? '').replace(/[\s\u00a0]+/g, ' ').trim();

/**
 * The spot for a link whose headline is `text`, or null when there is none that fits. A link taken
 * out of the flow (an overlay over a thumbnail, its own text moved off screen: Fandom's video
 * tiles) has no line for a badge to join: after it, the badge landed inside the thumbnail and
 * spilled over the card's visible title. Its badge goes at the end of that title, the heading
 * nearby that says the same headline; with none, the headline gets no badge rather than one over
 * text.
 */
export function badgeSpot(anchor: HTMLElement, text: string): BadgeSpot | null {
  const view = anchor.ownerDocument.defaultView;
  const position = view ? view.getComputedStyle(anchor).position : 'static';
  if (position !== 'absolute' && position !== 'fixed') return { element: anchor, where: 'after-link' };
  let scope: Element | null = anchor.parentElement;
  for (let level = 0; scope && level < CARD_LEVELS; level++, scope = scope.parentElement) {
    for (const heading of scope.querySelectorAll(HEADING)) {
      if (!anchor.contains(heading) && !heading.contains(anchor) && squash(heading.textContent) === text) return { element: heading, where: 'inside-end' };
    }
  }
  return null;
}

/** Layout boxes of the element and its ancestors, as `fitsItsBlock` needs them. */
export interface Layout {
  display: (element: Element) => string;
  box: (element: Element) => { left: number; top: number; right: number; bottom: number };
}

/**
 * Whether a mounted badge (its painted box) lies inside the block that holds its line. In flow it
 * does, unless that block is too narrow for it or too short (a fixed height): then it spills over
 * the neighbouring card's text or past the page's right edge, and is better taken away (the saved
 * Fandom page, without its style sheets, has 12 px wide tile titles). A badge with no box (under a
 * hidden element) fits.
 */
export function fitsItsBlock(
  host: Element,
  badge: { left: number; top: number; right: number; bottom: number; width: number } | null,
  layout: Layout,
): boolean {
  if (!badge || badge.width === 0) return true;
  let block = host.parentElement;
  while (block && /^(inline|contents)/.test(layout.display(block))) block = block.parentElement;
  if (!block) return true;
  const area = layout.box(block);
  const SLACK = 1;
  return badge.left >= area.left - SLACK && badge.right <= area.right + SLACK && badge.top >= area.top - SLACK && badge.bottom <= area.bottom + SLACK;
}
