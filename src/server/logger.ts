import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Tokens, passwords and message bodies never reach a log: the code
 * does not log them, and these redactions catch a mistake before it ships.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'courier' },
      redact: {
        paths: [
          'req.headers.authorization',
          'headers.authorization',
          '*.token',
          '*.accessToken',
          '*.refreshToken',
          '*.password',
          '*.body',
          'token',
          'password',
          'body',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
