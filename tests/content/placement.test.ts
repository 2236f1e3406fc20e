// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { badgeSpot, fitsItsBlock, type Layout } from '../../src/content/placement';

const TITLE = 'Ghost Recon Wildlands open beta is now live for everyone';

afterEach(() => document.body.replaceChildren());

/** The page's markup, parsed as a page would be (test markup, not page text). */
function page(html: string): void {
  document.body.replaceChildren(...new DOMParser().parseFromString(html, 'text/html').body.childNodes);
}

describe('where a headline’s badge goes (issue 10, item 4)', () => {
  it('after the link, in the flow, when the link is on a line of text', () => {
    page(`<article><h3><a href="/a">${TITLE}</a></h3></article>`);
    const anchor = document.querySelector('a')!;
    expect(badgeSpot(anchor, TITLE)).toEqual({ element: anchor, where: 'after-link' });
  });

  it('at the end of the card’s visible title when the link is an overlay taken out of the flow (Fandom’s video tiles)', () => {
    page(`<div class="video-post"><div class="thumbnail"><div class="thumbnail-inner"></div>
      <a href="/v" class="play-button-overlay" style="position: absolute; text-indent: -9999px">${TITLE}</a></div>
      <h3>  ${TITLE} </h3></div>`);
    expect(badgeSpot(document.querySelector('a')!, TITLE)).toEqual({ element: document.querySelector('h3'), where: 'inside-end' });
  });

  it('no badge for an overlay link with no visible title saying the same headline nearby', () => {
    page(`<div class="tile"><a href="/v" style="position: fixed">${TITLE}</a><h3>Another story entirely, told in other words</h3></div>`);
    expect(badgeSpot(document.querySelector('a')!, TITLE)).toBeNull();
  });
});

describe('a mounted badge that spills out of its headline’s block is taken away (issue 10, item 4)', () => {
  /** A heading 300 px wide and 60 px tall at (100, 100), with a link (inline) inside. */
  function setup() {
    page(`<div class="tile"><h3><a href="/a">${TITLE}</a><span id="host"></span></h3></div>`);
    const boxes = new Map<Element, { left: number; top: number; right: number; bottom: number }>([
      [document.querySelector('h3')!, { left: 100, top: 100, right: 400, bottom: 160 }],
    ]);
    const layout: Layout = {
      display: (element) => (element.tagName === 'A' || element.tagName === 'SPAN' ? 'inline' : 'block'),
      box: (element) => boxes.get(element) ?? { left: 0, top: 0, right: 1200, bottom: 5000 },
    };
    return { host: document.getElementById('host')!, layout };
  }
  const badge = (left: number, top: number, width = 90) => ({ left, top, right: left + width, bottom: top + 22, width });

  it('fits on a line of its heading', () => {
    const { host, layout } = setup();
    expect(fitsItsBlock(host, badge(300, 130), layout)).toBe(true);
  });

  it('does not fit past the heading’s right edge (a narrow tile, or the page’s edge) or below a fixed height', () => {
    const { host, layout } = setup();
    expect(fitsItsBlock(host, badge(350, 130), layout)).toBe(false);
    expect(fitsItsBlock(host, badge(120, 150), layout)).toBe(false);
  });

  it('a badge with no box (under a hidden element) is left alone', () => {
    const { host, layout } = setup();
    expect(fitsItsBlock(host, null, layout)).toBe(true);
    expect(fitsItsBlock(host, badge(0, 0, 0), layout)).toBe(true);
  });
});
