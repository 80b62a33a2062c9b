import type { LocalMessage } from '../../shared/ipc';
import type { ApplyResult } from './local-store';

/** What one write transaction has done so far; becomes an ApplyResult at the end. */
export interface ApplyAccumulator {
  inserted: Map<string, LocalMessage[]>;
  gaps: Set<string>;
  changed: Set<string>;
}

export function newAccumulator(): ApplyAccumulator {
  return { inserted: new Map(), gaps: new Set(), changed: new Set() };
}

export function toApplyResult(acc: ApplyAccumulator): ApplyResult {
  return { inserted: acc.inserted, gaps: [...acc.gaps], changed: [...acc.changed] };
}
