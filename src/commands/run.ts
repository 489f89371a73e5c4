// `wiredesk run`: the daemon: scheduler and server together; SIGHUP reloads the config, SIGINT/SIGTERM stop it cleanly.
import { watch } from 'node:fs';
import cron, { type ScheduledTask } from 'node-cron';
import { openApp, type App } from '../app.ts';
import { ConfigError, loadConfigFile } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { createLogger, type Logger } from '../log.ts';
import { createMetrics, type Metrics } from '../ops/metrics.ts';
import { runRetention } from '../pipeline/retention.ts';
import { createScheduler, type Scheduler } from '../pipeline/scheduler.ts';
import { Outputs } from '../serve/outputs.ts';
import { startServer } from '../serve/server.ts';
import { createWebSubNotifier, type WebSubNotifier } from '../serve/websub.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { acquireDaemonLock } from './lock.ts';
import { loadConfigOrFail, print } from './shared.ts';

/** How long in-flight fetches get to finish their writes after a stop signal (the whole stop stays under 10 s). */
const STOP_GRACE_MS = 7000;

interface Generation {
  app: App;
  outputs: Outputs;
  scheduler: Scheduler;
  retention: ScheduledTask;
  websub?: WebSubNotifier;
}

/** Retention runs hourly (at minute 17, away from the top-of-hour rush of cron sources). */
const RETENTION_CRON = '17 * * * *';

function printFeeds(config: Config): void {
  const base = config.server.base_url.replace(/\/+$/, '');
  print('Curated feeds:');
  for (const feed of config.feeds) {
    const secret = feed.private ? '?token=…' : '';
    print(`  ${feed.title}: ${feed.formats.map((f) => `${base}/feeds/${feed.id}.${f}${secret}`).join('  ')}`);
  }
  print(`  index: ${base}/   OPML: ${base}/feeds.opml`);
}

/** Builds the app, outputs and scheduler of one config on the shared store, and starts fetching. */
async function startGeneration(config: Config, store: Store, logger: Logger, metrics: Metrics): Promise<Generation> {
  const app = await openApp(config, { logger, store });
  const outputs = new Outputs(app, (path, seconds) => metrics.observeRender(path, seconds));
  const scheduler = createScheduler(app, logger);
  scheduler.onRefreshed((outcome) => metrics.observeRefresh(outcome));
  // WebSub: ping the hub for each published feed whose bytes changed (the first look is the baseline)
  const websub = config.server.websub_hub
    ? createWebSubNotifier({ hubUrl: config.server.websub_hub, logger, outputs, feeds: config.feeds, baseUrl: config.server.base_url.replace(/\/+$/, '') })
    : undefined;
  await websub?.feedsMayHaveChanged();
  scheduler.onRefreshed((outcome) => {
    if (outcome.itemsNew + outcome.itemsUpdated > 0) void websub?.feedsMayHaveChanged();
  });
  scheduler.start();
  void scheduler.runDue(); // the first pass at once, not at the first tick
  const retention = cron.schedule(
    RETENTION_CRON,
    () => runRetention(app).then(
      () => undefined,
      (error: unknown) => logger.error({ error: (error as Error).message }, 'retention failed'),
    ),
    { name: 'wiredesk-retention', noOverlap: true },
  );
  return { app, outputs, scheduler, retention, websub };
}

export async function runCommand(options: { config: string; watch?: boolean }): Promise<number> {
  const config = loadConfigOrFail(options.config);
  const logger = createLogger(config.log.level);
  const lock = acquireDaemonLock(config.database);
  try {
    const store = await openStore(config.database);
    const metrics = createMetrics(store);
    let current = await startGeneration(config, store, logger, metrics);
    const server = await startServer({ current: () => current, metrics, isReady: () => current.scheduler.isRunning() });
    let reloading = Promise.resolve();
    const reload = (reason: string) => {
      reloading = reloading.then(async () => {
        let next: Config;
        try {
          next = loadConfigFile(options.config);
        } catch (error) {
          const errors = error instanceof ConfigError ? error.errors : [(error as Error).message];
          logger.error({ reason, errors }, 'config reload rejected: the running config stays in force');
          return;
        }
        for (const key of ['database', 'server.host', 'server.port'] as const) {
          const [a, b] = key === 'database' ? [next.database, config.database] : key === 'server.host' ? [next.server.host, config.server.host] : [next.server.port, config.server.port];
          if (a !== b) logger.warn({ key }, `${key} changed: it takes effect at the next restart`);
        }
        const previous = current;
        await previous.retention.destroy();
        previous.websub?.close();
        await previous.scheduler.stop(STOP_GRACE_MS);
        current = await startGeneration({ ...next, database: config.database, server: { ...next.server, host: config.server.host, port: config.server.port } }, store, logger, metrics);
        logger.info({ reason, sources: next.sources.length, feeds: next.feeds.length }, 'config reloaded');
      });
    };
    process.on('SIGHUP', () => reload('SIGHUP'));
    let debounce: NodeJS.Timeout | undefined;
    const watcher = options.watch
      ? watch(options.config, () => {
          clearTimeout(debounce);
          debounce = setTimeout(() => reload('file changed'), 300);
        })
      : undefined;

    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    // announced only once every signal handler is in place (a SIGHUP before that would end the process)
    logger.info({ url: server.url, sources: config.sources.length, feeds: config.feeds.length }, 'wiredesk started');
    printFeeds(config);
    print(`Wiredesk is serving on ${server.url} (public base ${config.server.base_url}); stop with Ctrl-C`);

    const signal = await stopped;
    logger.info({ signal }, 'stopping');
    watcher?.close();
    clearTimeout(debounce);
    await reloading;
    await current.retention.destroy();
    current.websub?.close();
    await current.scheduler.stop(STOP_GRACE_MS);
    await server.close();
    await current.app.close();
    await store.close();
    logger.info({}, 'stopped');
    return 0;
  } finally {
    lock?.release();
  }
}
