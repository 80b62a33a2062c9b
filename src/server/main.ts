import { ConfigError, loadConfig, usage } from './config';
import { createLogger } from './logger';
import { startServer } from './server';

/**
 * `npm run server`: configuration from flags and environment, then run until SIGINT or
 * SIGTERM, which stop the server gracefully (pending writes committed, sockets closed
 * with 1001 so clients reconnect elsewhere or later).
 */
const SHUTDOWN_DEADLINE_MS = 15_000;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return;
  }
  let config;
  try {
    config = loadConfig(argv, process.env);
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`courier: ${error.message}\n\n${usage()}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer({ config, logger });
  let signals = 0;
  const stop = (signal: string) => {
    if (++signals > 1) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    // Normally a stop takes well under a second; never hang a service manager forever.
    setTimeout(() => {
      logger.fatal({ afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`courier: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
