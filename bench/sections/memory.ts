// Section 7: peak RSS of the daemon (`node bin/wiredesk.js run`) with many sources and a large store.
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { baseDatabaseCopy } from '../lib/base.ts';
import { ensureBulkDatabase } from '../lib/bulk.ts';
import { awaitCacheBuild } from '../lib/prebuild.ts';
import { readMemory, startChild } from '../lib/process.ts';
import type { Reporter } from '../lib/stats.ts';
import type { BenchMode } from '../lib/mode.ts';
import { bulkOptions, bulkStories } from './dedup.ts';
import { benchConfig, smallBase } from './ingest.ts';
import { itemsPerFeed } from './fetch-cycle.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

async function measureDaemon(mode: BenchMode, database: string, sources: number, feedPort: number, timeoutMs: number) {
  const port = await freePort();
  const configPath = join(mode.workDir, `daemon-${sources}-${basename(database, '.sqlite')}.yaml`);
  // JSON is YAML: the daemon reads it like any config file
  writeFileSync(configPath, JSON.stringify({
    server: { host: '127.0.0.1', port, base_url: `http://127.0.0.1:${port}` },
    database,
    log: { level: 'warn' },
    fetch: { allow_private_networks: ['127.0.0.1'], concurrency: 8, per_host: 8 },
    retention: { days: 3650 },
    schedule: { every: '10m' },
    sources: Array.from({ length: sources }, (_, i) => ({ id: `site-${i}`, title: `Site ${i}`, url: `http://127.0.0.1:${feedPort}/feed/${i}.xml` })),
    feeds: [
      { id: 'all', title: 'Everything', limit: 100 },
      { id: 'world', title: 'World', limit: 100, filter: { tags_any: ['topic:world', 'place:Colombia'] } },
    ],
  }));
  const launched = performance.now();
  const daemon = await startChild(process.execPath, [join(mode.root, 'bin/wiredesk.js'), 'run', '--config', configPath], {
    cwd: mode.root, timeoutMs: 300_000, readyPattern: /serving on/,
  });
  // the cap counts from the moment the daemon serves (opening a 1M-story database is not part of its first cycle)
  const started = performance.now();
  const startupSeconds = (started - launched) / 1000;
  const pid = daemon.process.pid as number;
  const base = `http://127.0.0.1:${port}`;
  let fetched = 0;
  let peakSeen = 0;
  try {
    while (performance.now() - started < timeoutMs) {
      await new Promise((r) => setTimeout(r, 1000));
      peakSeen = Math.max(peakSeen, readMemory(pid)?.rssMb ?? 0);
      if (daemon.process.exitCode !== null || daemon.process.signalCode !== null) {
        throw new Error(`the daemon exited (${daemon.process.exitCode ?? daemon.process.signalCode}): ${daemon.stderr().slice(-1500)}`);
      }
      let statuses: { lastFetchAt?: string }[];
      try {
        statuses = (await (await fetch(`${base}/api/sources`, { signal: AbortSignal.timeout(30_000) })).json()) as { lastFetchAt?: string }[];
      } catch (error) {
        mode.log(`    /api/sources did not answer (${(error as Error).message}); daemon stderr: ${daemon.stderr().slice(-500)}`);
        continue;
      }
      fetched = statuses.filter((s) => s.lastFetchAt).length;
      if (fetched >= sources) break;
    }
    let renderFailures = 0;
    for (const path of ['/', '/feeds/all.rss', '/feeds/all.atom', '/feeds/all.json', '/feeds/all', '/feeds/world.rss', '/feeds/world.json']) {
      // a reused keep-alive connection can be closed under us while the daemon's event loop is busy: retry
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await (await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'gzip, br' }, signal: AbortSignal.timeout(120_000) })).arrayBuffer();
          break;
        } catch {
          if (attempt === 2) renderFailures++;
        }
      }
    }
    if (renderFailures) mode.log(`    ${renderFailures} feed requests failed three times`);
    const memory = readMemory(pid);
    return { peakMb: memory?.peakMb ?? Number.NaN, rssMb: memory?.rssMb ?? Number.NaN, fetched, seconds: (performance.now() - started) / 1000, startupSeconds };
  } finally {
    await daemon.stop();
  }
}

