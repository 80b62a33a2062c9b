/// <reference types="vite/client" />
import type { CourierBridge } from '../shared/ipc/contract';

// `window.courier` is put there by src/preload; the renderer can only see its type.
declare global {
  interface Window {
    readonly courier: CourierBridge;
  }
}
