import { useSyncExternalStore } from 'react';
import type { Store } from './store';

/** Reads a store's snapshot and re-renders when it is replaced. */
export function useStore<S>(store: Store<S>): S {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/**
 * Reads one part of a store and re-renders only when that part changes. `select` must
 * return a value already in the snapshot (compared by identity), not build a new one.
 */
export function useStoreValue<S, T>(store: Store<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}
