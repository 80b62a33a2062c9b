/**
 * `npx tsx bench/server/profile-summary.ts <file.cpuprofile> [top] [from-s:to-s]`
 *
 * Where the server's CPU time went, from a V8 profile written by
 * `npm run bench:server -- --cpu-prof`: self time per function, and self time grouped by
 * where the code lives (a src/ file, a node_modules package, node internals, native/GC),
 * plus inclusive ("total") time for the Courier functions worth knowing about. With a
 * window (seconds from the profile's start) only those samples count; a per-second
 * "busy" timeline (share of samples not idle) helps to pick the window of one step.
 *
 * Time inside a synchronous native call (a better-sqlite3 COMMIT waiting for fsync, a
 * socket writev) is charged to that call whether the thread was on the CPU or blocked.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg, windowArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/server/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const [from, to] = (windowArg ?? '0:1e9').split(':').map((x) => Number(x) * 1e6);
const idleId = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
const selfUs = new Map<number, number>();
const busy: number[] = [];
let t = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  const second = Math.floor(t / 1e6);
  busy[second] = (busy[second] ?? 0) + (idleId.has(id) ? 0 : dt);
  if (t >= from! && t < to!) selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  if (!url) return '(native / V8 / GC)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `pkg ${nm[1]}`;
  const src = /\/(src\/.+)$/.exec(url);
  if (src) return src[1]!;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const fnSelf = new Map<string, number>();
const placeSelf = new Map<string, number>();
const fnTotal = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  const name = n.callFrame.functionName;
  const key = name === '(garbage collector)' || name === '(idle)' || name === '(program)' ? name : label(n);
  fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
  const place = name === '(idle)' ? '(idle)' : name === '(garbage collector)' ? '(garbage collector)' : where(n.callFrame.url);
  placeSelf.set(place, (placeSelf.get(place) ?? 0) + us);
  // Inclusive time: credit each distinct function on the stack once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    fnTotal.set(l, (fnTotal.get(l) ?? 0) + us);
  }
}

const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
const print = (title: string, m: Map<string, number>, n: number, filter: (k: string) => boolean = () => true) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, n)) {
    process.stdout.write(`${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
  }
};
process.stdout.write(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled${windowArg ? ` in window ${windowArg} s` : ''}\n`);
process.stdout.write(`busy % per second: ${busy.map((us, s) => `${s}:${Math.round((us ?? 0) / 1e4)}`).join(' ')}\n`);
print('self time by place', placeSelf, 25);
print('self time by function', fnSelf, top);
print('total (inclusive) time, Courier code', fnTotal, top, (k) => k.includes(' src/'));
