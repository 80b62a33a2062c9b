/**
 * Private-use characters around the matched terms in a search snippet (never in real text).
 * Kept apart from the zod schemas so the renderer can import them without bundling zod.
 */
export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';
