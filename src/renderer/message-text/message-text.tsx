import { memo, useMemo, type MouseEvent, type ReactElement } from 'react';
import { useApp } from '../state/app-context';
import { linkify } from './linkify';
import './message-text.css';

/**
 * A message body as text: newlines kept, http(s) addresses as links that open in the system
 * browser through main (the window itself never navigates). Never HTML, never markdown.
 */
export const MessageText = memo(function MessageText({ body }: { body: string }): ReactElement {
  const app = useApp();
  const segments = useMemo(() => linkify(body), [body]);
  const open = (url: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    void app.courier.call('shell.openExternal', { url }).catch(() => undefined);
  };
  return (
    <span className="message-text" dir="auto">
      {segments.map((s, i) =>
        s.url === undefined ? (
          s.text
        ) : (
          <a key={i} className="message-text__link" href={s.url} rel="noreferrer noopener" title={s.url} onClick={open(s.url)}>
            {s.text}
          </a>
        ),
      )}
    </span>
  );
});
