// The coded error of the config stage: every problem of a config file, each one line with its file:line:column.

/** `CONFIG_INVALID`: the file does not parse or does not validate. `CONFIG_UNREADABLE`: the file cannot be read. */
export type ConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_UNREADABLE';

export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly stage = 'config';
  /** One line per problem, e.g. `config/wiredesk.yaml:14:7 sources[2].every: "5 minutes" is not a duration (use 5m)`. */
  readonly errors: string[];

  constructor(errors: string[], options?: { code?: ConfigErrorCode; cause?: unknown }) {
    const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
    super(`invalid config (${count}):\n${errors.join('\n')}`, { cause: options?.cause });
    this.name = 'ConfigError';
    this.code = options?.code ?? 'CONFIG_INVALID';
    this.errors = errors;
  }
}
