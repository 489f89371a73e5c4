// `wiredesk sources`: each source's state (last fetch, status, errors, next check, effective URL); `--json` for scripts.
import { formatTable, print, withApp } from './shared.ts';

export async function sourcesCommand(options: { config: string; json?: boolean }): Promise<number> {
  return withApp(options.config, async (app) => {
    const statuses = await app.store.sourceStatuses();
    if (options.json) {
      // headers are never shown: they may hold tokens
      print(JSON.stringify(statuses.map(({ source, ...state }) => ({ ...state, title: source.title, attribution: source.attribution })), null, 2));
      return 0;
    }
    const state = (s: (typeof statuses)[number]) => (s.isGone ? 'gone (410)' : s.isFailing ? 'failing' : s.lastErrorCode ? 'error' : s.lastFetchAt ? 'ok' : 'new');
    print(
      formatTable(
        ['source', 'state', 'last fetch', 'status', 'errors', 'next check', 'items', 'effective url', 'last error'],
        statuses.map((s) => [
          s.sourceId, state(s), s.lastFetchAt, s.lastStatus, s.consecutiveErrors, s.nextCheckAt, s.itemsTotal, s.effectiveUrl,
          s.lastErrorCode ? `${s.lastErrorCode}: ${s.lastErrorMessage ?? ''}`.slice(0, 80) : undefined,
        ]),
      ),
    );
    return 0;
  });
}
