import type { ReactElement } from 'react';
import { initials } from '../format/names';
import type { PresenceStatus } from '../state/types';
import './ui.css';

/** A stable colour per name, chosen from a palette that keeps white text readable (AA). */
const PALETTE = ['#8e3b46', '#1f6f5c', '#4b4fb0', '#8a4b08', '#2e6690', '#7a3e8f', '#3d6b1f', '#a13d6b'];
function colourFor(seed: string): string {
  let h = 0;
  for (const ch of seed) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? '#4b4fb0';
}

/** Initials on a colour; with `presence`, a dot in the corner. The name is announced by the surrounding control. */
export function Avatar({ name, seed, size = 36, presence }: { name: string; seed: string; size?: number; presence?: PresenceStatus }): ReactElement {
  return (
    <span className="avatar" style={{ width: size, height: size, fontSize: Math.round(size * 0.4), background: colourFor(seed) }} aria-hidden="true">
      {initials(name)}
      {presence !== undefined && <span className={`avatar__presence presence-dot presence-dot--${presence}`} />}
    </span>
  );
}

/** A presence dot with its meaning spelled out for screen readers. */
export function PresenceDot({ status }: { status: PresenceStatus }): ReactElement {
  return <span className={`presence-dot presence-dot--${status}`} role="img" aria-label={status === 'online' ? 'Online' : status === 'away' ? 'Away' : 'Offline'} />;
}
