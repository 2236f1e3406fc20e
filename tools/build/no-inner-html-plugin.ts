import type { Plugin } from 'vite';

/** Preact's one HTML sink: `dom.innerHTML = props.dangerouslySetInnerHTML.__html` (minified names). */
const SINK = /\b([A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html\b/g;
const REFUSAL = '(()=>{throw new TypeError("Storyline renders no HTML strings: dangerouslySetInnerHTML is switched off")})()';

/**
 * Preact's bundle with its `dangerouslySetInnerHTML` branch made to throw instead of assigning
 * `innerHTML`. Storyline never uses that prop (lint forbids it, RELIABILITY row 34), so nothing
 * changes for its pages; the shipped code then holds no innerHTML assignment at all, and
 * `web-ext lint` has no UNSAFE_VAR_ASSIGNMENT to report. Throws when the sink is not found exactly
 * once, so a Preact update that reshapes the code fails the build instead of slipping through.
 */
export function withoutInnerHtml(code: string): string {
  const found = code.match(SINK)?.length ?? 0;
  if (found !== 1)
    throw new Error(`expected Preact's one innerHTML assignment, found ${found}: update tools/build/no-inner-html-plugin.ts for this Preact version`);
  return code.replace(SINK, REFUSAL);
}

/** True for Preact's own bundle (node_modules/preact/dist/preact.mjs), whatever the path style or query. */
export function isPreactBundle(id: string): boolean {
  return /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs(\?|$)/.test(id);
}

/** Vite plugin applying withoutInnerHtml to Preact's bundle at build time. */
export function noInnerHtmlPlugin(): Plugin {
  return {
    name: 'storyline-no-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!isPreactBundle(id)) return undefined;
      try {
        return { code: withoutInnerHtml(code), map: null };
      } catch (error) {
        this.error(`Storyline: ${(error as Error).message}`);
      }
    },
  };
}
