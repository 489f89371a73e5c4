// `wiredesk serve`: the HTTP server alone, on what the store holds (no fetching).
import { openApp } from '../app.ts';
import { createLogger } from '../log.ts';
import { createMetrics } from '../ops/metrics.ts';
import { Outputs } from '../serve/outputs.ts';
import { startServer } from '../serve/server.ts';
import { loadConfigOrFail, print } from './shared.ts';

export async function serveCommand(options: { config: string }): Promise<number> {
  const config = loadConfigOrFail(options.config);
  const logger = createLogger(config.log.level);
  const app = await openApp(config, { logger });
  const metrics = createMetrics(app.store);
  const outputs = new Outputs(app, (path, seconds) => metrics.observeRender(path, seconds));
  const server = await startServer({ current: () => ({ app, outputs }), metrics });
  print(`Wiredesk is serving on ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  await app.close();
  return 0;
}
