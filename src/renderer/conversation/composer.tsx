import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { MAX_BODY_BYTES } from '../../shared/protocol/limits';
import { useApp } from '../state/app-context';
import { errorMessage } from '../state/bridge';
import { Icon } from '../ui/icons';
import { TypingNotifier } from './typing-notifier';
import './conversation.css';

const encoder = new TextEncoder();
const MAX_ROWS_PX = 200;

/**
 * The message box. Enter sends, Shift+Enter breaks the line; the draft is kept per
 * conversation; sending never waits for the network (the engine queues it as pending).
 */
export function Composer({ conversationId, label }: { conversationId: string; label: string }): ReactElement {
  const app = useApp();
  const [text, setText] = useState(() => app.drafts.get(conversationId));
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const typing = useMemo(
    () => new TypingNotifier((isTyping) => void app.courier.call('typing.set', { conversationId, typing: isTyping }).catch(() => undefined)),
    [app, conversationId],
  );
  useEffect(() => () => typing.stop(), [typing]);
  useEffect(() => ref.current?.focus(), [conversationId]);

  // Grow with the text up to a limit, then scroll inside.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_ROWS_PX)}px`;
  }, [text]);

  const bytes = text.length * 3 <= MAX_BODY_BYTES ? text.length : encoder.encode(text).length;
  const tooLong = bytes > MAX_BODY_BYTES;
  const empty = text.trim() === '';

  function change(next: string): void {
    setText(next);
    setError(null);
    app.drafts.setDraft(conversationId, next);
    typing.input(next.trim() !== '');
  }

  async function send(): Promise<void> {
    if (empty || tooLong) return;
    const body = text;
    change('');
    typing.stop();
    try {
      await app.courier.call('message.send', { conversationId, body });
    } catch (e) {
      // Not queued (invalid, or signed out): give the text back rather than lose it.
      change(body);
      setError(errorMessage(e));
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {error !== null && (
        <p className="composer__error" role="alert">
          {error}
        </p>
      )}
      <div className="composer__row">
        <textarea
          ref={ref}
          className="composer__input"
          rows={1}
          value={text}
          aria-label={label}
          placeholder={label}
          aria-invalid={tooLong}
          aria-describedby={tooLong ? `composer-limit-${conversationId}` : undefined}
          onChange={(e) => change(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="submit" className="composer__send icon-btn" aria-label="Send" disabled={empty || tooLong}>
          <Icon name="send" size={20} />
        </button>
      </div>
      {tooLong && (
        <p id={`composer-limit-${conversationId}`} className="composer__limit">
          Too long to send: {bytes.toLocaleString()} of {MAX_BODY_BYTES.toLocaleString()} bytes.
        </p>
      )}
    </form>
  );
}
