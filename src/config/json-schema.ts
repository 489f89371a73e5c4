// The JSON Schema of wiredesk.yaml for editors (yaml-language-server, VS Code), generated from the zod schema's input side.
import { z } from 'zod';
import { configSchema } from './schema.ts';

/** Where the committed copy lives, relative to the project root (`npm run config:schema` rewrites it). */
export const CONFIG_JSON_SCHEMA_PATH = 'config/wiredesk.schema.json';

/**
 * The JSON Schema (draft 2020-12) of the config as written: durations and sizes as text or numbers, defaults
 * as a user would write them. Checks that are functions (cron syntax, time zones, unique ids) are not
 * expressible in JSON Schema and stay with `wiredesk check-config`.
 */
export function buildConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
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
