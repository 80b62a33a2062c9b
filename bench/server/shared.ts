/**
 * What the orchestrator (run.ts) and the load generators (generator.ts) say to each other
 * over the fork() IPC channel, plus small helpers both use. Benchmark code only: nothing
 * here is imported by the server.
 */
import { readFileSync } from 'node:fs';

export type Target = 'courier' | 'bare';

/** One side of a 1:1 pair. For the bare relay `token` and `userId` are unused. */
export interface PeerSpec {
  token: string;
  userId: string;
}

export type Job =
  | {
      cmd: 'idle';
      target: Target;
      /** ws://127.0.0.1:port/ws (courier) or ws://127.0.0.1:port (bare). */
      url: string;
      count: number;
      /** Courier: access tokens, used round-robin (several sockets per session). */
      tokens: string[];
      localAddress: string;
      concurrency: number;
      worker: number;
    }
  | { cmd: 'closeIdle' }
  | { cmd: 'pairs'; target: Target; url: string; pairs: Array<{ index: number; a: PeerSpec; b: PeerSpec }>; localAddress: string }
  | { cmd: 'step'; step: number; rate: number; durationMs: number; graceMs: number }
  | { cmd: 'closePairs' };

export interface IdleReport {
  opened: number;
  failed: number;
  firstError: string | null;
  ms: number;
}

export interface StepReport {
  sent: number;
  acked: number;
  delivered: number;
  /** Sent but never acked or never delivered within the grace period. */
  lost: number;
  duplicates: number;
  /** Deliveries to the wrong socket, acks for unknown ids, and the like. */
  misrouted: number;
  errors: number;
  firstError: string | null;
  /** Seconds from the first send to the last send. */
  sendSeconds: number;
  /** How late the generator got behind its schedule (ms): a sign the generator itself is starved. */
  maxSendLagMs: number;
  /** The generator's own event-loop delay during the step (ms): stalls here inflate latencies. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Generator CPU time (user + system) during the step, seconds. */
  cpuSeconds: number;
  ackMs: Float64Array;
  deliverMs: Float64Array;
}

export type Reply =
  | { ok: true; cmd: 'idle'; report: IdleReport }
  | { ok: true; cmd: 'closeIdle' | 'closePairs' }
  | { ok: true; cmd: 'pairs'; opened: number }
  | { ok: true; cmd: 'step'; report: StepReport }
  | { ok: false; cmd: Job['cmd']; error: string };

export { percentileSorted as percentile } from '../stats';

/** Resident set size of a process, in KiB (VmRSS from /proc/<pid>/status). */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (100 ticks/s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14 and 15)
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
