import { useSyncExternalStore } from 'react';
import type { Store } from './store';

/** Reads a store's snapshot and re-renders when it is replaced. */
export function useStore<S>(store: Store<S>): S {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
