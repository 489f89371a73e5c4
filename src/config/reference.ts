// The README's configuration reference as a Markdown table, generated from the schema so that it cannot drift.
import { z } from 'zod';
import { configSchema } from './schema.ts';
import { KEY_DESCRIPTIONS } from './descriptions.ts';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  required?: string[];
  description?: string;
};

/** Defaults that depend on other keys, which the schema applies in code rather than as JSON defaults. */
const COMPUTED_DEFAULTS: Readonly<Record<string, string>> = {
  'sources[].title': 'the id',
  'sources[].attribution': 'the title',
  'sources[].every': '`schedule.every`',
  'sources[].republish': '`summary` (url:), `full` (path:)',
  'sources[].retention_days': '`retention.days`',
  sources: '`[]`',
  feeds: '`[]`',
  'tagging.rules': '`[]`',
  'feeds[].filter.max_age': '(no limit)',
};

/** One row per key: `| key | type | default | meaning |`, in schema order. */
export function renderConfigReference(): string {
  const rows: string[] = ['| key | type | default | meaning |', '|---|---|---|---|'];
  const walk = (schema: JsonSchema, path: string, required: readonly string[]): void => {
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      const isObject = property.properties !== undefined;
      const shown = `\`${keyPath}\``;
      const fallback = COMPUTED_DEFAULTS[keyPath] ?? (property.default !== undefined && !isObject ? code(property.default) : required.includes(key) ? '**required**' : isObject ? '' : '(none)');
      rows.push(`| ${shown} | ${typeOf(property, keyPath)} | ${fallback} | ${(KEY_DESCRIPTIONS[keyPath] ?? '').replaceAll('|', '\\|')} |`);
      walk(property, keyPath, property.required ?? []);
      const element = property.items ?? property.anyOf?.find((option) => option.items)?.items;
      if (element?.properties) walk(element, `${keyPath}[]`, element.required ?? []);
    }
  };
  walk(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, '', []);
  return `${rows.join('\n')}\n`;
}

function code(value: unknown): string {
  if (value === null) return '(none)';
  if (value === '') return '`""`';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``.replaceAll('|', '\\|');
}

function typeOf(schema: JsonSchema, path: string): string {
  const hint = schema.description ?? '';
  if (hint.startsWith('a duration')) return 'duration';
  if (hint.startsWith('a size')) return 'size';
  if (schema.enum) return schema.enum.map((value) => String(value)).join(' \\| ');
  if (schema.anyOf) return [...new Set(schema.anyOf.map((option) => typeOf(option, path)).filter((type) => type !== 'null'))].join(' or ');
  if (schema.type === 'array') return schema.items?.properties ? 'list of mappings' : `list of ${typeOf(schema.items ?? {}, path)}`;
  if (schema.type === 'object') return schema.properties ? 'mapping' : 'mapping of text';
  if (schema.type === 'integer') return 'integer';
  if (schema.type === 'string') return /(^|\.)(tags\w*|exclude_tags|tag|untag)$/.test(path) ? 'tag' : 'text';
  return Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
}
