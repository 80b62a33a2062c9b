import type { ReactElement } from 'react';
import { conversationTitle } from '../format/names';
import { useApp } from '../state/app-context';
import type { LocalConversation } from '../state/types';
import { Timeline } from '../timeline/timeline';
import { Composer } from './composer';
import { ConversationHeader } from './conversation-header';
import './conversation.css';

/** One open conversation: header, timeline, composer. Keyed by id by its parent, so nothing leaks between chats. */
export function ConversationView({ conversation }: { conversation: LocalConversation }): ReactElement {
  const app = useApp();
  const title = conversationTitle(conversation, app.myUserId);
  return (
    <section className="conversation" aria-label={title}>
      <ConversationHeader conversation={conversation} />
      <div className="conversation__timeline">
        <Timeline conversationId={conversation.id} />
      </div>
      <Composer conversationId={conversation.id} label={`Message ${title}`} />
    </section>
  );
}

/** Shown when no conversation is open. */
export function NoConversation({ platform }: { platform: string }): ReactElement {
  const app = useApp();
  const mod = platform === 'darwin' ? '⌘' : 'Ctrl';
  return (
    <section className="conversation-empty" aria-label="No conversation open">
      <h2>No conversation open</h2>
      <p>Pick one on the left, or start a new one.</p>
      <button type="button" className="btn" onClick={() => app.ui.openPanel('newDirect')}>
        Start a chat
      </button>
      <p>
        <kbd>{mod}</kbd>+<kbd>K</kbd> jumps to any conversation · <kbd>{mod}</kbd>+<kbd>N</kbd> starts a new one
      </p>
    </section>
  );
}
