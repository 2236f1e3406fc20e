// `npm run icons`: draws Storyline's toolbar and store icons into src/public/icon/{16,32,48,128}.png,
// and the toolbar's grey resting state into idle-{16,32}.png, where WXT finds them. Plain Node, no dependencies: the shapes are signed distances, sampled 8x8
// per pixel for anti-aliasing, and the PNG is written with node:zlib.
//
// The mark: a rounded square in the UI's accent blue; on it a thread (a vertical line with three
// knots) tying together three stories (lines of different lengths): one story told over time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

export const ICON_SIZES = [16, 32, 48, 128];
export const ICON_DIR = 'src/public/icon';

const TOP = [0x4c, 0x6e, 0xf5]; // background gradient, top
const BOTTOM = [0x36, 0x4f, 0xc7]; // ... and bottom (the UI's --accent #3b5bdb sits between)
const INK = [0xff, 0xff, 0xff];
// The toolbar's resting state (a page with no related stories, or not read): the same mark in grey.
const IDLE_TOP = [0x8a, 0x91, 0x9e];
const IDLE_BOTTOM = [0x6a, 0x71, 0x7e];
/** The toolbar button's sizes, drawn again in grey as `idle-<size>.png`. */
export const TOOLBAR_SIZES = [16, 32];

// Shapes in a 128-unit square. At 16 px (8 units a pixel) the mark is redrawn on the pixel grid:
// the box fills the square, strokes are two pixels thick on whole pixels, and the thread is left
// out (it would fuse the knots into one bar); the knots alone still read as a timeline.
function shapes(size) {
  if (size <= 16) {
    const rows = [32, 64, 96];
    return {
      box: { x0: 0, y0: 0, x1: 128, y1: 128, r: 26 },
      knots: rows.map((y) => ({ x: 32, y, r: 9 })),
      thread: null,
      lines: rows.map((y, i) => ({ x0: 64, x1: [104, 96, 80][i], y, r: 8 })),
    };
  }
  if (size <= 32) {
    // 4 units a pixel: every edge of a stroke on a pixel boundary.
    const rows = [38, 62, 86];
    return {
      box: { x0: 4, y0: 4, x1: 124, y1: 124, r: 28 },
      knots: rows.map((y) => ({ x: 38, y, r: 10 })),
      thread: { x: 38, y0: rows[0], y1: rows[2], r: 2 },
      lines: rows.map((y, i) => ({ x0: 58, x1: [98, 86, 74][i], y, r: 6 })),
    };
  }
  const rows = [38, 64, 90];
  return {
    box: { x0: 6, y0: 6, x1: 122, y1: 122, r: 28 },
    knots: rows.map((y) => ({ x: 36, y, r: 8.5 })),
    thread: { x: 36, y0: rows[0], y1: rows[2], r: 2.6 },
    lines: rows.map((y, i) => ({ x0: 58, x1: [100, 88, 74][i], y, r: 6 })),
  };
}

const roundedBox = (px, py, { x0, y0, x1, y1, r }) => {
  const qx = Math.abs(px - (x0 + x1) / 2) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(py - (y0 + y1) / 2) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (px, py, { x, y, r }) => Math.hypot(px - x, py - y) - r;
const hCapsule = (px, py, { x0, x1, y, r }) => Math.hypot(px - Math.min(Math.max(px, x0), x1), py - y) - r;
const vCapsule = (px, py, { x, y0, y1, r }) => Math.hypot(px - x, py - Math.min(Math.max(py, y0), y1)) - r;

/** The icon as RGBA bytes, `size` x `size`, row by row; `idle`: the grey resting state. */
export function renderIcon(size, { idle = false } = {}) {
  const [top, bottom] = idle ? [IDLE_TOP, IDLE_BOTTOM] : [TOP, BOTTOM];
  const s = shapes(size);
  const samples = 8;
  const unit = 128 / size;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let box = 0;
      let ink = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const px = (x + (sx + 0.5) / samples) * unit;
          const py = (y + (sy + 0.5) / samples) * unit;
          if (roundedBox(px, py, s.box) > 0) continue;
          box++;
          const onInk =
            (s.thread != null && vCapsule(px, py, s.thread) <= 0) ||
            s.knots.some((k) => circle(px, py, k) <= 0) ||
            s.lines.some((l) => hCapsule(px, py, l) <= 0);
          if (onInk) ink++;
        }
      }
      const all = samples * samples;
      const t = (y + 0.5) / size;
      const i = (y * size + x) * 4;
      // Ink is drawn inside the box only, so the pixel's colour is the box colour mixed with ink.
      for (let c = 0; c < 3; c++) {
        const back = top[c] + (bottom[c] - top[c]) * t;
        rgba[i + c] = box ? Math.round((back * (box - ink) + INK[c] * ink) / box) : 0;
      }
      rgba[i + 3] = Math.round((255 * box) / all);
    }
  }
  return rgba;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Unfiltered scanlines (filter byte 0 before each row), as they sit inside IDAT once inflated. */
export function scanlines(rgba, size) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return rows;
}

/** An RGBA image as PNG bytes: 8-bit RGBA, no interlace. */
export function encodePng(rgba, size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanlines(rgba, size), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  mkdirSync(join(root, ICON_DIR), { recursive: true });
  for (const size of ICON_SIZES) {
    const file = join(ICON_DIR, `${size}.png`);
    writeFileSync(join(root, file), encodePng(renderIcon(size), size));
    console.log(`wrote ${file}`);
  }
  for (const size of TOOLBAR_SIZES) {
    const file = join(ICON_DIR, `idle-${size}.png`);
    writeFileSync(join(root, file), encodePng(renderIcon(size, { idle: true }), size));
    console.log(`wrote ${file}`);
  }
}
