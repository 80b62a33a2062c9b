#!/usr/bin/env node
// Draws Courier's icons into build/ with nothing but Node: a blue rounded square holding a
// white speech bubble, plus tray variants. The icons are generated rather than hand-drawn
// so anyone can change the shape or colour and regenerate them without an image editor.
// Run: npm run build:icons
//
// Shapes are signed distance functions (negative inside, in icon units of 0..1), so every
// size is rendered from the same geometry and edges are anti-aliased by coverage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const BUILD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');

const BLUE_TOP = [59, 130, 246]; // #3b82f6
const BLUE = [37, 99, 235]; // #2563eb, the brand colour
const BLUE_BOTTOM = [29, 78, 216]; // #1d4ed8
const WHITE = [255, 255, 255];
const BADGE_RED = [220, 38, 38]; // #dc2626

// ---------------------------------------------------------------------------- geometry

function roundedBox(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function circle(x, y, cx, cy, r) {
  return Math.hypot(x - cx, y - cy) - r;
}

/** Exact distance to a triangle (Inigo Quilez's formulation). */
function triangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const edges = [
    [bx - ax, by - ay, x - ax, y - ay],
    [cx - bx, cy - by, x - bx, y - by],
    [ax - cx, ay - cy, x - cx, y - cy],
  ];
  const orientation = Math.sign((bx - ax) * (ay - cy) - (by - ay) * (ax - cx));
  let best = Infinity;
  let sign = Infinity;
  for (const [ex, ey, px, py] of edges) {
    const t = Math.min(Math.max((px * ex + py * ey) / (ex * ex + ey * ey), 0), 1);
    const dx = px - ex * t;
    const dy = py - ey * t;
    best = Math.min(best, dx * dx + dy * dy);
    sign = Math.min(sign, orientation * (px * ey - py * ex));
  }
  return -Math.sqrt(best) * Math.sign(sign);
}

/** Union that rounds the joint between two shapes over a width of `k`. */
function smoothUnion(a, b, k) {
  const h = Math.min(Math.max(0.5 + (0.5 * (b - a)) / k, 0), 1);
  return b + (a - b) * h - k * h * (1 - h);
}

// The speech bubble, in the coordinates of the full 1024-style icon.
const BUBBLE = { cx: 0.5, cy: 0.465, halfW: 0.255, halfH: 0.185, radius: 0.14 };
const TAIL = [
  [0.33, 0.58],
  [0.46, 0.6],
  [0.29, 0.735],
];
const DOTS = [0.395, 0.5, 0.605].map((cx) => ({ cx, cy: BUBBLE.cy, r: 0.036 }));
// Bounding box of bubble + tail, used to scale the bubble up for the tray glyphs.
const BUBBLE_BOUNDS = { x0: 0.245, x1: 0.755, y0: 0.28, y1: 0.735 };

function bubble(x, y) {
  const body = roundedBox(x, y, BUBBLE.cx, BUBBLE.cy, BUBBLE.halfW, BUBBLE.halfH, BUBBLE.radius);
  return smoothUnion(body, triangle(x, y, ...TAIL), 0.03);
}

function dots(x, y) {
  return Math.min(...DOTS.map((d) => circle(x, y, d.cx, d.cy, d.r)));
}

// ----------------------------------------------------------------------------- drawing

/** Fraction of a pixel covered by the shape with signed distance `d` (in pixels). */
function coverage(dPixels) {
  return Math.min(Math.max(0.5 - dPixels, 0), 1);
}

function mix(a, b, t) {
  return a.map((v, i) => v + (b[i] - v) * t);
}

/**
 * Renders `shade(x, y, px)` for each pixel centre; `shade` returns [r, g, b, a] with
 * colour 0..255 (straight, not premultiplied) and alpha 0..1. `px` is one pixel in icon units.
 */
