import type { User } from '../../shared/protocol';
import type { Db } from './database';

/** The account's block list as the server last told it (block.list, block.changed). */
export class BlockedUsers {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      all: db.prepare<[], { user_id: string; username: string; display_name: string | null }>(
        'SELECT user_id, username, display_name FROM blocked_users ORDER BY username',
      ),
      clear: db.prepare('DELETE FROM blocked_users'),
      add: db.prepare(
        `INSERT INTO blocked_users (user_id, username, display_name) VALUES (@id, @username, @displayName)
         ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name`,
      ),
      remove: db.prepare<[string]>('DELETE FROM blocked_users WHERE user_id = ?'),
    };
  }

  list(): User[] {
    return this.q.all.all().map((r) => ({ id: r.user_id, username: r.username, displayName: r.display_name }));
  }

  /** Replaces the whole list. Call inside a transaction. */
  replace(users: readonly User[]): void {
    this.q.clear.run();
    for (const u of users) this.q.add.run(u);
  }

  add(user: User): void {
    this.q.add.run(user);
  }

  remove(userId: string): void {
    this.q.remove.run(userId);
  }
}
