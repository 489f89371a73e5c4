// The relate stage's options from the config's `related:` section (one mapping for ingest, outputs, retag and overrides).
import type { Config } from '../config/schema.ts';
import type { RelateOptions } from '../relate/index.ts';

export function relateOptionsOf(config: Pick<Config, 'related'>): Partial<RelateOptions> {
  return {
    halfLifeMs: config.related.half_life,
    refreshWindowMs: config.related.refresh_window,
    maxRefresh: config.related.max_refresh,
  };
}
