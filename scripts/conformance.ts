// Conformance runner: parses the shared corpora and prints, per corpus and suite, how many documents parse and expectations hold.
// Usage: npm run conformance [-- [--json] [--write-floor] [CORPORA_DIR]]   (CORPORA_DIR defaults to ../shared/corpora)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rowId, type Miss, type Row } from './conformance/compare.ts';
import { runFeedparser } from './conformance/feedparser.ts';
import { runOthers } from './conformance/others.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const floorPath = join(projectRoot, 'conformance', 'floor.json');

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const writeFloor = args.includes('--write-floor');
const corpusArg = args.find((a) => !a.startsWith('--'));
const corpora = corpusArg ? resolve(corpusArg) : resolve(projectRoot, '../shared/corpora');

const started = Date.now();
const feedparser = runFeedparser(corpora);
const others = runOthers(corpora);
const rows: Row[] = [...feedparser.rows, ...others.rows];
const misses: Miss[] = [...feedparser.misses, ...others.misses];
const rate = (row: Row): number => (row.total === 0 ? 1 : row.passed / row.total);

/** Floors: the lowest pass rate each row may have; rows without a floor are reported but not enforced. */
let floor: Record<string, number> = {};
try {
  floor = JSON.parse(readFileSync(floorPath, 'utf8')) as Record<string, number>;
} catch {
  floor = {};
}
const below = rows.filter((row) => floor[rowId(row)] !== undefined && rate(row) < (floor[rowId(row)] as number) - 1e-9);

if (writeFloor) {
  // Raising the floor is deliberate: it only ever goes up, and the diff shows in review.
  const next: Record<string, number> = { ...floor };
  for (const row of rows) if (!row.measure.includes('not scored')) next[rowId(row)] = Math.max(floor[rowId(row)] ?? 0, Math.floor(rate(row) * 1000) / 1000);
  writeFileSync(floorPath, `${JSON.stringify(next, null, 2)}\n`);
}

if (asJson) {
  const table = rows.map((row) => ({ ...row, rate: Number(rate(row).toFixed(4)), floor: floor[rowId(row)] ?? null }));
  process.stdout.write(`${JSON.stringify({ corpora, seconds: (Date.now() - started) / 1000, rows: table, below_floor: below.map(rowId), misses }, null, 2)}\n`);
} else {
  const pad = (s: string, n: number): string => s.padEnd(n);
  console.log(`${pad('corpus', 16)}${pad('suite', 12)}${pad('measure', 46)}${pad('passed', 12)}${pad('rate', 9)}floor`);
  for (const row of rows) {
    const f = floor[rowId(row)];
    console.log(`${pad(row.corpus, 16)}${pad(row.suite, 12)}${pad(row.measure, 46)}${pad(`${row.passed}/${row.total}`, 12)}${pad(`${(rate(row) * 100).toFixed(1)}%`, 9)}${f === undefined ? '-' : `${(f * 100).toFixed(1)}%`}`);
  }
  console.log(`\nMisses (${misses.length}):`);
  for (const miss of misses) console.log(`  [${miss.row}] ${miss.file}: ${miss.detail.replace(/\s+/g, ' ').slice(0, 240)}`);
  console.log(`\n${rows.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s; corpora: ${corpora}`);
  for (const row of below) console.log(`BELOW FLOOR: ${rowId(row)} ${(rate(row) * 100).toFixed(1)}% < ${((floor[rowId(row)] as number) * 100).toFixed(1)}%`);
}
process.exitCode = below.length > 0 ? 1 : 0;
