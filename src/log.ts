// Structured logs: one JSON object per line (pino), to stderr so that command output on stdout stays clean.
import { pino } from 'pino';

export type Logger = pino.Logger;

/** A logger at `level`, writing JSON lines to stderr (fd 2). */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { app: 'wiredesk' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
