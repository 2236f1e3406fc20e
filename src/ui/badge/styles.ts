import { colourRules, DARK, LIGHT } from './theme';

/**
 * Badge and card styles, inside the shadow root: page CSS cannot reach in (even
 * `* { all: unset !important }`), ours cannot leak out.
 *
 * Placement (issue 10, item 4): the badge is in-flow inline content after the headline's last
 * word, taking its own inline space, so it never sits over page text and wraps to the next line
 * rather than running past the right edge. It used to be absolutely positioned with no size
 * (no layout shift), and on 5 of 32 grid headlines and in paragraphs it covered the words after
 * the headline; one widened the page. The host itself is `display: contents` (no box of its own:
 * its size, offsets and style say nothing); the `.wrap` inside is what takes the space. A page can
 * see that space by measuring its own text, as it could always see where the badge paints by hit
 * tests, which is why every badge has one width: the widest labels (up to two digits, tabular) sit
 * unseen in the same grid cell as its text, so "1 related" is as wide as "10 related", and whether
 * any story is a report of the same story shows only in colour (a page can measure its own layout,
 * never read a closed shadow root's paint).
 * The opened card is a popover in the top layer, fixed to the viewport (badge.ts places it), so an
 * ancestor's `overflow: hidden` cannot clip it and it cannot widen the page; it has one height
 * whatever it lists, so its size does not tell the count either.
 * Every text is generated content from `data-text` (badge.ts, `showText`): painted and read out
 * by screen readers, but not found by a page's `window.find()`.
 * The card reads left to right as its English words do, whatever the page's direction (`all:
 * initial` does not reset it); each headline link carries its own direction (badge.ts).
 * Colours come from the theme tokens (theme.ts), after the layout rules: `all: unset` in a layout
 * rule would otherwise undo them.
 */
export const BADGE_CSS = `
:host { all: initial !important; display: contents !important; width: 0 !important; height: 0 !important; }
.wrap { display: inline-block; position: relative; margin: 0; margin-inline-start: 6px; vertical-align: middle; white-space: nowrap; text-indent: 0; font: 600 11px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
[data-text]::before { content: attr(data-text); }
button.badge { all: unset; box-sizing: border-box; font-variant-numeric: tabular-nums; display: inline-flex; align-items: center; gap: 4px; height: 22px; padding: 0 8px; border-radius: 11px;
  border: 1px solid; white-space: nowrap; cursor: pointer; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
button.badge:focus-visible { outline: 2px solid; outline-offset: 2px; }
.face { display: inline-grid; }
.face > span { grid-area: 1 / 1; text-align: center; }
.face > .sizer { visibility: hidden; }
.card { position: fixed; inset: auto; top: 0; left: 0; margin: 0; width: 340px; max-width: calc(100vw - 16px); height: 360px; max-height: calc(100vh - 16px); overflow: auto; box-sizing: border-box; padding: 10px 12px;
  border: 1px solid; border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.18); font: 400 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: start; direction: ltr; white-space: normal; z-index: 2147483647; }
.card h2 { all: unset; display: block; font-weight: 700; font-size: 12px; margin-bottom: 6px; }
.card ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.card a { display: block; font-weight: 600; text-decoration: none; overflow-wrap: anywhere; }
.card .meta { overflow-wrap: anywhere; }
.card a:hover { text-decoration: underline; }
.card a:focus-visible { outline: 2px solid; outline-offset: 1px; }
.card .meta { font-size: 11px; margin-top: 2px; }
.chip { border-radius: 999px; padding: 0 6px; font-size: 10px; font-weight: 700; margin-inline-end: 4px; }
${colourRules(LIGHT)}
@media (prefers-color-scheme: dark) {
${colourRules(DARK)}
}
`;
