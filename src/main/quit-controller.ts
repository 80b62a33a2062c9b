import { app } from 'electron';

/**
 * The app quits only when asked to (tray menu, app menu, Cmd/Ctrl+Q, OS logout), never
 * because its window closed. Quitting is two-phase: the first 'before-quit' is held back
 * until the core has closed (the local database flushed, the socket closed cleanly), then
 * app.quit() runs again and goes through. `quitting` tells the window's close handler to
 * let the window really close instead of hiding it.
 */
export class QuitController {
  private quittingFlag = false;
  private closed = false;
  private closing: Promise<void> | null = null;

  /**
   * @param shutdown  stops everything the shell started and closes the core
   * @param timeoutMs quit anyway if shutdown has not finished by then: a stuck close must
   *                  never leave a process the user cannot get rid of
   */
  constructor(
    private readonly shutdown: () => Promise<void>,
    private readonly timeoutMs = 5_000,
  ) {}

  get quitting(): boolean {
    return this.quittingFlag;
  }

  /** Windows logout/shutdown: no 'before-quit' comes, but windows must not refuse to close. */
  markQuitting(): void {
    this.quittingFlag = true;
  }

  install(): void {
    app.on('before-quit', (event) => this.onBeforeQuit(event));
  }

  onBeforeQuit(event: { preventDefault(): void }): void {
    this.quittingFlag = true;
    if (this.closed) return;
    event.preventDefault();
    if (this.closing !== null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.error(`Courier did not shut down within ${this.timeoutMs} ms; quitting anyway.`);
        resolve();
      }, this.timeoutMs);
    });
    const shutdown = this.startShutdown().catch((error: unknown) => console.error('Courier shutdown failed:', error));
    this.closing = Promise.race([shutdown, timeout]).then(() => {
      clearTimeout(timer);
      this.closed = true;
      app.quit();
    });
  }

  private startShutdown(): Promise<void> {
    try {
      return this.shutdown();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
