// The daemon's worker: a node-cron tick picks due sources from the store and refreshes them within the fetch limits.
import cron, { setLogger, type ScheduledTask } from 'node-cron';
import type { App } from '../app.ts';
import type { Logger } from '../log.ts';
import { createFetchLimiter, hostOf } from '../schedule/index.ts';
import type { RefreshOutcome } from './refresh.ts';

export interface Scheduler {
  /** Runs one pass now: every due source (never one source twice at once). Resolves when the pass is done. */
  runDue(now?: Date): Promise<RefreshOutcome[]>;
  /** Starts the periodic tick. */
  start(): void;
  /** Stops the tick, aborts in-flight fetches and waits (at most `graceMs`) for their writes to finish. */
  stop(graceMs?: number): Promise<void>;
  /** Called after every refresh (metrics, related posts, WebSub pings hook in here; check `itemsNew`/`itemsUpdated`). */
  onRefreshed(listener: (outcome: RefreshOutcome) => void | Promise<void>): void;
  /** True while the tick is scheduled. */
  isRunning(): boolean;
}

/** Every second: a tick is one indexed query for due sources, so due times are met within a second. */
const TICK = '* * * * * *';

/** node-cron's own messages (a missed tick under load) go to our JSON log, not as coloured text on the console. */
export function routeCronLogs(logger: Logger): void {
  setLogger({
    info: (message) => logger.debug({ component: 'node-cron' }, message),
    warn: (message) => logger.debug({ component: 'node-cron' }, message), // a missed one-second tick is harmless: the next one picks up
    error: (message, err) => logger.error({ component: 'node-cron', error: err?.message }, String(message)),
    debug: (message) => logger.debug({ component: 'node-cron' }, String(message)),
  });
}

export function createScheduler(app: App, logger: Logger): Scheduler {
  routeCronLogs(logger);
  const limiter = createFetchLimiter({ concurrency: app.config.fetch.concurrency, perHost: app.config.fetch.per_host });
  const running = new Map<string, Promise<RefreshOutcome>>();
  const listeners: ((outcome: RefreshOutcome) => void | Promise<void>)[] = [];
  const abort = new AbortController();
  let task: ScheduledTask | undefined;
  let pass: Promise<RefreshOutcome[]> | undefined;

  /** The per-host limit counts against the host actually fetched: a remembered permanent redirect moves it. */
  const hostKey = async (sourceId: string): Promise<string> => {
    const source = app.source(sourceId);
    if (source.path) return `path:${source.path}`;
    const state = await app.store.getSourceState(sourceId);
    return hostOf(state?.effectiveUrl ?? source.url) || sourceId;
  };

  function refreshOne(sourceId: string): Promise<RefreshOutcome> {
    const existing = running.get(sourceId);
    if (existing) return existing;
    const job = hostKey(sourceId)
      .then((host) => limiter.run(host, () => app.refresh(sourceId, { signal: abort.signal })))
      .then(async (outcome) => {
        for (const listener of listeners) {
          try {
            await listener(outcome);
          } catch (error) {
            logger.error({ source_id: sourceId, error: (error as Error).message }, 'after-refresh step failed');
          }
        }
        return outcome;
      })
      .finally(() => running.delete(sourceId));
    running.set(sourceId, job);
    return job;
  }

  async function runDue(now = new Date()): Promise<RefreshOutcome[]> {
    if (abort.signal.aborted) return [];
    const configured = new Set(app.config.sources.map((s) => s.id));
    const due = (await app.store.dueSources(now)).filter((id) => configured.has(id) && !running.has(id));
    return Promise.all(due.map(refreshOne));
  }

  return {
    runDue,
    onRefreshed: (listener) => void listeners.push(listener),
    isRunning: () => task !== undefined && !abort.signal.aborted,
    start() {
      task = cron.schedule(
        TICK,
        async () => {
          if (pass) return; // the previous pass is still running; its sources are marked running anyway
          pass = runDue().catch((error: unknown) => {
            logger.error({ error: (error as Error).message }, 'scheduler pass failed');
            return [];
          });
          await pass;
          pass = undefined;
        },
        { name: 'wiredesk-scheduler', noOverlap: true },
      );
    },
    async stop(graceMs = 8000) {
      await task?.stop();
      await task?.destroy();
      abort.abort();
      const inFlight = Promise.allSettled([...running.values()]);
      await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
