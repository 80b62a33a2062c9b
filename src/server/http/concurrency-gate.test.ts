import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from './concurrency-gate';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ConcurrencyGate', () => {
  it('runs up to the limit, queues up to the queue, refuses the rest at once', async () => {
    const gate = new ConcurrencyGate(2, 1);
    const release = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      await release[i]!.promise;
      return i;
    };
    const running = [gate.run(task(0)), gate.run(task(1)), gate.run(task(2))];
    expect(await gate.run(task(3))).toBeNull(); // two running, one waiting: full
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    release[0]!.resolve();
    expect(await running[0]).toEqual({ value: 0 });
    await new Promise((r) => setImmediate(r)); // the queued task's turn comes in a microtask
    expect(started).toEqual([0, 1, 2]); // the slot went to the one in line
    expect(gate.inFlight).toBe(2);
    release[1]!.resolve();
    release[2]!.resolve();
    expect(await Promise.all(running.slice(1))).toEqual([{ value: 1 }, { value: 2 }]);
    expect(gate.inFlight).toBe(0);
  });

  it('frees the slot when a task throws', async () => {
    const gate = new ConcurrencyGate(1, 0);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'ok')).toEqual({ value: 'ok' });
  });
});
