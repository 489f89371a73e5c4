// The sources and fetch_log tables: configured sources, their fetch state, and one row per fetch attempt.
import type Database from 'better-sqlite3';
import type { FetchAttempt, SourceState } from '../../model/fetch.ts';
import type { SourceRecord, SourceStatus } from '../types.ts';

interface SourceRow {
  id: string;
  title: string;
  attribution: string;
  priority: number;
  republish: string;
  url: string | null;
  path: string | null;
  config_hash: string | null;
  effective_url: string | null;
  etag: string | null;
  last_modified: string | null;
  last_fetch_at: string | null;
  last_status: number | null;
  last_error_code: string | null;
  last_error_message: string | null;
  last_success_at: string | null;
  consecutive_errors: number;
  next_check_at: string | null;
  is_failing: number;
  is_gone: number;
  last_unconditional_at: string | null;
  poll_hints: string | null;
  items_total?: number;
}

/** Maps SourceState fields to their columns, for partial updates. */
const STATE_COLUMNS: Record<keyof Omit<SourceState, 'sourceId' | 'itemsTotal'>, string> = {
  pollHints: 'poll_hints',
  effectiveUrl: 'effective_url',
  etag: 'etag',
  lastModified: 'last_modified',
  lastFetchAt: 'last_fetch_at',
  lastStatus: 'last_status',
  lastErrorCode: 'last_error_code',
  lastErrorMessage: 'last_error_message',
  lastSuccessAt: 'last_success_at',
  consecutiveErrors: 'consecutive_errors',
  nextCheckAt: 'next_check_at',
  isFailing: 'is_failing',
  isGone: 'is_gone',
  configHash: 'config_hash',
  lastUnconditionalAt: 'last_unconditional_at',
};

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toState(row: SourceRow): SourceState {
  return {
    sourceId: row.id,
    effectiveUrl: orUndefined(row.effective_url) ?? orUndefined(row.url) ?? orUndefined(row.path),
    etag: orUndefined(row.etag),
    lastModified: orUndefined(row.last_modified),
    lastFetchAt: orUndefined(row.last_fetch_at),
    lastStatus: orUndefined(row.last_status),
    lastErrorCode: orUndefined(row.last_error_code),
    lastErrorMessage: orUndefined(row.last_error_message),
    lastSuccessAt: orUndefined(row.last_success_at),
    consecutiveErrors: row.consecutive_errors,
    nextCheckAt: orUndefined(row.next_check_at),
    isFailing: row.is_failing === 1,
    isGone: row.is_gone === 1,
    configHash: orUndefined(row.config_hash),
    lastUnconditionalAt: orUndefined(row.last_unconditional_at),
    pollHints: row.poll_hints ? (JSON.parse(row.poll_hints) as SourceState['pollHints']) : undefined,
    itemsTotal: row.items_total,
  };
}

function toRecord(row: SourceRow): SourceRecord {
  return {
    id: row.id,
    title: row.title,
    attribution: row.attribution,
    priority: row.priority,
    republish: row.republish as SourceRecord['republish'],
    url: orUndefined(row.url),
    path: orUndefined(row.path),
    configHash: row.config_hash ?? '',
  };
}

