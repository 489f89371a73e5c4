// Prometheus metrics of the daemon (prom-client): fetches, items, stories, duplicates merged, latencies, failing sources, render time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RefreshOutcome } from '../pipeline/refresh.ts';
import type { Store } from '../store/types.ts';

export interface Metrics {
  registry: Registry;
  observeRefresh(outcome: RefreshOutcome): void;
  observeRender(path: string, seconds: number): void;
  /** The text exposition (refreshes store-derived gauges first). */
  render(): Promise<string>;
  contentType: string;
}

export function createMetrics(store: Store): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wiredesk_process_' });
  const fetches = new Counter({
    name: 'wiredesk_fetches_total',
    help: 'Source refreshes by result (ok, not_modified, or the error code) and HTTP status',
    labelNames: ['result', 'status'] as const,
    registers: [registry],
  });
  const items = new Counter({ name: 'wiredesk_items_ingested_total', help: 'Items stored, by kind (new, updated)', labelNames: ['kind'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'wiredesk_fetch_duration_seconds',
    help: 'Duration of a source refresh (fetch, parse, dedupe, tag, store)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 60],
    registers: [registry],
  });
  const render = new Histogram({
    name: 'wiredesk_render_duration_seconds',
    help: 'Time to render a published file when its stories changed',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const stories = new Gauge({ name: 'wiredesk_stories', help: 'Stories stored', registers: [registry] });
  const storedItems = new Gauge({ name: 'wiredesk_items', help: 'Items stored', registers: [registry] });
  const merged = new Gauge({ name: 'wiredesk_duplicates_merged', help: 'Items that joined an existing story (items minus stories)', registers: [registry] });
  const failing = new Gauge({ name: 'wiredesk_failing_sources', help: 'Sources marked failing after consecutive errors', registers: [registry] });
  const gone = new Gauge({ name: 'wiredesk_gone_sources', help: 'Sources stopped by 410 Gone', registers: [registry] });

  return {
    registry,
    contentType: registry.contentType,
    observeRefresh(outcome) {
      const result = outcome.ok ? (outcome.notModified ? 'not_modified' : 'ok') : (outcome.errorCode ?? 'error');
      fetches.inc({ result, status: outcome.status === undefined ? 'none' : String(outcome.status) });
      latency.observe(outcome.durationMs / 1000);
      if (outcome.itemsNew) items.inc({ kind: 'new' }, outcome.itemsNew);
      if (outcome.itemsUpdated) items.inc({ kind: 'updated' }, outcome.itemsUpdated);
    },
    observeRender(path, seconds) {
      const kind = path.endsWith('.rss') ? 'rss' : path.endsWith('.atom') ? 'atom' : path.endsWith('.json') ? 'json' : 'page';
      render.observe({ kind }, seconds);
    },
    async render() {
      const counts = await store.counts();
      stories.set(counts.stories);
      storedItems.set(counts.items);
      merged.set(Math.max(0, counts.items - counts.stories));
      const statuses = await store.sourceStatuses();
      failing.set(statuses.filter((s) => s.isFailing).length);
      gone.set(statuses.filter((s) => s.isGone).length);
      return registry.metrics();
    },
  };
}
