import { useEffect } from 'react';
import type { AppState } from '../state/app-state';
import { shortcutFor } from './shortcuts';

/** Window-wide keyboard shortcuts (dialogs handle their own Esc first and stop it). */
export function useShortcuts(app: AppState, platform: string): void {
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent): void {
      const action = shortcutFor(e, platform);
      if (action === null) return;
      if (action === 'closePanel') {
        if (app.ui.getSnapshot().panel === 'none') return;
        app.ui.closePanel();
      } else if (action === 'quickSwitcher') app.ui.togglePanel('quickSwitcher');
      else if (action === 'newChat') app.ui.openPanel('newDirect');
      else if (action === 'search') app.ui.openPanel('search');
      else if (action === 'settings') app.ui.togglePanel('settings');
      else app.ui.openAdjacent(action === 'nextConversation' ? 1 : -1);
      e.preventDefault();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [app, platform]);
}
