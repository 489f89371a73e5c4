// The JSON Schema of wiredesk.yaml for editors (yaml-language-server, VS Code), generated from the zod schema's input side.
import { z } from 'zod';
import { configSchema } from './schema.ts';
import { KEY_DESCRIPTIONS } from './descriptions.ts';

/** Where the committed copy lives, relative to the project root (`npm run config:schema` rewrites it). */
export const CONFIG_JSON_SCHEMA_PATH = 'config/wiredesk.schema.json';

/**
 * The JSON Schema (draft 2020-12) of the config as written: durations and sizes as text or numbers, defaults
 * as a user would write them. Checks that are functions (cron syntax, time zones, unique ids) are not
 * expressible in JSON Schema and stay with `wiredesk check-config`.
 */
export function buildConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  describeProperties(schema as JsonSchema, '');
  return {
    $schema: schema['$schema'],
    $id: 'https://example.org/wiredesk/wiredesk.schema.json',
    title: 'Wiredesk configuration (wiredesk.yaml)',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}

/** The file's exact text: two-space indented JSON and a final newline. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(buildConfigJsonSchema(), null, 2)}\n`;
}

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; description?: string };

/** Puts KEY_DESCRIPTIONS on each property; a format hint already there (durations, sizes) follows as "Written as ...". */
function describeProperties(schema: JsonSchema, path: string): void {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const keyPath = path === '' ? key : `${path}.${key}`;
    const text = KEY_DESCRIPTIONS[keyPath];
    if (text !== undefined) property.description = property.description ? `${text} Written as ${property.description}.` : text;
    describeNested(property, keyPath);
  }
}

function describeNested(schema: JsonSchema, path: string): void {
  describeProperties(schema, path);
  if (schema.items) describeNested(schema.items, `${path}[]`);
  for (const option of schema.anyOf ?? []) describeNested(option, path);
}

/** Every property path of the schema (`sources[].every`), for the test that each one is described. */
export function listPropertyPaths(): string[] {
  const paths: string[] = [];
  const walk = (schema: JsonSchema, path: string): void => {
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      paths.push(keyPath);
      walk(property, keyPath);
    }
    if (schema.items) walk(schema.items, `${path}[]`);
    for (const option of schema.anyOf ?? []) walk(option, path);
  };
  walk(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, '');
  return [...new Set(paths)];
}
