// Builds (or finds) cached bench databases: `tsx bench/build-bulk.ts CACHE_DIR TARGET...`, TARGET `base:N` (a base
// of N stories) or `bulk:N` (the bulk database of N stories), printing `ready TARGET` after each. The default bench
// run starts it in a second process for the databases its cache lacks (bench/lib/prebuild.ts).
import { baseCachePath, baseDatabaseCopy } from './lib/base.ts';
import { ensureBulkDatabase } from './lib/bulk.ts';
import { bulkOptions } from './sections/dedup.ts';
import { benchConfig } from './sections/ingest.ts';

const [cacheDir, ...targets] = process.argv.slice(2);
if (!cacheDir || targets.length === 0 || targets.some((t) => !/^(base|bulk):\d+$/.test(t))) {
  console.error('usage: tsx bench/build-bulk.ts CACHE_DIR base:N|bulk:N...');
  process.exit(2);
}
const log = (line: string) => console.log(line);
for (const target of targets) {
  const [kind, n] = target.split(':') as ['base' | 'bulk', string];
  const count = Number(n);
  if (kind === 'base') await baseDatabaseCopy(cacheDir, null, count, benchConfig(baseCachePath(cacheDir, count)), log);
  else ensureBulkDatabase(cacheDir, bulkOptions(count).options, log);
  console.log(`ready ${target}`);
}
