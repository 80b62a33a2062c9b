import { useEffect } from 'react';
import type { Theme } from '../state/types';

/** Applies the chosen theme to <html>; "system" removes the attribute so the OS preference rules. */
export function useTheme(theme: Theme | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
    else delete root.dataset.theme;
  }, [theme]);
}

/** "Courier (3)" while there is something unread, as the taskbar and window switchers show it. */
export function useUnreadTitle(total: number): void {
  useEffect(() => {
    document.title = total > 0 ? `Courier (${total > 999 ? '999+' : total})` : 'Courier';
  }, [total]);
}
