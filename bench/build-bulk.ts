// Builds (or finds) the cached bulk database of N stories: `tsx bench/build-bulk.ts CACHE_DIR STORIES`. The default
// bench run starts it in a second process when the 1M-story database is not cached yet.
import { ensureBulkDatabase } from './lib/bulk.ts';
import { bulkOptions } from './sections/dedup.ts';

const [cacheDir, stories] = process.argv.slice(2);
if (!cacheDir || !Number(stories)) {
  console.error('usage: tsx bench/build-bulk.ts CACHE_DIR STORIES');
  process.exit(2);
}
const info = ensureBulkDatabase(cacheDir, bulkOptions(Number(stories)).options, (line) => console.log(line));
console.log(JSON.stringify({ path: info.path, seconds: info.seconds, cached: info.cached }));
