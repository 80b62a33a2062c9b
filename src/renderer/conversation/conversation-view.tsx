import type { ReactElement } from 'react';
import { conversationTitle, directPeer } from '../format/names';
import { useApp } from '../state/app-context';
import { awaitingAnswer, incomingRequest, peerDeclined } from '../state/consent';
import type { LocalConversation } from '../state/types';
import { useStore } from '../state/use-store';
import { PersonName } from '../ui/person-name';
import { Timeline } from '../timeline/timeline';
import { BlockedBar } from './blocked-bar';
import { Composer } from './composer';
import { ConversationHeader } from './conversation-header';
import { RequestBar } from './request-bar';
import './conversation.css';

/**
 * One open conversation: header, timeline, and at the bottom the composer, or what stands
 * in its place: the request bar (a request or invitation not answered yet), the blocked
 * bar (a direct chat with someone blocked), or a note that the other person declined.
 * Keyed by id by its parent, so nothing leaks between chats.
 */
export function ConversationView({ conversation }: { conversation: LocalConversation }): ReactElement {
  const app = useApp();
  const { ids: blocked } = useStore(app.blocks);
  const me = app.myUserId;
  const names = app.namesOf(conversation);
  const title = conversationTitle(conversation, names);
  const request = incomingRequest(conversation, me);
  const peer = directPeer(conversation, me);
  const awaiting = awaitingAnswer(conversation, me);

  let bottom: ReactElement;
  if (request !== null) bottom = <RequestBar conversation={conversation} request={request} />;
  else if (peerDeclined(conversation, me)) {
    bottom = (
      <p className="conversation__ended">
        Your request was declined, so you can’t send messages here.
      </p>
    );
  } else if (peer && names.peer && blocked.has(peer.userId)) bottom = <BlockedBar peer={peer} name={names.peer} />;
  else {
    bottom = (
      <>
        {awaiting && (
          <p className="conversation__note">
            <PersonName person={names.of(awaiting.userId)} /> hasn’t accepted your request yet.
          </p>
        )}
        <Composer conversationId={conversation.id} label={`Message ${title}`} />
      </>
    );
  }

  return (
    <section className="conversation" aria-label={title}>
      <ConversationHeader conversation={conversation} />
      <div className="conversation__timeline">
        <Timeline conversationId={conversation.id} />
      </div>
      {bottom}
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
