import { existsSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICON_DIR, ICON_SIZES, renderIcon, scanlines, TOOLBAR_SIZES } from '../../tools/make-icons.mjs';
import { TOOLBAR_ICONS } from '../../src/background/toolbar-badge';
import config, { ICONS, IDLE_ICONS } from '../../wxt.config';

/** Width, height, bit depth, colour type and the inflated image data of a PNG file. */
function readPng(bytes: Buffer) {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    chunks.push({ type: bytes.toString('latin1', at + 4, at + 8), data: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  expect(chunks[0].type).toBe('IHDR');
  expect(chunks.at(-1)?.type).toBe('IEND');
  const ihdr = chunks[0].data;
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), depth: ihdr[8], colorType: ihdr[9], pixels: inflateSync(idat) };
}

type Manifest = Record<string, any>;
const manifestFor = (browser: string, manifestVersion: 2 | 3) =>
  (config.manifest as (env: object) => Manifest)({ browser, manifestVersion, mode: 'production', command: 'build' });

describe('extension icons', () => {
  it('are declared for the extension and its toolbar button (grey at rest) in the Chrome and Firefox manifests', () => {
    expect(Object.keys(ICONS).map(Number)).toEqual([16, 32, 48, 128]);
    expect(Object.keys(IDLE_ICONS).map(Number)).toEqual(TOOLBAR_SIZES);
    const chrome = manifestFor('chrome', 3);
    expect(chrome.icons).toEqual(ICONS);
    expect(chrome.action.default_icon).toEqual(IDLE_ICONS);
    const firefox = manifestFor('firefox', 2);
    expect(firefox.icons).toEqual(ICONS);
    expect(firefox.browser_action.default_icon).toEqual(IDLE_ICONS);
    // The worker switches between the manifest's resting icons and the blue ones, by the same files.
    for (const size of TOOLBAR_SIZES) {
      expect(TOOLBAR_ICONS.idle[size as 16 | 32]).toBe(`/${IDLE_ICONS[size]}`);
      expect(TOOLBAR_ICONS.active[size as 16 | 32]).toBe(`/${ICONS[size]}`);
    }
    expect(firefox.action).toBeUndefined();
  });

  it.each(ICON_SIZES)('icon/%i.png exists in the public folder as an RGBA PNG of that size', (size) => {
    const file = `${ICON_DIR}/${size}.png`;
    expect(ICONS[size]).toBe(`icon/${size}.png`);
    expect(existsSync(file)).toBe(true);
    const png = readPng(readFileSync(file));
    expect([png.width, png.height, png.depth, png.colorType]).toEqual([size, size, 8, 6]);
    // The committed file is what the script draws today (run `npm run icons` after changing it).
    expect(png.pixels.equals(scanlines(renderIcon(size), size))).toBe(true);
  });

  it.each(TOOLBAR_SIZES)('icon/idle-%i.png is the same mark in grey, as the script draws it', (size) => {
    const png = readPng(readFileSync(`${ICON_DIR}/idle-${size}.png`));
    expect([png.width, png.height, png.depth, png.colorType]).toEqual([size, size, 8, 6]);
    expect(png.pixels.equals(scanlines(renderIcon(size, { idle: true }), size))).toBe(true);
    const idle = renderIcon(size, { idle: true });
    const blue = renderIcon(size);
    const centre = ((size / 2) * size + 2) * 4;
    // Grey: no channel stands out; the blue one's blue does; the shape (alpha) is the same.
    expect(Math.max(...idle.subarray(centre, centre + 3)) - Math.min(...idle.subarray(centre, centre + 3))).toBeLessThan(25);
    expect(blue[centre + 2] - blue[centre]).toBeGreaterThan(80);
    for (let i = 3; i < idle.length; i += 4) expect(idle[i]).toBe(blue[i]);
  });

  it('draws an opaque mark with transparent corners', () => {
    const rgba = renderIcon(128);
    const alpha = (x: number, y: number) => rgba[(y * 128 + x) * 4 + 3];
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(64, 64)).toBe(255);
    // White ink (a line) and the blue box both appear.
    const pixel = (x: number, y: number) => [...rgba.subarray((y * 128 + x) * 4, (y * 128 + x) * 4 + 3)];
    expect(pixel(80, 38)).toEqual([255, 255, 255]);
    expect(pixel(110, 110)[2]).toBeGreaterThan(pixel(110, 110)[0] + 80);
  });
});
