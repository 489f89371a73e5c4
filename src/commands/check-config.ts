// `wiredesk check-config`: validates the config and prints every problem with file:line:column.
import { loadConfigOrFail, print } from './shared.ts';

export async function checkConfigCommand(options: { config: string }): Promise<number> {
  const config = loadConfigOrFail(options.config);
  print(`${options.config}: ok (${config.sources.length} sources, ${config.feeds.length} feeds, ${config.tagging.rules.length} tagging rules)`);
  return 0;
}
