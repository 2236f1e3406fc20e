/**
 * Badge and card styles, inside the shadow root: page CSS cannot reach in (even
 * `* { all: unset !important }`), ours cannot leak out. The host is absolutely positioned at its
 * static place (the end of the headline) with no size, so inserting a badge moves nothing on the
 * page (no layout shift); the badge overlays the space after the headline's last word.
 * Every text is generated content from `data-text` (badge.ts, `showText`): painted and read out
 * by screen readers, but not found by a page's `window.find()`. Counts use tabular digits, so "1
 * related" and "9 related" are the same width, and the open card has one height whatever it lists:
 * a page measuring what the badge paints (hit tests, scroll sizes) does not learn the count.
 */
export const BADGE_CSS = `
:host { all: initial !important; display: inline !important; position: absolute !important; width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483000 !important; }
:host([open]) { z-index: 2147483647 !important; }
.wrap { position: absolute; left: 6px; top: 0; z-index: 2147483000; font: 600 11px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
[data-text]::before { content: attr(data-text); }
button.badge { all: unset; box-sizing: border-box; font-variant-numeric: tabular-nums; display: inline-flex; align-items: center; gap: 4px; height: 22px; padding: 0 8px; border-radius: 11px;
  background: #eef1fb; color: #2f4496; border: 1px solid #c5cdf3; white-space: nowrap; cursor: pointer; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
button.badge:hover { background: #e1e7fb; }
button.badge:focus-visible { outline: 2px solid #3b5bdb; outline-offset: 2px; }
button.badge .same { color: #1f6b3a; }
.card { position: absolute; top: 26px; left: 0; width: 340px; max-width: 80vw; height: 360px; max-height: 80vh; overflow: auto; box-sizing: border-box; padding: 10px 12px;
  background: #fff; color: #1b1d21; border: 1px solid #d9dce1; border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.18); font: 400 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; }
.card.flip { left: auto; right: -60px; }
.card h2 { all: unset; display: block; font-weight: 700; font-size: 12px; color: #5c6370; margin-bottom: 6px; }
.card ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.card a { color: #2f4496; font-weight: 600; text-decoration: none; }
.card a:hover { text-decoration: underline; }
.card a:focus-visible { outline: 2px solid #3b5bdb; outline-offset: 1px; }
.card .meta { color: #5c6370; font-size: 11px; margin-top: 2px; }
.chip { border-radius: 999px; padding: 0 6px; font-size: 10px; font-weight: 700; background: #eef1fb; color: #2f4496; margin-right: 4px; }
.chip.same-story { background: #e7f5ec; color: #1f6b3a; }
@media (prefers-color-scheme: dark) {
  button.badge { background: #222a47; color: #b9c6ff; border-color: #3a4570; }
  button.badge:hover { background: #2a345a; }
  button.badge .same { color: #9be0b3; }
  .card { background: #17191d; color: #e8eaed; border-color: #343841; }
  .card a { color: #8ea2ff; }
  .card .meta, .card h2 { color: #a0a7b4; }
  .chip { background: #222a47; color: #b9c6ff; }
  .chip.same-story { background: #173a25; color: #9be0b3; }
}
`;
