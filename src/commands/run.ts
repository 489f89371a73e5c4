// `wiredesk run`: the daemon: scheduler and server together, stopped cleanly by SIGINT/SIGTERM.
import { openApp } from '../app.ts';
import { createLogger } from '../log.ts';
import { createScheduler } from '../pipeline/scheduler.ts';
import { Outputs } from '../serve/outputs.ts';
import { startServer } from '../serve/server.ts';
import { acquireDaemonLock } from './lock.ts';
import { loadConfigOrFail, print } from './shared.ts';

/** How long in-flight fetches get to finish their writes after a stop signal. */
const STOP_GRACE_MS = 8000;

export async function runCommand(options: { config: string }): Promise<number> {
  const config = loadConfigOrFail(options.config);
  const logger = createLogger(config.log.level);
  const lock = acquireDaemonLock(config.database);
  try {
    const app = await openApp(config, { logger });
    const outputs = new Outputs(app);
    const server = await startServer(app, outputs);
    const scheduler = createScheduler(app, logger);
    const base = config.server.base_url.replace(/\/+$/, '');
    logger.info({ url: server.url, sources: config.sources.length, feeds: config.feeds.length }, 'wiredesk started');
    print('Curated feeds:');
    for (const feed of config.feeds) {
      print(`  ${feed.title}: ${feed.formats.map((f) => `${base}/feeds/${feed.id}.${f}`).join('  ')}`);
    }
    print(`  index: ${base}/   OPML: ${base}/feeds.opml`);
    print(`Wiredesk is serving on ${server.url} (public base ${base}); stop with Ctrl-C`);

    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    scheduler.start();
    void scheduler.runDue(); // the first pass at once, not at the first tick
    const signal = await stopped;
    logger.info({ signal }, 'stopping');
    await scheduler.stop(STOP_GRACE_MS);
    await server.close();
    await app.close();
    logger.info({}, 'stopped');
    return 0;
  } finally {
    lock?.release();
  }
}
