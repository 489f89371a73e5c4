// Section 6: one full fetch cycle of many local sources through app.refresh and the real fetch limiter.
import { join } from 'node:path';
import { openApp } from '../../src/app.ts';
import { createFetchLimiter, hostOf } from '../../src/schedule/index.ts';
import { validateConfig } from '../../src/config/load.ts';
import type { RefreshOutcome } from '../../src/pipeline/refresh.ts';
import { startChild } from '../lib/process.ts';
import type { Reporter } from '../lib/stats.ts';
import type { BenchMode } from '../lib/mode.ts';

export function feedSourcesConfig(database: string, port: number, count: number, extra: Record<string, unknown> = {}) {
  return validateConfig({
    database,
    log: { level: 'silent' },
    // every source is on 127.0.0.1 here, so per_host is raised to the concurrency (real sources spread over many hosts)
    fetch: { allow_private_networks: ['127.0.0.1'], concurrency: 8, per_host: 8 },
    retention: { days: 3650 },
    sources: Array.from({ length: count }, (_, i) => ({ id: `site-${i}`, title: `Site ${i}`, url: `http://127.0.0.1:${port}/feed/${i}.xml` })),
    ...extra,
  });
}

export async function runFetchCycle(mode: BenchMode, report: Reporter): Promise<void> {
  const count = mode.quick ? 50 : 1000;
  const server = await startChild(process.execPath, ['--import', 'tsx', join(mode.root, 'bench/lib/feed-server.ts'), String(count), '10', '6'], { cwd: mode.root, timeoutMs: 120_000 });
  const port = server.ready['port'] as number;
  const base = `http://127.0.0.1:${port}`;
  const app = await openApp(feedSourcesConfig(join(mode.workDir, 'fetch-cycle.sqlite'), port, count));
  const limiter = createFetchLimiter({ concurrency: app.config.fetch.concurrency, perHost: app.config.fetch.per_host });
  const cycle = async () => {
    const started = performance.now();
    const outcomes: RefreshOutcome[] = await Promise.all(app.config.sources.map((s) => limiter.run(hostOf(s.url), () => app.refresh(s.id))));
    const seconds = (performance.now() - started) / 1000;
    const stats = (await (await fetch(`${base}/stats`)).json()) as { ok: number; notModified: number };
    return {
      seconds,
      ok: outcomes.filter((o) => o.ok).length,
      notModified: outcomes.filter((o) => o.notModified).length,
      items: outcomes.reduce((n, o) => n + o.itemsNew, 0),
      failed: outcomes.filter((o) => !o.ok).map((o) => `${o.sourceId}: ${o.errorCode}`).slice(0, 3),
      served: stats,
    };
  };
  try {
    const first = await cycle();
    await fetch(`${base}/bump`, { method: 'POST' });
    const changed = await cycle();
    const unchanged = await cycle();
    const note = `${count} sources on 127.0.0.1, 10 items of 150–600 words each, concurrency 8, per_host 8`;
    if (first.failed.length) report.note(`fetch cycle: failures, e.g. ${first.failed.join('; ')}`);
    report.add({ section: '6 fetch', metric: `first cycle, every item new (${first.items} items stored)`, value: first.seconds, unit: 's', note });
    report.add({ section: '6 fetch', metric: 'cycle with every feed changed (one new item each)', value: changed.seconds, unit: 's', goal: '< 3 s for 1,000 sources', met: mode.quick ? undefined : changed.seconds < 3 });
    const share = unchanged.served.notModified / Math.max(1, unchanged.served.notModified + unchanged.served.ok);
    report.add({
      section: '6 fetch', metric: 'next cycle, nothing changed', value: unchanged.seconds, unit: 's', goal: '< 1 s all-304 cycle', met: mode.quick ? undefined : unchanged.seconds < 1,
      note: `${(share * 100).toFixed(1)}% answered 304 (${unchanged.served.notModified} of ${unchanged.served.notModified + unchanged.served.ok})`,
    });
    report.add({ section: '6 fetch', metric: 'share of 304s on the unchanged cycle', value: share * 100, unit: '%' });
  } finally {
    await app.close();
    await server.stop();
  }
}
