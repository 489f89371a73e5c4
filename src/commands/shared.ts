// What every command shares: loading the config with readable errors, opening the app, printing tables.
import { ConfigError, loadConfigFile } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { App } from '../app.ts';
import { createLogger } from '../log.ts';

export const DEFAULT_CONFIG = 'config/wiredesk.yaml';

/** Thrown by commands to exit with a code after printing a message (no stack trace for expected failures). */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Loads the config; a bad config becomes a CommandError listing every problem with file:line:column. */
export function loadConfigOrFail(path: string): Config {
  try {
    return loadConfigFile(path);
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(error.errors.join('\n'), 2);
    throw error;
  }
}

/** Runs `body` with an app opened on the config, and closes it whatever happens. */
export async function withApp<T>(configPath: string, body: (app: App) => Promise<T>): Promise<T> {
  const config = loadConfigOrFail(configPath);
  const { openApp } = await import('../app.ts'); // loaded on use: commands that only read the config start faster
  const app = await openApp(config, { logger: createLogger(config.log.level) });
  try {
    return await body(app);
  } finally {
    await app.close();
  }
}

/** Formats rows as an aligned plain-text table. */
export function formatTable(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === undefined ? '-' : String(cell))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** Prints a line to stdout (command output; logs go to stderr). */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
