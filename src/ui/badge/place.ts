/** A rectangle in viewport pixels, as getBoundingClientRect gives it. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Room kept between the card and the viewport's edges, and between the card and its badge. */
export const EDGE_PX = 8;
const GAP_PX = 4;

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(value, max));

/**
 * Where an opened card goes, in viewport pixels (it is shown in the top layer, fixed to the
 * viewport, so no ancestor's `overflow: hidden` clips it and it never widens the page):
 * below the badge, left-aligned with it; moved left when it would pass the right edge, above the
 * badge when there is no room below, and always inside the viewport (issue 10: a card opened near
 * the right edge ran past it and was cut off). Pure.
 */
export function placeCard(badge: Box, card: { width: number; height: number }, viewport: { width: number; height: number }): { left: number; top: number } {
  const left = clamp(badge.left, EDGE_PX, viewport.width - card.width - EDGE_PX);
  const below = badge.top + badge.height + GAP_PX;
  const above = badge.top - GAP_PX - card.height;
  let top = below;
  if (below + card.height > viewport.height - EDGE_PX) top = above >= EDGE_PX ? above : viewport.height - card.height - EDGE_PX;
  return { left: Math.max(EDGE_PX, left), top: Math.max(EDGE_PX, top) };
}
