import type { Db } from './database';

/** The engine's own key/value bookkeeping. */
export class Meta {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      get: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
      set: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      delete: db.prepare<[string]>('DELETE FROM meta WHERE key = ?'),
    };
  }

  get(key: string): string | null {
    return this.q.get.get(key) ?? null;
  }

  set(key: string, value: string | null): void {
    if (value === null) this.q.delete.run(key);
    else this.q.set.run(key, value);
  }
}
