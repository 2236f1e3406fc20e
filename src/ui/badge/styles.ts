import { colourRules, DARK, LIGHT } from './theme';

/**
 * Badge and card styles, inside the shadow root: page CSS cannot reach in (even
 * `* { all: unset !important }`), ours cannot leak out. The host is absolutely positioned at its
 * static place (the end of the headline) with no size, so inserting a badge moves nothing on the
 * page (no layout shift); the badge overlays the space after the headline's last word.
 * Every text is generated content from `data-text` (badge.ts, `showText`): painted and read out
 * by screen readers, but not found by a page's `window.find()`. Counts use tabular digits, so "1
 * related" and "9 related" are the same width, and the open card has one height whatever it lists:
 * a page measuring what the badge paints (hit tests, scroll sizes) does not learn the count.
 * Colours come from the theme tokens (theme.ts), after the layout rules: `all: unset` in a layout
 * rule would otherwise undo them.
 */
export const BADGE_CSS = `
:host { all: initial !important; display: inline !important; position: absolute !important; width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483000 !important; }
:host([open]) { z-index: 2147483647 !important; }
.wrap { position: absolute; left: 6px; top: 0; z-index: 2147483000; font: 600 11px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
[data-text]::before { content: attr(data-text); }
button.badge { all: unset; box-sizing: border-box; font-variant-numeric: tabular-nums; display: inline-flex; align-items: center; gap: 4px; height: 22px; padding: 0 8px; border-radius: 11px;
  border: 1px solid; white-space: nowrap; cursor: pointer; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
button.badge:focus-visible { outline: 2px solid; outline-offset: 2px; }
.card { position: absolute; top: 26px; left: 0; width: 340px; max-width: 80vw; height: 360px; max-height: 80vh; overflow: auto; box-sizing: border-box; padding: 10px 12px;
  border: 1px solid; border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.18); font: 400 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; }
.card.flip { left: auto; right: -60px; }
.card h2 { all: unset; display: block; font-weight: 700; font-size: 12px; margin-bottom: 6px; }
.card ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.card a { font-weight: 600; text-decoration: none; }
.card a:hover { text-decoration: underline; }
.card a:focus-visible { outline: 2px solid; outline-offset: 1px; }
.card .meta { font-size: 11px; margin-top: 2px; }
.chip { border-radius: 999px; padding: 0 6px; font-size: 10px; font-weight: 700; margin-right: 4px; }
${colourRules(LIGHT)}
@media (prefers-color-scheme: dark) {
${colourRules(DARK)}
}
`;
