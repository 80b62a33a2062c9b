import type WebSocket from 'ws';

/**
 * Declares a connection dead when the server has been silent too long. The server pings
 * every `heartbeatMs` (announced in `ready`); a laptop that slept or a NAT that dropped
 * the mapping leaves a half-open TCP connection that looks fine locally for hours, so
 * silence is the only reliable signal. Any frame or ping counts as a sign of life.
 */
export interface LivenessOptions {
  heartbeatMs: number;
  /** Dead after this many heartbeats of silence (default 2). */
  missedBeats?: number;
  onDead: (silentMs: number) => void;
  now?: () => number;
}

export function watchLiveness(ws: WebSocket, o: LivenessOptions): { probe(timeoutMs: number): void; stop(): void } {
  const now = o.now ?? (() => performance.now());
  const limit = o.heartbeatMs * (o.missedBeats ?? 2);
  let lastHeard = now();
  let stopped = false;
  const heard = () => {
    lastHeard = now();
  };
  ws.on('ping', heard);
  ws.on('pong', heard);
  ws.on('message', heard);

  const check = () => {
    const silent = now() - lastHeard;
    if (silent > limit) declareDead(silent);
  };
  // Checking four times per limit bounds detection at limit × 1.25.
  const timer = setInterval(check, Math.max(50, Math.floor(limit / 4)));
  timer.unref();
  let probeTimer: NodeJS.Timeout | undefined;

  function declareDead(silent: number) {
    if (stopped) return;
    stop();
    o.onDead(silent);
  }

  function stop() {
    stopped = true;
    clearInterval(timer);
    clearTimeout(probeTimer);
    ws.off('ping', heard);
    ws.off('pong', heard);
    ws.off('message', heard);
  }

  return {
    /**
     * Asks the server for a pong now (after an OS resume or a network change, when the
     * link is suspect) and declares the connection dead if nothing arrives in time.
     */
    probe(timeoutMs: number) {
      if (stopped || probeTimer) return;
      const askedAt = now();
      try {
        ws.ping();
      } catch {
        return declareDead(now() - lastHeard);
      }
      probeTimer = setTimeout(() => {
        probeTimer = undefined;
        if (lastHeard < askedAt) declareDead(now() - lastHeard);
      }, timeoutMs);
      probeTimer.unref();
    },
    stop,
  };
}
