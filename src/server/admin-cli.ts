import { runAdmin } from './admin/run-admin';

/** `npm run admin`: the process's own streams around runAdmin (src/server/admin/run-admin.ts). */
runAdmin({ argv: process.argv.slice(2), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`courier admin: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
