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
import { startBulkBuild } from './lib/bulk.ts';
import { runRender, runServe } from './sections/render-serve.ts';
import { runFetchCycle } from './sections/fetch-cycle.ts';
import { runMemory } from './sections/memory.ts';
import { runRelated } from './related.ts';

const SECTIONS: Record<string, (mode: BenchMode, report: Reporter) => Promise<void>> = {
  parse: runParse,
  ingest: runIngest,
  // the related-posts engineer's bench (bench/related.ts): it stores its own 100k stories, so only --full or --only=related
  related: runRelated,
  render: runRender,
  // fetch before serve: on a cold run the background 1M build (see below) overlaps the sections before serve, and the
  // load test, which keeps both cores busy, runs after it
  fetch: runFetchCycle,
  serve: runServe,
  dedup: runDedup,
  memory: runMemory,
};

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
  // the 1M-story database (dedup, memory) takes ~3 minutes to build when it is not cached: built in a second process
  // from the start, beside the sections before serve, so that a cold run stays under its 10 minutes
  if (!mode.quick && only.some((s) => s === 'dedup' || s === 'memory') && startBulkBuild(root, mode.cacheDir, bulkStories(mode), mode.log)) {
    console.log('building the 1M-story bulk database in a second process while the first sections run (their figures share the machine with it)\n');
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
