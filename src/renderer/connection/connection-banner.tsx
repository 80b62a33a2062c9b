import type { ReactElement } from 'react';
import { useApp, useNow } from '../state/app-context';
import type { ConnectionState, OutboxSummary } from '../state/types';
import { useStore } from '../state/use-store';
import { Icon } from '../ui/icons';
import './connection-banner.css';

export interface BannerContent {
  tone: 'info' | 'warning';
  text: string;
}

function queued(outbox: OutboxSummary): string {
  if (outbox.pending === 0) return '';
  return outbox.pending === 1 ? ' 1 message will be sent when you’re back online.' : ` ${outbox.pending} messages will be sent when you’re back online.`;
}

/** What the banner says for a connection state (null: nothing to say, all is well). */
export function bannerContent(connection: ConnectionState, outbox: OutboxSummary, now: number): BannerContent | null {
  switch (connection.status) {
    case 'online':
    case 'signedOut':
      return null;
    case 'catchingUp':
      return { tone: 'info', text: 'Catching up on new messages…' };
    case 'connecting':
    case 'authenticating':
      return { tone: connection.attempt > 0 ? 'warning' : 'info', text: connection.attempt > 0 ? `Reconnecting…${queued(outbox)}` : 'Connecting…' };
    case 'offline': {
      const wait = connection.nextRetryAt === null ? null : Math.max(0, Math.ceil((connection.nextRetryAt - now) / 1000));
      const retry = wait === null ? '' : wait <= 1 ? ' Retrying now.' : ` Retrying in ${wait} s.`;
      const reason = connection.error ? ` ${connection.error.message}` : '';
      return { tone: 'warning', text: `You’re offline.${queued(outbox)}${reason}${retry}` };
    }
  }
}

/**
 * Says what the connection is doing whenever it is not simply online, so the window never
 * looks frozen. The status region stays mounted so screen readers hear each change.
 */
export function ConnectionBanner(): ReactElement {
  const app = useApp();
  const { connection, outbox } = useStore(app.session);
  const now = useNow(1000);
  const content = bannerContent(connection, outbox, now);
  return (
    <div className={`connection-banner${content ? ` connection-banner--${content.tone}` : ' connection-banner--hidden'}`} role="status" aria-live="polite">
      {content && (
        <>
          <Icon name={content.tone === 'warning' ? 'offline' : 'clock'} size={16} />
          <span>{content.text}</span>
        </>
      )}
    </div>
  );
}
