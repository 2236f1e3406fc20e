// @vitest-environment happy-dom
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPreactBundle, withoutInnerHtml } from '../../tools/build/no-inner-html-plugin';

const PREACT = 'node_modules/preact/dist/preact.mjs';
const original = readFileSync(PREACT, 'utf8');
// Inside the project: the happy-dom environment loads modules through Vite, which serves only files under the root.
mkdirSync('node_modules/.cache', { recursive: true });
const dir = mkdtempSync(join(process.cwd(), 'node_modules/.cache/storyline-preact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The installed Preact, as the build ships it: its one innerHTML assignment switched off. */
async function shippedPreact(): Promise<typeof import('preact')> {
  const file = join(dir, 'preact.mjs');
  writeFileSync(file, withoutInnerHtml(original));
  return import(/* @vite-ignore */ file);
}

describe('Preact as shipped: no innerHTML sink (web-ext lint UNSAFE_VAR_ASSIGNMENT; RELIABILITY row 34)', () => {
  it('finds the one innerHTML assignment in the installed Preact and leaves none', () => {
    expect(original.match(/\.innerHTML=/g)).toHaveLength(1);
    expect(withoutInnerHtml(original)).not.toMatch(/\.innerHTML\s*=/);
  });

  it('fails loudly on a Preact whose code no longer has that shape', () => {
    expect(() => withoutInnerHtml('export const x = 1;')).toThrow(/found 0: update tools\/build\/no-inner-html-plugin\.ts/);
    expect(() => withoutInnerHtml('a.innerHTML=b.__html;c.innerHTML=d.__html')).toThrow(/found 2/);
  });

  it('applies to Preact’s bundle only', () => {
    expect(isPreactBundle('/work/main/node_modules/preact/dist/preact.mjs')).toBe(true);
    expect(isPreactBundle('C:\\w\\node_modules\\preact\\dist\\preact.mjs?v=1')).toBe(true);
    expect(isPreactBundle('/work/main/node_modules/preact/hooks/dist/hooks.mjs')).toBe(false);
    expect(isPreactBundle('/work/main/src/ui/options/Options.tsx')).toBe(false);
  });

  it('still renders text, and refuses an HTML string instead of parsing it', async () => {
    const { h, render } = await shippedPreact();
    const root = document.createElement('div');
    document.body.append(root);
    render(h('p', null, '<img src=x onerror=alert(1)>'), root);
    expect(root.querySelector('p')?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(() => render(h('div', { dangerouslySetInnerHTML: { __html: '<img src=x onerror=alert(1)>' } }), root)).toThrow(
      /dangerouslySetInnerHTML is switched off/,
    );
    expect(root.querySelector('img')).toBeNull();
  });
});
