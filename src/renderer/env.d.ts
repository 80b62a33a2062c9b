/// <reference types="vite/client" />
import type { CourierAppInfo } from '../shared/app-info';

// `window.courier` is put there by src/preload; the renderer can only see its type.
declare global {
  interface Window {
    readonly courier: CourierAppInfo;
  }
}
