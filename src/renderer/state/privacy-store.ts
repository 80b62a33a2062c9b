import type { LastSeenVisibility, Privacy } from './types';
import type { Courier } from './bridge';
import { errorMessage } from './bridge';
import { Store } from './store';

export interface PrivacyState {
  /** Null until the engine has heard it from the server (after the first connection). */
  privacy: Privacy | null;
  saving: boolean;
  /** Why the last change was not saved. */
  error: string | null;
}

const INITIAL: PrivacyState = { privacy: null, saving: false, error: null };

/**
 * The account's privacy settings (who sees when I was last online): `privacy.get` once
 * signed in, then the `privacy` event (the first connection, another device, our own
 * change). A change is shown once the server has stored it, never before.
 */
export class PrivacyStore extends Store<PrivacyState> {
  private readonly disposers: Array<() => void> = [];

  constructor(private readonly courier: Courier) {
    super(INITIAL);
    this.disposers.push(courier.on('privacy', (privacy) => this.update({ privacy })));
  }

  async load(): Promise<void> {
    const privacy = await this.courier.call('privacy.get', null);
    // An event may have brought a newer answer while we waited; null never replaces one.
    if (privacy !== null || this.current.privacy === null) this.update({ privacy });
  }

  async setLastSeen(lastSeen: LastSeenVisibility): Promise<void> {
    if (this.current.saving) return;
    this.update({ saving: true, error: null });
    try {
      const privacy = await this.courier.call('privacy.set', { lastSeen });
      this.update({ privacy, saving: false });
    } catch (e) {
      this.update({ saving: false, error: errorMessage(e) });
    }
  }

  clear(): void {
    this.set(INITIAL);
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}
