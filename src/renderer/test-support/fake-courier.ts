import type { IpcEventName, IpcEventPayload, IpcMethodName, IpcParams, IpcResultValue } from '../../shared/ipc';
import type { Courier } from '../state/bridge';
import { BridgeError } from '../state/bridge';

type Handler = (params: unknown) => unknown;

/**
 * A scripted `Courier` for store and component tests: each method answers from a handler
 * the test sets, every call is recorded, and `emit` plays main's events.
 */
export class FakeCourier implements Courier {
  readonly calls: Array<{ method: IpcMethodName; params: unknown }> = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();

  handle<M extends IpcMethodName>(method: M, handler: (params: IpcParams<M>) => IpcResultValue<M> | Promise<IpcResultValue<M>>): this {
    this.handlers.set(method, handler as Handler);
    return this;
  }

  /** Makes a method fail with a BridgeError (as main's envelope would). */
  fail(method: IpcMethodName, code: string, message: string): this {
    this.handlers.set(method, () => {
      throw new BridgeError({ code, message });
    });
    return this;
  }

  async call<M extends IpcMethodName>(method: M, params: IpcParams<M>): Promise<IpcResultValue<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) throw new BridgeError({ code: 'unknown_method', message: `FakeCourier: no handler for ${method}` });
    return (await handler(params)) as IpcResultValue<M>;
  }

  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: IpcEventPayload<E>) => void)(payload);
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  callsOf(method: IpcMethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }
}
