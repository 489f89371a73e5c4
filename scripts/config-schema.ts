// Writes config/wiredesk.schema.json from the zod schema (npm run config:schema); a test fails when it is stale.
// With --reference, prints the README's configuration reference table (Markdown) instead.
import { writeFileSync } from 'node:fs';
import { CONFIG_JSON_SCHEMA_PATH, renderConfigJsonSchema } from '../src/config/json-schema.ts';
import { renderConfigReference } from '../src/config/reference.ts';

if (process.argv.includes('--reference')) {
  process.stdout.write(renderConfigReference());
} else {
  const target = process.argv[2] ?? CONFIG_JSON_SCHEMA_PATH;
  writeFileSync(target, renderConfigJsonSchema());
  console.log(`wrote ${target}`);
}
