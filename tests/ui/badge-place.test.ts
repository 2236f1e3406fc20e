import { describe, expect, it } from 'vitest';
import { EDGE_PX, placeCard } from '../../src/ui/badge/place';

const viewport = { width: 1280, height: 720 };
const card = { width: 340, height: 360 };
const inside = (at: { left: number; top: number }, size = card) =>
  at.left >= EDGE_PX && at.top >= EDGE_PX && at.left + size.width <= viewport.width - EDGE_PX && at.top + size.height <= viewport.height - EDGE_PX;

describe('where an opened badge card goes (issue 10, item 4)', () => {
  it('opens below its badge, left-aligned with it, when there is room', () => {
    expect(placeCard({ left: 100, top: 50, width: 90, height: 22 }, card, viewport)).toEqual({ left: 100, top: 76 });
  });

  it('moves left rather than run past the right edge (the card that widened the page and was cut off)', () => {
    const at = placeCard({ left: 1200, top: 50, width: 90, height: 22 }, card, viewport);
    expect(at.left).toBe(1280 - 340 - EDGE_PX);
    expect(inside(at)).toBe(true);
  });

  it('opens above its badge near the bottom of the viewport, and never above the top', () => {
    expect(placeCard({ left: 100, top: 600, width: 90, height: 22 }, card, viewport)).toEqual({ left: 100, top: 600 - 4 - 360 });
    // A badge in the middle of a short viewport: neither below nor above fits, so it is held inside.
    const short = { width: 1280, height: 400 };
    const at = placeCard({ left: 100, top: 150, width: 90, height: 22 }, card, short);
    expect(at.top).toBe(400 - 360 - EDGE_PX);
  });

  it('stays inside for a badge scrolled partly out of view, left or right', () => {
    for (const left of [-60, 1275]) expect(inside(placeCard({ left, top: 40, width: 90, height: 22 }, card, viewport))).toBe(true);
  });
});
