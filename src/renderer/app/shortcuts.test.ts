import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyLike } from './shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('shortcutFor', () => {
  it.each([
    [key('k', { ctrlKey: true }), 'linux', 'quickSwitcher'],
    [key('K', { ctrlKey: true }), 'win32', 'quickSwitcher'],
    [key('k', { metaKey: true }), 'darwin', 'quickSwitcher'],
    [key('k', { ctrlKey: true }), 'darwin', null],
    [key('k', { metaKey: true }), 'linux', null],
    [key('n', { ctrlKey: true }), 'linux', 'newChat'],
    [key('n', { ctrlKey: true, shiftKey: true }), 'linux', null],
    [key(',', { metaKey: true }), 'darwin', 'settings'],
    [key('F', { ctrlKey: true, shiftKey: true }), 'linux', 'search'],
    [key('ArrowUp', { altKey: true }), 'linux', 'previousConversation'],
    [key('ArrowDown', { altKey: true }), 'darwin', 'nextConversation'],
    [key('ArrowDown', { altKey: true, shiftKey: true }), 'linux', null],
    [key('ArrowDown'), 'linux', null],
    [key('Escape'), 'linux', 'closePanel'],
    [key('k'), 'linux', null],
    [key('k', { ctrlKey: true, isComposing: true }), 'linux', null],
  ] as const)('%o on %s → %s', (e, platform, action) => {
    expect(shortcutFor(e, platform)).toBe(action);
  });
});
