import { readFileSync } from 'node:fs';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';
import { writeFileAtomic } from '../client/atomic-file';

/**
 * The main window's size, position and maximized state, remembered across runs in
 * `<userData>/window-state.json`. A saved position is used only if the window still fits
 * on a connected display: a monitor unplugged since last time must not leave the window
 * somewhere nobody can see it.
 */
const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_WINDOW_SIZE = { width: 1100, height: 720 } as const;
export const MIN_WINDOW_SIZE = { width: 480, height: 360 } as const;

/**
 * Windows draws invisible resize borders outside a window's visible edges, so a window
 * snapped to a screen edge reports bounds a few pixels past the work area.
 */
const EDGE_TOLERANCE = 16;

export interface InitialBounds {
  width: number;
  height: number;
  /** Absent: let the OS centre the window. */
  x?: number;
  y?: number;
  maximized: boolean;
}

/** What to create the window with, given what was saved and the displays' work areas now. */
export function initialWindowBounds(saved: WindowState | null, workAreas: readonly Rectangle[]): InitialBounds {
  if (saved === null) return { ...DEFAULT_WINDOW_SIZE, maximized: false };
  const size = {
    width: Math.max(saved.width, MIN_WINDOW_SIZE.width),
    height: Math.max(saved.height, MIN_WINDOW_SIZE.height),
  };
  const rect = { x: saved.x, y: saved.y, ...size };
  if (workAreas.some((area) => contains(area, rect))) return { ...rect, maximized: saved.maximized };
  // The display it was on is gone or smaller: keep the size if it fits somewhere, centred.
  if (workAreas.some((area) => size.width <= area.width + EDGE_TOLERANCE && size.height <= area.height + EDGE_TOLERANCE)) {
    return { ...size, maximized: saved.maximized };
  }
  return { ...DEFAULT_WINDOW_SIZE, maximized: saved.maximized };
}

function contains(area: Rectangle, rect: Rectangle): boolean {
  return (
    rect.x >= area.x - EDGE_TOLERANCE &&
    rect.y >= area.y - EDGE_TOLERANCE &&
    rect.x + rect.width <= area.x + area.width + EDGE_TOLERANCE &&
    rect.y + rect.height <= area.y + area.height + EDGE_TOLERANCE
  );
}

/** The saved state, or null if there is none or it is not what we wrote (never throws). */
export function readWindowState(file: string): WindowState | null {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  writeFileAtomic(file, `${JSON.stringify(state)}\n`);
}

/** The window's restorable state: the normal (unmaximized) bounds plus the flag. */
export function captureWindowState(window: BrowserWindow): WindowState {
  const bounds = window.getNormalBounds();
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.round(bounds.width),
    height: Math.round(bounds.height),
    maximized: window.isMaximized(),
  };
}

/**
 * Saves the window's state `debounceMs` after it last moved or resized (dragging fires
 * dozens of events a second), and at once when it closes. Returns `flush`, which saves
 * now: call it before destroying the window, which emits no 'close'.
 */
export function trackWindowState(window: BrowserWindow, file: string, debounceMs = 500): { flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    try {
      writeWindowState(file, captureWindowState(window));
    } catch (error) {
      console.error('Courier could not save the window position:', error);
    }
  };
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  window.on('resize', schedule);
  window.on('move', schedule);
  window.on('maximize', schedule);
  window.on('unmaximize', schedule);
  window.on('close', save);
  window.on('closed', () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  });
  return { flush: save };
}
