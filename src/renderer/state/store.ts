/**
 * The smallest observable store: an immutable snapshot, replaced (never mutated) on every
 * change, so `useSyncExternalStore` can compare snapshots by identity.
 */
export class Store<S> {
  private readonly listeners = new Set<() => void>();

  constructor(private state: S) {}

  readonly getSnapshot = (): S => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected get current(): S {
    return this.state;
  }

  protected set(next: S): void {
    if (Object.is(next, this.state)) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }

  protected update(patch: Partial<S>): void {
    this.set({ ...this.state, ...patch });
  }
}
