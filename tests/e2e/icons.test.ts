import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Reads width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = readFileSync(file);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

// The builds made by global-setup: the icons reach both browsers' manifests and folders.
describe.each([
  ['chrome-mv3', 'action'],
  ['firefox-mv2', 'browser_action'],
])('the %s build', (build, actionKey) => {
  const dir = `.output/${build}`;
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));

  it('declares 16, 32, 48 and 128 px icons for the extension, and the grey resting icons for its toolbar button', () => {
    expect(Object.keys(manifest.icons)).toEqual(['16', '32', '48', '128']);
    expect(manifest[actionKey].default_icon).toEqual({ 16: 'icon/idle-16.png', 32: 'icon/idle-32.png' });
    expect(manifest[actionKey].default_popup).toBe('popup.html');
  });

  it('ships each icon at its size, the toolbar states included', () => {
    for (const [size, path] of [...Object.entries<string>(manifest.icons), ...Object.entries<string>(manifest[actionKey].default_icon)])
      expect(pngSize(`${dir}/${path}`)).toEqual([Number(size), Number(size)]);
  });
});
