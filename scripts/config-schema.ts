// Writes config/wiredesk.schema.json from the zod schema (npm run config:schema); a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { CONFIG_JSON_SCHEMA_PATH, renderConfigJsonSchema } from '../src/config/json-schema.ts';

const target = process.argv[2] ?? CONFIG_JSON_SCHEMA_PATH;
writeFileSync(target, renderConfigJsonSchema());
console.log(`wrote ${target}`);
