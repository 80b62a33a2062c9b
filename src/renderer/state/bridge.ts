import type { CourierBridge, IpcEventName, IpcEventPayload, IpcMethodName, IpcParams, IpcResultValue, UserError } from '../../shared/ipc';

/** A refusal from main, with the stable code the UI branches on and a sentence it can show. */
export class BridgeError extends Error {
  readonly code: string;
  constructor(error: UserError) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
  }
}

/**
 * `window.courier` with the envelope unwrapped: resolves with the value or rejects with a
 * BridgeError. Stores take this rather than reading the global, so tests hand them a fake.
 */
export interface Courier {
  call<M extends IpcMethodName>(method: M, params: IpcParams<M>): Promise<IpcResultValue<M>>;
  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}

export function wrapBridge(bridge: CourierBridge): Courier {
  return {
    async call(method, params) {
      const result = await bridge.invoke(method, params);
      if (!result.ok) throw new BridgeError(result.error);
      return result.value;
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}

/** The sentence to show for a failure of any kind. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function errorCode(error: unknown): string {
  return error instanceof BridgeError ? error.code : 'internal';
}
