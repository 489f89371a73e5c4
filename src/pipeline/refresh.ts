// The orchestrator: one source through fetch (or local read) → parse → dedupe → tag → store, then its state recorded.
import type { Config, SourceConfig } from '../config/schema.ts';
import type { FetchResult, SourceState } from '../model/fetch.ts';
import type { ParsedFeed } from '../model/item.ts';
import { fetchFeed } from '../fetch/index.ts';
import { planFetch } from '../schedule/index.ts';
import { decodeFeedBytes } from '../parse/decode.ts';
import { parseFeed } from '../parse/index.ts';
import { ingestDocuments, type IngestDeps } from './ingest.ts';
import { readLocalSource } from './local-source.ts';

export interface RefreshDeps extends IngestDeps {
  config: Config;
  /** Decides the source's next check and failure state from the outcome (the schedule stage). */
  planNext(input: PlanInput): Promise<Partial<Omit<SourceState, 'sourceId'>>>;
}

/** What the schedule stage needs to know about one refresh. */
export interface PlanInput {
  source: SourceConfig;
  state: SourceState | undefined;
  outcome: RefreshOutcome;
  now: Date;
}

export interface RefreshOutcome {
  sourceId: string;
  ok: boolean;
  notModified: boolean;
  status?: number;
  errorCode?: string;
  errorMessage?: string;
  retryAfterSeconds?: number;
  maxAgeSeconds?: number;
  /** The parsed documents' polling hints (RSS ttl, skipHours, skipDays). */
  hints: Pick<ParsedFeed, 'ttlMinutes' | 'skipHours' | 'skipDays'>;
  itemsSeen: number;
  itemsNew: number;
  itemsUpdated: number;
  storiesTouched: string[];
  durationMs: number;
  /** True when this fetch was made without validators (the daily check of always-304 sources). */
  wasUnconditional: boolean;
  /** A 301/308 target learned by this fetch: used for the next fetches (the YAML is never rewritten). */
  permanentRedirect?: string;
}

/** Maps any thrown value to a stable code and a message that names the stage. */
function describeError(error: unknown): { code: string; message: string; status?: number; retryAfterSeconds?: number; permanentRedirect?: string } {
  const e = error as { code?: unknown; message?: string; status?: number; retryAfterSeconds?: number; permanentRedirect?: string };
  const code = typeof e?.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code) ? e.code : 'REFRESH_FAILED';
  return { code, message: e?.message ?? String(error), status: e?.status, retryAfterSeconds: e?.retryAfterSeconds, permanentRedirect: e?.permanentRedirect };
}

/**
 * Parses each document. In a folder (a wire drop) one bad file must not block the others: it is logged with its
 * name and skipped; the refresh fails only when no document parses.
 */
function parseDocuments(deps: RefreshDeps, sourceId: string, documents: { bytes: Uint8Array; contentType?: string; baseUrl?: string; name?: string }[]): ParsedFeed[] {
  const feeds: ParsedFeed[] = [];
  let firstError: unknown;
  for (const doc of documents) {
    try {
      feeds.push(parseFeed(doc.bytes, { contentType: doc.contentType, baseUrl: doc.baseUrl, iframeHosts: [...deps.config.content.iframe_hosts] }));
    } catch (error) {
      if (documents.length === 1) throw error;
      const e = error as Error & { code?: string };
      e.message = `${doc.name ?? 'document'}: ${e.message}`;
      firstError ??= e;
      deps.logger.warn({ source_id: sourceId, file: doc.name, error_code: e.code, error: e.message }, 'skipped a document that does not parse');
    }
  }
  if (feeds.length === 0 && firstError) throw firstError;
  return feeds;
}

function hintsOf(feeds: readonly ParsedFeed[]): RefreshOutcome['hints'] {
  const [first] = feeds;
  return first ? { ttlMinutes: first.ttlMinutes, skipHours: first.skipHours, skipDays: first.skipDays } : {};
}

