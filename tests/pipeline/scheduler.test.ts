// The scheduler's guarantees: one fetch per source at a time, the fetch limits, listeners, and a stop that waits.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { silentLogger } from '../../src/log.ts';
import { createScheduler } from '../../src/pipeline/scheduler.ts';
import type { RefreshOutcome } from '../../src/pipeline/refresh.ts';

function fakeApp(sourceIds: string[], refreshMs: number, concurrency = 8) {
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  const app = {
    config: { fetch: { concurrency, per_host: 8 }, sources: sourceIds.map((id) => ({ id, url: `https://${id}.example/feed` })) },
    source: (id: string) => ({ id, url: `https://${id}.example/feed` }),
    store: { dueSources: async () => sourceIds, getSourceState: async () => undefined },
    async refresh(id: string, options: { signal?: AbortSignal }) {
      calls.push(id);
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, refreshMs));
      active--;
      return { sourceId: id, ok: !options.signal?.aborted, itemsNew: 1 } as RefreshOutcome;
    },
  } as unknown as App;
  return { app, calls, maxActive: () => maxActive };
}

describe('scheduler', () => {
  it('never runs two fetches of one source at once', async () => {
    const { app, calls } = fakeApp(['a', 'b'], 100);
    const scheduler = createScheduler(app, silentLogger());
    const [first, second] = await Promise.all([scheduler.runDue(), scheduler.runDue()]);
    expect(calls.sort()).toEqual(['a', 'b']);
    expect(first.length + second.length).toBe(2);
  });

  it('keeps within fetch.concurrency and tells listeners about every refresh', async () => {
    const { app, maxActive } = fakeApp(['a', 'b', 'c', 'd', 'e'], 50, 2);
    const scheduler = createScheduler(app, silentLogger());
    const seen: string[] = [];
    scheduler.onRefreshed((outcome) => void seen.push(outcome.sourceId));
    await scheduler.runDue();
    expect(maxActive()).toBe(2);
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('stop() aborts in-flight fetches and waits for them', async () => {
    const { app } = fakeApp(['slow'], 300);
    const scheduler = createScheduler(app, silentLogger());
    scheduler.start();
    const pass = scheduler.runDue();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await scheduler.stop(2000);
    const [outcome] = await pass;
    expect(outcome?.ok).toBe(false);
    expect(scheduler.isRunning()).toBe(false);
    expect(await scheduler.runDue()).toEqual([]);
  });
});
