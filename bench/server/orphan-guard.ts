/**
 * Loaded into every benchmark child (`--import ./bench/server/orphan-guard.ts` for the
 * Courier server, an import for the others): if the benchmark's main process disappears
 * without cleaning up (SIGKILL, a crashed terminal), the child is re-parented; it notices
 * within a second and stops itself with SIGTERM, so no server is left running.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();
