import { Store } from './store';

/** Where drafts are kept; `localStorage` in the app (it outlives the window, which main may recreate). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const SAVE_DELAY_MS = 300;

/**
 * Unsent text per conversation. Kept in the renderer's storage per account, so a draft
 * survives switching chats, the window being closed to the tray, and a restart.
 */
export class DraftsStore extends Store<ReadonlyMap<string, string>> {
  private key: string | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly storage: DraftStorage | null) {
    super(new Map());
  }

  /** Loads the drafts of the signed-in account (null: signed out, nothing kept). */
  useAccount(userId: string | null): void {
    this.flush();
    this.key = userId === null ? null : `courier.drafts.${userId}`;
    this.set(new Map(this.key === null ? [] : this.read(this.key)));
  }

  get(conversationId: string): string {
    return this.current.get(conversationId) ?? '';
  }

  setDraft(conversationId: string, text: string): void {
    if (this.get(conversationId) === text) return;
    const next = new Map(this.current);
    if (text === '') next.delete(conversationId);
    else next.set(conversationId, text);
    this.set(next);
    this.scheduleSave();
  }

  /** Forgets everything this account kept (signed out: the local data is deleted too). */
  clearAccount(userId: string): void {
    this.storage?.removeItem(`courier.drafts.${userId}`);
    if (this.key === `courier.drafts.${userId}`) this.set(new Map());
  }

  flush(): void {
    if (this.saveTimer !== null) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.key === null || this.storage === null) return;
    try {
      if (this.current.size === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify([...this.current]));
    } catch {
      // Storage full or unavailable: the drafts still live for this window's lifetime.
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer !== null) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  private read(key: string): Array<[string, string]> {
    try {
      const raw = this.storage?.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      if (!Array.isArray(parsed)) return [];
      return parsed.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string');
    } catch {
      return [];
    }
  }
}
