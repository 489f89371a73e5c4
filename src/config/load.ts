// Reads the YAML config, applies environment overrides, validates it against the schema and freezes the result.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { configSchema, type Config } from './schema.ts';
import { ConfigError } from './errors.ts';
import { createLocator, formatPath, type ConfigPath, type Locator } from './locate.ts';
import { describeIssues, type ConfigProblem } from './messages.ts';

export { ConfigError } from './errors.ts';

/** Environment variables that override one key each (DESIGN.md, Configuration). */
export const ENV_OVERRIDES = [
  { name: 'WIREDESK_PORT', path: ['server', 'port'], isNumber: true },
  { name: 'WIREDESK_DATABASE', path: ['database'], isNumber: false },
  { name: 'WIREDESK_LOG_LEVEL', path: ['log', 'level'], isNumber: false },
] as const;

interface Origin {
  file?: string | undefined;
  locator?: Locator | undefined;
  /** Paths whose value came from an environment variable, with the variable's name. */
  fromEnv?: Map<string, string>;
}

/**
 * Reads, validates and freezes a config file. Throws ConfigError listing every problem at once, each as
 * `file:line:col path: message`. `env` (default process.env) supplies the WIREDESK_* overrides and the
 * `${VAR}` values in source headers.
 */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([`${path}: cannot read the config file (${reason})`], { code: 'CONFIG_UNREADABLE', cause: error });
  }
  return parseConfigText(text, path, env);
}

/** Parses and validates config text as loadConfigFile does (`file` only names it in messages). */
export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = {}): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `${file}:${line}:${col} YAML: ${firstLine(error.message)}`;
      }),
    );
  }
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new ConfigError([`${file}:1:1 YAML: ${firstLine((error as Error).message)}`], { cause: error });
  }
  const locator = createLocator(doc, lineCounter);
  dropEmptyKeys(input);
  const fromEnv = applyEnvOverrides(input, env);
  const problems = expandHeaderVariables(input, env);
  return validateWithOrigin(input, { file, locator, fromEnv }, problems);
}

/** Validates an already-parsed config (defaults applied, frozen). Errors carry paths, and `file` when given. */
export function validateConfig(input: unknown, file?: string): Config {
  return validateWithOrigin(input, { file }, []);
}

function validateWithOrigin(input: unknown, origin: Origin, earlier: ConfigProblem[]): Config {
  const result = configSchema.safeParse(input, { reportInput: true });
  const problems = [...earlier, ...(result.success ? [] : describeIssues(result.error.issues, input, knownKeysAt))];
  if (problems.length > 0 || !result.success) {
    throw new ConfigError(sortProblems(problems, origin).map((problem) => formatProblem(problem, origin)));
  }
  return deepFreeze(result.data);
}

/**
 * Removes keys written with no value (`sources:` with every entry commented out, `title:`): in YAML they are
 * null, and the user means "nothing here", so the default applies. Null entries of lists stay and are errors.
 */
function dropEmptyKeys(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(dropEmptyKeys);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (child === null) delete (value as Record<string, unknown>)[key];
      else dropEmptyKeys(child);
    }
  }
}

/** Sets the overridden keys in the raw input (so the schema checks them); returns which paths came from where. */
function applyEnvOverrides(input: unknown, env: NodeJS.ProcessEnv): Map<string, string> {
  const fromEnv = new Map<string, string>();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fromEnv;
  for (const override of ENV_OVERRIDES) {
    const raw = env[override.name];
    if (raw === undefined || raw === '') continue;
    let parent = input as Record<string, unknown>;
    for (const key of override.path.slice(0, -1)) {
      const next = parent[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) parent[key] = {};
      parent = parent[key] as Record<string, unknown>;
    }
    const value = override.isNumber && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    parent[override.path[override.path.length - 1] as string] = value;
    fromEnv.set(formatPath(override.path), override.name);
  }
  return fromEnv;
}

/** Replaces `${VAR}` in sources[].headers values from the environment; a missing variable is an error, not "". */
function expandHeaderVariables(input: unknown, env: NodeJS.ProcessEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const sources = (input as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) return problems;
  sources.forEach((source, index) => {
    const headers = (source as { headers?: unknown } | null)?.headers;
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return;
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      (headers as Record<string, unknown>)[name] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, variable: string) => {
        const replacement = env[variable];
        if (replacement === undefined) {
          problems.push({ path: ['sources', index, 'headers', name], message: `environment variable ${variable} is not set` });
          return whole;
        }
        return replacement;
      });
    }
  });
  return problems;
}

function formatProblem(problem: ConfigProblem, origin: Origin): string {
  const path = formatPath(problem.path);
  const variable = origin.fromEnv?.get(path);
  if (variable) return `${variable} (environment) ${path}: ${problem.message}`;
  const position = problem.key !== undefined ? origin.locator?.keyAt(problem.path.slice(0, -1), problem.key) : origin.locator?.valueAt(problem.path);
  const where = origin.file === undefined ? '' : position ? `${origin.file}:${position.line}:${position.col} ` : `${origin.file}: `;
  return `${where}${path}: ${problem.message}`;
}

/** Environment overrides first, then in file order, so the list reads top to bottom. */
function sortProblems(problems: ConfigProblem[], origin: Origin): ConfigProblem[] {
  const locator = origin.locator;
  if (!locator) return problems;
  const rank = (problem: ConfigProblem): number => {
    if (origin.fromEnv?.has(formatPath(problem.path))) return 0;
    const position = problem.key !== undefined ? locator.keyAt(problem.path.slice(0, -1), problem.key) : locator.valueAt(problem.path);
    return position ? position.line * 10_000 + position.col : 0;
  };
  return problems.map((problem) => ({ problem, at: rank(problem) })).sort((a, b) => a.at - b.at).map(({ problem }) => problem);
}

/** The keys the schema allows at a path, for "did you mean" hints. */
function knownKeysAt(path: ConfigPath): string[] {
  let schema: unknown = configSchema;
  for (const segment of path) {
    const def = unwrap(schema)._zod.def;
    if (typeof segment === 'number' && def['type'] === 'array') schema = def['element'];
    else if (typeof segment === 'string' && def['type'] === 'object') schema = (def['shape'] as Record<string, unknown>)[segment];
    else return [];
    if (schema === undefined) return [];
  }
  const def = unwrap(schema)._zod.def;
  return def['type'] === 'object' ? Object.keys(def['shape'] as object) : [];
}

type SchemaNode = { _zod: { def: Record<string, unknown> } };

/** Looks through defaults, optionals and transforms to the schema that holds the shape. */
function unwrap(schema: unknown): SchemaNode {
  let current = schema as SchemaNode;
  for (;;) {
    const def = current._zod.def;
    if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def['type'] as string)) current = def['innerType'] as typeof current;
    else if (def['type'] === 'pipe') current = def['in'] as typeof current;
    else return current;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Freezes the validated config all the way down (fastify's habit): stages cannot change it under each other. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