export function createSourceTable(db: Database.Database) {
  const upsert = db.prepare(`
    INSERT INTO sources (id, title, attribution, priority, republish, url, path, config_hash, is_active)
    VALUES (@id, @title, @attribution, @priority, @republish, @url, @path, @configHash, 1)
    ON CONFLICT (id) DO UPDATE SET
      title = excluded.title, attribution = excluded.attribution, priority = excluded.priority,
      republish = excluded.republish, url = excluded.url, path = excluded.path, is_active = 1,
      -- a changed config lifts a 410 stop, forgets a remembered redirect and is checked at once
      is_gone = CASE WHEN sources.config_hash IS excluded.config_hash THEN sources.is_gone ELSE 0 END,
      effective_url = CASE WHEN sources.config_hash IS excluded.config_hash THEN sources.effective_url ELSE NULL END,
      next_check_at = CASE WHEN sources.config_hash IS excluded.config_hash THEN sources.next_check_at ELSE NULL END,
      -- validators and error counts belong to the old URL
      etag = CASE WHEN sources.config_hash IS excluded.config_hash THEN sources.etag ELSE NULL END,
      last_modified = CASE WHEN sources.config_hash IS excluded.config_hash THEN sources.last_modified ELSE NULL END,
      consecutive_errors = CASE WHEN sources.config_hash IS excluded.config_hash THEN sources.consecutive_errors ELSE 0 END,
      is_failing = CASE WHEN sources.config_hash IS excluded.config_hash THEN sources.is_failing ELSE 0 END,
      config_hash = excluded.config_hash`);
  const deactivateAll = db.prepare('UPDATE sources SET is_active = 0');
  const selectAll = db.prepare(`
    SELECT s.*, (SELECT COUNT(*) FROM items i WHERE i.source_id = s.id) AS items_total
    FROM sources s WHERE s.is_active = 1 ORDER BY s.id`);
  const selectOne = db.prepare('SELECT * FROM sources WHERE id = ?');
  const due = db.prepare(`
    SELECT id FROM sources
    WHERE is_active = 1 AND is_gone = 0 AND (next_check_at IS NULL OR next_check_at <= ?)
    ORDER BY next_check_at IS NOT NULL, next_check_at, id`);
  const publishedSince = db.prepare(
    'SELECT COUNT(*) AS n FROM items WHERE source_id = ? AND COALESCE(published, first_seen) >= ? AND COALESCE(published, first_seen) <= ?',
  );
  const insertAttempt = db.prepare(`
    INSERT INTO fetch_log (source_id, started_at, duration_ms, status, error_code, error_message, items_seen, items_new, items_updated)
    VALUES (@sourceId, @startedAt, @durationMs, @status, @errorCode, @errorMessage, @itemsSeen, @itemsNew, @itemsUpdated)`);
  const updateStatements = new Map<string, Database.Statement>();

  return {
    syncSources: db.transaction((sources: readonly SourceRecord[]) => {
      deactivateAll.run();
      for (const source of sources) {
        upsert.run({ ...source, url: source.url ?? null, path: source.path ?? null });
      }
    }),
    statuses(): SourceStatus[] {
      return (selectAll.all() as SourceRow[]).map((row) => ({ ...toState(row), source: toRecord(row) }));
    },
    getState(sourceId: string): SourceState | undefined {
      const row = selectOne.get(sourceId) as SourceRow | undefined;
      return row ? toState(row) : undefined;
    },
    updateState(sourceId: string, patch: Partial<Omit<SourceState, 'sourceId'>>): void {
      const entries = Object.entries(patch).filter(([key]) => key in STATE_COLUMNS);
      if (entries.length === 0) return;
      const columns = entries.map(([key]) => STATE_COLUMNS[key as keyof typeof STATE_COLUMNS]);
      const sql = `UPDATE sources SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;
      let statement = updateStatements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        updateStatements.set(sql, statement);
      }
      const values = entries.map(([, value]) =>
        typeof value === 'boolean' ? Number(value) : typeof value === 'object' && value !== null ? JSON.stringify(value) : (value ?? null),
      );
      statement.run(...values, sourceId);
    },
    dueSources(now: Date): string[] {
      return (due.all(now.toISOString()) as { id: string }[]).map((row) => row.id);
    },
    countPublishedSince(sourceId: string, since: Date, until: Date): number {
      return (publishedSince.get(sourceId, since.toISOString(), until.toISOString()) as { n: number }).n;
    },
    recordAttempt(attempt: FetchAttempt): void {
      insertAttempt.run({
        ...attempt,
        status: attempt.status ?? null,
        errorCode: attempt.errorCode ?? null,
        errorMessage: attempt.errorMessage ?? null,
      });
    },
  };
}
