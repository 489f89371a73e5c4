// `npm run bench`: generates its own corpus, measures Wiredesk beside its peers in the same run, prints a table and
// writes bench/results.json. Modes: --quick (about a minute, small sizes), default (under ten), --full (up to thirty).
// Options: --only=parse,ingest,related,render,serve,fetch,dedup,memory (related: default only with --full)  --cache-dir=DIR (bulk databases)  --keep (scratch files)
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReporter, formatTable, type Reporter } from './lib/stats.ts';
import type { BenchMode } from './lib/mode.ts';
import { runParse } from './sections/parse.ts';
import { runIngest } from './sections/ingest.ts';
import { bulkStories, runDedup } from './sections/dedup.ts';
import { startCacheBuild, type CacheTarget } from './lib/prebuild.ts';
import { runRender, runServe } from './sections/render-serve.ts';
import { runFetchCycle } from './sections/fetch-cycle.ts';
import { runMemory } from './sections/memory.ts';
import { runRelated } from './related.ts';

// In this order so that, on a cold run, the sections that need no cached database (parse, fetch) run while a second
// process builds them, and the load test, which keeps both cores busy, runs after dedup has waited for the 1M build
// (gzip serving measured 0.48 × nginx beside the build, 0.86 in an earlier run where the build barely ran).
const SECTIONS: Record<string, (mode: BenchMode, report: Reporter) => Promise<void>> = {
  parse: runParse,
  fetch: runFetchCycle,
  render: runRender,
  ingest: runIngest,
  // the related-posts engineer's bench (bench/related.ts): it stores its own 100k stories, so only --full or --only=related
  related: runRelated,
  dedup: runDedup,
  serve: runServe,
  memory: runMemory,
};

/**
 * The cached databases built in the background on a cold run, by the sections that open them: only the 1M-story
 * database (~190 s of one core on a quiet machine, 275–400 s at a load average of 4–6). The bases are left to the
 * sections in this process: with the 100k base in the background too (01:51 and 02:02 runs) the background chain was
 * the longer of the two and dedup waited 134–179 s for it.
 */
const CACHE_NEEDS: Record<string, (mode: BenchMode) => CacheTarget[]> = {
  dedup: (mode) => [`bulk:${bulkStories(mode)}`],
  memory: (mode) => [`bulk:${bulkStories(mode)}`],
};
/** Bases first, smallest first: they are needed before the 1M-story database. */
const buildRank = (t: CacheTarget) => (t.startsWith('bulk') ? 1e12 : 0) + Number(t.split(':')[1]);
const byBuildOrder = (a: CacheTarget, b: CacheTarget) => buildRank(a) - buildRank(b);

function option(args: string[], name: string): string | undefined {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found?.slice(name.length + 3);
}

async function main(args: string[]): Promise<number> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const name = args.includes('--quick') ? 'quick' : args.includes('--full') ? 'full' : 'default';
  const only = option(args, 'only')?.split(',') ?? Object.keys(SECTIONS).filter((s) => s !== 'related' || name === 'full');
  const unknown = only.filter((s) => !SECTIONS[s]);
  if (unknown.length) {
    console.error(`unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
    return 2;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'wiredesk-bench-'));
  const mode: BenchMode = {
    name, quick: name === 'quick', full: name === 'full', workDir, root,
    cacheDir: resolve(option(args, 'cache-dir') ?? join(tmpdir(), 'wiredesk-bench-cache')),
    log: (line) => console.log(line),
  };
  const started = performance.now();
  const load = loadavg();
  console.log(`wiredesk bench, ${name} mode: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, load average ${load.map((l) => l.toFixed(1)).join(' ')}`);
  // which cached databases this run found: a run that finds none builds them all (a "cold" run, as on a fresh clone)
  const cachedAtStart = existsSync(mode.cacheDir) ? readdirSync(mode.cacheDir).filter((f) => f.endsWith('.sqlite')) : [];
  console.log(`scratch ${workDir}, bulk/base database cache ${mode.cacheDir} (${cachedAtStart.length ? `found: ${cachedAtStart.join(', ')}` : 'empty: this run builds the databases'})\n`);
  // the cached databases take 5–6 minutes of one core to build (the 1M-story one ~3.5): when missing, a second process
  // builds them from the start, beside the first sections, so that a cold run stays under its 10 minutes
  if (!mode.quick) {
    const needs = new Set<CacheTarget>();
    for (const section of only) for (const target of CACHE_NEEDS[section]?.(mode) ?? []) needs.add(target);
    const building = startCacheBuild(root, mode.cacheDir, [...needs].sort(byBuildOrder), mode.log);
    if (building.length) console.log(`building ${building.join(', ')} in a second process while the first sections run (their figures share the machine with it)\n`);
  }
  const report = createReporter(mode.log);
  const timings: Record<string, number> = {};
  for (const section of only) {
    const sectionStarted = performance.now();
    console.log(`[${section}]`);
    try {
      await (SECTIONS[section] as (m: BenchMode, r: Reporter) => Promise<void>)(mode, report);
    } catch (error) {
      report.note(`section ${section} failed: ${(error as Error).stack ?? String(error)}`);
    }
    timings[section] = (performance.now() - sectionStarted) / 1000;
    console.log(`  (${timings[section]?.toFixed(0)} s)\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(formatTable(report.rows));
  if (report.notes.length) console.log(`\nNotes:\n${report.notes.map((n) => `- ${n}`).join('\n')}`);
  console.log(`\n${name} run: ${seconds.toFixed(0)} s; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify({
    mode: name, date: new Date().toISOString(), seconds, sectionSeconds: timings, cachedAtStart, node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: totalmem() / 2 ** 30, loadAtStart: load, loadAtEnd: loadavg() },
    rows: report.rows, notes: report.notes,
  }, null, 2)}\n`);
  if (!args.includes('--keep')) rmSync(workDir, { recursive: true, force: true });
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
