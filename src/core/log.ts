import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Write to this file descriptor instead of stdout (2 = stderr). */
  fd?: number;
}

/** One structured logger per process; parts of kos take children with a `component`. */
export function createLogger(opts: LogOptions = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? process.env.KOS_LOG_LEVEL ?? 'info',
    base: { service: 'kos' },
    // Never log credentials, whatever a caller passes in.
    redact: ['req.headers["x-auth-token"]', 'req.headers["x-subject-token"]', 'req.headers.authorization', '*.password'],
  };
  return pino(options, pino.destination({ fd: opts.fd ?? 1, sync: false }));
}

/** A logger that drops everything: tests and benchmarks. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
