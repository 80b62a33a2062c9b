/** What a key press asks the window to do, independent of React (tested as a table). */
export type ShortcutAction = 'quickSwitcher' | 'newChat' | 'previousConversation' | 'nextConversation' | 'search' | 'settings' | 'closePanel';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
}

/** macOS uses Cmd where the others use Ctrl (as every desktop messenger does). */
export function shortcutFor(e: KeyLike, platform: string): ShortcutAction | null {
  if (e.isComposing) return null;
  const mod = platform === 'darwin' ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && !e.altKey && !e.shiftKey) {
    if (key === 'k') return 'quickSwitcher';
    if (key === 'n') return 'newChat';
    if (key === ',') return 'settings';
  }
  if (mod && e.shiftKey && !e.altKey && key === 'f') return 'search';
  if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
    if (key === 'ArrowUp') return 'previousConversation';
    if (key === 'ArrowDown') return 'nextConversation';
  }
  if (key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'closePanel';
  return null;
}
