/**
 * Group commit: requests that arrive in the same moment share one transaction, so one
 * fsync covers many writes. A batch starts on the next turn of the event loop; while it
 * commits, new requests gather into the next one. Each caller gets its own result only
 * after its batch's commit returned, which is what makes an ack mean "durable".
 */
export class GroupCommitter<Req, Res> {
  private queue: Array<{ req: Req; resolve: (r: Res) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly commit: (batch: Req[]) => Promise<Res[]>,
    private readonly options: { maxBatch: number; onBatch?: (size: number, seconds: number) => void },
  ) {}

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything submitted so far is committed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.running || this.scheduled) {
      if (this.running) await this.running;
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.flush().finally(() => {
        this.running = null;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.options.maxBatch);
    const started = performance.now();
    try {
      const results = await this.commit(batch.map((b) => b.req));
      this.options.onBatch?.(batch.length, (performance.now() - started) / 1000);
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (error) {
      batch.forEach((b) => b.reject(error));
    }
  }
}