/**
 * The first cycle's wait per daemon: a new item costs the daemon ~20–70 ms (related posts, and the feed renders beside
 * it), so a first cycle of 1,000 feeds takes minutes; the peak is read after the cap and a render of every feed, with
 * the number of sources fetched by then in the note.
 */
const waitMs = (mode: BenchMode): number => (mode.quick ? 3_000 : mode.full ? 120_000 : 30_000);

export async function runMemory(mode: BenchMode, report: Reporter): Promise<void> {
  const sources = mode.quick ? 25 : 1000;
  const server = await startChild(process.execPath, ['--import', 'tsx', join(mode.root, 'bench/lib/feed-server.ts'), String(sources), String(itemsPerFeed(mode)), '9'], { cwd: mode.root, timeoutMs: 120_000 });
  const feedPort = server.ready['port'] as number;
  try {
    const baseCount = mode.quick ? smallBase(mode) : 100_000;
    const basePath = join(mode.workDir, `daemon-${baseCount}.sqlite`);
    await awaitCacheBuild(mode.cacheDir, `base:${baseCount}`, mode.log);
    await baseDatabaseCopy(mode.cacheDir, basePath, baseCount, benchConfig(basePath), mode.log);
    const bigCount = bulkStories(mode);
    await awaitCacheBuild(mode.cacheDir, `bulk:${bigCount}`, mode.log);
    const bulk = ensureBulkDatabase(mode.cacheDir, bulkOptions(bigCount).options, mode.log);
    // the daemon writes to the database: work on a copy when it is small, on the cache itself at 1M (a few rows added)
    let bigPath = bulk.path;
    if (bigCount < 1_000_000) {
      bigPath = join(mode.workDir, 'daemon-bulk.sqlite');
      copyFileSync(bulk.path, bigPath);
    }
    // one after the other, except in quick mode (a smoke run), where the two daemons run side by side
    const measureSmall = () => measureDaemon(mode, basePath, sources, feedPort, waitMs(mode));
    const measureBig = () => measureDaemon(mode, bigPath, sources, feedPort, waitMs(mode));
    const [small, big] = mode.quick ? await Promise.all([measureSmall(), measureBig()]) : [await measureSmall(), await measureBig()];
    if (bigPath !== bulk.path) rmSync(bigPath, { force: true });
    report.add({
      section: '7 memory', metric: `daemon peak RSS, ${sources} sources, ${baseCount / 1000}k stories`, value: small.peakMb, unit: 'MB',
      note: `after a first cycle (${small.fetched}/${sources} sources of ${itemsPerFeed(mode)} items fetched in ${small.seconds.toFixed(0)} s) and a render of every feed; RSS at the end ${small.rssMb.toFixed(0)} MB${mode.quick ? '; quick mode: smaller sizes, both daemons at once' : ''}`,
    });
    report.add({
      section: '7 memory', metric: `daemon peak RSS, ${sources} sources, ${bigCount >= 1e6 ? '1M' : `${bigCount / 1000}k`} stories (bulk-generated)`, value: big.peakMb, unit: 'MB',
      goal: '< 300 MB at 1M stories', met: bigCount >= 1e6 ? big.peakMb < 300 : undefined,
      note: `${big.fetched}/${sources} sources fetched in ${big.seconds.toFixed(0)} s after a start of ${big.startupSeconds.toFixed(0)} s; RSS at the end ${big.rssMb.toFixed(0)} MB${mode.quick ? '; quick mode: 10k bulk, not 1M' : ''}`,
    });
  } finally {
    await server.stop();
  }
}
