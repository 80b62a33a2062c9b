import { describe, expect, it } from 'vitest';
import { FakeCourier } from '../test-support/fake-courier';
import { conversation } from '../test-support/fixtures';
import { ConversationsStore } from './conversations-store';
import { UiStore } from './ui-store';

function setup() {
  const courier = new FakeCourier().handle('conversation.setActive', () => null);
  const conversations = new ConversationsStore(courier);
  conversations.upsert([conversation('a', { lastActivityAt: 3 }), conversation('b', { lastActivityAt: 2 }), conversation('c', { lastActivityAt: 1 })]);
  return { courier, conversations, ui: new UiStore(courier, conversations) };
}

describe('UiStore', () => {
  it('tells main which conversation is shown, once per change', () => {
    const { courier, ui } = setup();
    ui.openConversation('a');
    ui.openConversation('a');
    ui.openConversation(null);
    expect(courier.callsOf('conversation.setActive')).toEqual([{ conversationId: 'a' }, { conversationId: null }]);
  });

  it('moves through the sidebar order with Alt+↑/↓ and stops at the ends', () => {
    const { ui } = setup();
    ui.openAdjacent(1);
    expect(ui.getSnapshot().activeConversationId).toBe('a');
    ui.openAdjacent(1);
    ui.openAdjacent(1);
    ui.openAdjacent(1);
    expect(ui.getSnapshot().activeConversationId).toBe('c');
    ui.openAdjacent(-1);
    expect(ui.getSnapshot().activeConversationId).toBe('b');
  });

  it('opens the conversation a notification was clicked for, and leaves one that was removed', () => {
    const { courier, ui } = setup();
    courier.emit('navigate.conversation', { conversationId: 'b' });
    expect(ui.getSnapshot().activeConversationId).toBe('b');
    courier.emit('conversation.removed', { conversationId: 'b' });
    expect(ui.getSnapshot().activeConversationId).toBeNull();
  });

  it('keeps a jump target until the timeline has used it, and distinguishes repeated jumps', () => {
    const { ui } = setup();
    ui.openConversation('a', 40);
    const first = ui.getSnapshot().jump;
    expect(first).toMatchObject({ conversationId: 'a', seq: 40 });
    ui.openConversation('a', 40);
    const second = ui.getSnapshot().jump;
    expect(second?.nonce).not.toBe(first?.nonce);
    ui.clearJump(first?.nonce ?? -1);
    expect(ui.getSnapshot().jump).toBe(second);
    ui.clearJump(second?.nonce ?? -1);
    expect(ui.getSnapshot().jump).toBeNull();
  });

  it('closes the group info panel when another conversation opens, and the quick switcher after choosing', () => {
    const { ui } = setup();
    ui.openConversation('a');
    ui.openPanel('groupInfo');
    ui.openConversation('b');
    expect(ui.getSnapshot().panel).toBe('none');
    ui.openPanel('search');
    ui.openConversation('c');
    expect(ui.getSnapshot().panel).toBe('search');
    ui.openPanel('quickSwitcher');
    ui.openConversation('a');
    expect(ui.getSnapshot().panel).toBe('none');
  });
});
