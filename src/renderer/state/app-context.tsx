import { createContext, useContext, useEffect, useState } from 'react';
import type { AppState } from './app-state';

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (app === null) throw new Error('useApp() outside <AppContext.Provider>');
  return app;
}

/** The current time, refreshed every `intervalMs` (for "5 min ago" and "Last seen"). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