/** Refreshes one source now. Never throws for source problems: they are recorded and returned. */
export async function refreshSource(deps: RefreshDeps, source: SourceConfig, options: { force?: boolean; signal?: AbortSignal; now?: Date } = {}): Promise<RefreshOutcome> {
  const now = options.now ?? new Date();
  const started = performance.now();
  const state = await deps.store.getSourceState(source.id);
  const patch: Partial<Omit<SourceState, 'sourceId'>> = {};
  const outcome: RefreshOutcome = {
    sourceId: source.id, ok: false, notModified: false, hints: {}, itemsSeen: 0, itemsNew: 0, itemsUpdated: 0,
    storiesTouched: [], durationMs: 0, wasUnconditional: false,
  };
  try {
    let feeds: ParsedFeed[] = [];
    if (source.path) {
      const read = await readLocalSource(source.path, deps.config.fetch.max_body);
      if (!options.force && state?.etag === read.stamp) {
        outcome.notModified = true;
      } else {
        feeds = parseDocuments(deps, source.id, read.documents.map((doc) => ({ bytes: doc.bytes, name: doc.path })));
        patch.etag = read.stamp;
      }
    } else if (source.url) {
      // the remembered permanent redirect, and no validators once a day (broken validators exist)
      const plan = planFetch(source, state, now, { force: options.force });
      outcome.wasUnconditional = plan.unconditional;
      const result: FetchResult = await fetchFeed(plan.url, {
        config: deps.config.fetch,
        validators: plan.validators,
        unconditional: plan.unconditional,
        // ${VAR} in headers were expanded from the environment when the config was loaded.
        headers: { ...source.headers },
        signal: options.signal,
      });
      outcome.status = result.status;
      outcome.maxAgeSeconds = result.maxAgeSeconds;
      outcome.retryAfterSeconds = result.retryAfterSeconds;
      outcome.permanentRedirect = result.permanentRedirect;
      if (result.notModified) {
        outcome.notModified = true;
      } else {
        feeds = parseDocuments(deps, source.id, [{ bytes: result.body ?? new Uint8Array(), contentType: result.contentType, baseUrl: result.finalUrl }]);
        patch.etag = result.etag;
        patch.lastModified = result.lastModified;
      }
    }
    if (feeds.length > 0) {
      const stored = await ingestDocuments(deps, source, feeds, now);
      Object.assign(outcome, { itemsSeen: stored.itemsSeen, itemsNew: stored.itemsNew, itemsUpdated: stored.itemsUpdated, storiesTouched: stored.storiesTouched });
      outcome.hints = hintsOf(feeds);
      patch.pollHints = outcome.hints;
    }
    outcome.ok = true;
  } catch (error) {
    const described = describeError(error);
    outcome.errorCode = described.code;
    outcome.errorMessage = described.message;
    outcome.status = described.status ?? outcome.status;
    outcome.retryAfterSeconds = described.retryAfterSeconds;
    outcome.permanentRedirect = described.permanentRedirect;
  }
  outcome.durationMs = Math.round(performance.now() - started);

  const level = outcome.ok ? 'info' : 'warn';
  deps.logger[level](
    {
      source_id: source.id, status: outcome.status, not_modified: outcome.notModified, items_seen: outcome.itemsSeen,
      items_new: outcome.itemsNew, items_updated: outcome.itemsUpdated, duration_ms: outcome.durationMs,
      error_code: outcome.errorCode, error: outcome.errorMessage,
    },
    outcome.ok ? 'source refreshed' : 'source refresh failed',
  );
  try {
    await deps.store.recordFetchOutcome(
      {
        sourceId: source.id, startedAt: now.toISOString(), durationMs: outcome.durationMs, status: outcome.status,
        errorCode: outcome.errorCode, errorMessage: outcome.errorMessage, itemsSeen: outcome.itemsSeen,
        itemsNew: outcome.itemsNew, itemsUpdated: outcome.itemsUpdated,
      },
      {
        ...(outcome.ok ? patch : {}),
        lastFetchAt: now.toISOString(),
        lastStatus: outcome.status,
        lastErrorCode: outcome.errorCode,
        lastErrorMessage: outcome.errorMessage,
        ...(outcome.ok ? { lastSuccessAt: now.toISOString() } : {}),
        ...(await deps.planNext({ source, state, outcome, now })),
      },
    );
  } catch (error) {
    deps.logger.error({ source_id: source.id, error: (error as Error).message }, 'could not record the fetch');
  }
  return outcome;
}
