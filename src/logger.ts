import pino, { Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; secrets never go in (see redact). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'labelgate' },
    redact: { paths: ['req.headers.authorization', '*.password', '*.secretAccessKey', '*.apiKey'], censor: '[redacted]' },
  });
}
