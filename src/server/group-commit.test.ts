import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-commit';

describe('GroupCommitter', () => {
  it('commits what arrives in one turn as one batch and answers each caller in order', async () => {
    const batches: number[][] = [];
    const committer = new GroupCommitter<number, number>(async (batch) => {
      batches.push(batch);
      return batch.map((x) => x * 10);
    }, { maxBatch: 3 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => committer.submit(x)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('answers nobody before the commit returns, and fails the whole batch if it throws', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let committing!: () => void;
    const commitStarted = new Promise<void>((r) => (committing = r));
    const committer = new GroupCommitter<number, number>(async (batch) => {
      committing();
      await gate;
      if (batch.includes(13)) throw new Error('disk full');
      return batch;
    }, { maxBatch: 100 });
    let answered = false;
    const first = committer.submit(1).then((v) => ((answered = true), v));
    // The batch is in its commit, which cannot return before the gate opens: an answer now
    // would be one given before the commit returned.
    await commitStarted;
    await new Promise<void>((r) => setImmediate(r)); // and let anything already settled run its callbacks
    expect(answered).toBe(false);
    release();
    expect(await first).toBe(1);
    await expect(committer.submit(13)).rejects.toThrow('disk full');
    await committer.drain();
  });
});