function render(size, shade) {
  const rgba = Buffer.alloc(size * size * 4);
  const px = 1 / size;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const [r, g, b, a] = shade((i + 0.5) * px, (j + 0.5) * px, px);
      const o = (j * size + i) * 4;
      rgba[o] = Math.round(r);
      rgba[o + 1] = Math.round(g);
      rgba[o + 2] = Math.round(b);
      rgba[o + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}

/** The app icon: gradient rounded square (macOS-style margin) with a white bubble. */
function appIcon(size, small = size < 64) {
  // At tray sizes a 10% margin only wastes pixels and the dots blur into grey, so small
  // renders (and the @2x tray image, to show the same glyph) fill the canvas without dots.
  const half = small ? 0.47 : 0.4;
  const radius = small ? 0.2 : 0.18;
  return render(size, (x, y, px) => {
    const square = coverage(roundedBox(x, y, 0.5, 0.5, half, half, radius) / px);
    if (square === 0) return [0, 0, 0, 0];
    const t = (y - (0.5 - half)) / (2 * half);
    const background = t < 0.5 ? mix(BLUE_TOP, BLUE, t * 2) : mix(BLUE, BLUE_BOTTOM, (t - 0.5) * 2);
    let ink = coverage(bubble(x, y) / px);
    if (!small) ink *= 1 - coverage(dots(x, y) / px);
    return [...mix(background, WHITE, ink), square];
  });
}

/**
 * macOS menu-bar template: only alpha matters; the system tints it for light/dark menus.
 * A plain bubble without dots, because the dots cannot be drawn crisply at 16px and the
 * 1x and @2x images should show the same glyph.
 */
function trayTemplate(size) {
  const { x0, x1, y0, y1 } = BUBBLE_BOUNDS;
  const scale = 0.9 / Math.max(x1 - x0, y1 - y0);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return render(size, (x, y, px) => {
    // Evaluate the bubble in its own coordinates, scaled to fill the canvas.
    const bx = cx + (x - 0.5) / scale;
    const by = cy + (y - 0.5) / scale;
    return [0, 0, 0, coverage((bubble(bx, by) * scale) / px)];
  });
}

/**
 * Windows taskbar overlay for unread messages: a red dot with a white ring, so it reads on
 * any taskbar colour. The count itself goes into the overlay's accessible description
 * (`setOverlayIcon(image, '3 unread')`) and the tray tooltip; at 16px digits would blur.
 */
function unreadBadge(size) {
  return render(size, (x, y, px) => {
    const outer = coverage(circle(x, y, 0.5, 0.5, 0.48) / px);
    if (outer === 0) return [0, 0, 0, 0];
    const inner = coverage(circle(x, y, 0.5, 0.5, 0.36) / px);
    return [...mix(WHITE, BADGE_RED, inner), outer];
  });
}

// --------------------------------------------------------------------------- PNG output

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes 8-bit RGBA pixels as a PNG (no filtering; zlib does the work). */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0); // width
  header.writeUInt32BE(size, 4); // height
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let row = 0; row < size; row++) {
    raw[row * (stride + 1)] = 0; // filter type "None" for this scanline
    rgba.copy(raw, row * (stride + 1) + 1, row * stride, (row + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * An .ico holding PNG-compressed images (allowed since Windows Vista), one per size, so the
 * Windows tray picks a crisp image at 100%, 150% and 200% scaling instead of resampling.
 */
function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // width (0 means 256)
    entry[1] = size >= 256 ? 0 : size; // height
    entry[2] = 0; // no palette
    entry[3] = 0; // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    entries.push(entry);
    offset += png.length;
  }
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

function pngOf(size, draw) {
  return encodePng(size, draw(size));
}

// ------------------------------------------------------------------------------- main

// The tray and badge images are copied into the packaged app (electron-builder.yml
// extraResources); src/main/tray.ts names them.
const outputs = [
  // electron-builder derives .icns and .ico from this; it wants at least 512x512.
  ['icon.png', '1024x1024', () => pngOf(1024, appIcon)],
  // Linux tray (colour); Electron picks the @2x file on HiDPI screens automatically.
  ['tray-icon.png', '32x32', () => pngOf(32, appIcon)],
  ['tray-icon@2x.png', '64x64', () => pngOf(64, (size) => appIcon(size, true))],
  // Windows tray: 16px at 100% scaling up to 32px at 200%.
  ['tray-icon.ico', '16, 20, 24, 32', () => encodeIco([16, 20, 24, 32].map((size) => ({ size, png: pngOf(size, appIcon) })))],
  // macOS menu bar: the "Template" suffix tells macOS to recolour it for light/dark menus.
  ['trayTemplate.png', '16x16', () => pngOf(16, trayTemplate)],
  ['trayTemplate@2x.png', '32x32', () => pngOf(32, trayTemplate)],
  // Windows taskbar overlay for unread messages.
  ['badge.png', '16x16', () => pngOf(16, unreadBadge)],
  ['badge@2x.png', '32x32', () => pngOf(32, unreadBadge)],
];

mkdirSync(BUILD_DIR, { recursive: true });
for (const [name, sizes, encode] of outputs) {
  writeFileSync(join(BUILD_DIR, name), encode());
  console.log(`wrote build/${name} (${sizes})`);
}
