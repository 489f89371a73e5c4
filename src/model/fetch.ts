// Plain types for what a fetch returns and what is recorded per source; imports nothing.

/** Validators and redirect memory kept per source between fetches. */
export interface FetchValidators {
  etag?: string;
  lastModified?: string;
}

/** The outcome of one successful HTTP exchange (2xx or 304). Failures are thrown as coded errors. */
export interface FetchResult {
  /** HTTP status of the final response (200, 304, ...). */
  status: number;
  /** True on 304: nothing changed, nothing to parse. */
  notModified: boolean;
  /** Raw body bytes (already decompressed), absent on 304. */
  body?: Uint8Array;
  /** The Content-Type header, for charset detection. */
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  /** Set when a 301/308 chain ended here: the URL to use for the next fetches. */
  permanentRedirect?: string;
  /** Seconds from Cache-Control max-age or Expires, if the server gave them. */
  maxAgeSeconds?: number;
  /** Seconds from Retry-After, if the server gave one (also on success, e.g. with 503 fallbacks). */
  retryAfterSeconds?: number;
  durationMs: number;
}

/** One attempt, as recorded in the store. */
export interface FetchAttempt {
  sourceId: string;
  startedAt: string;
  durationMs: number;
  /** HTTP status, or undefined for network errors and local files. */
  status?: number;
  /** Stable error code (`FETCH_TIMEOUT`, `HTTP_STATUS`, `PARSE_ERROR`, ...) or undefined on success. */
  errorCode?: string;
  errorMessage?: string;
  itemsSeen: number;
  itemsNew: number;
  itemsUpdated: number;
}

/** A source's fetch state, as `wiredesk sources` shows it. */
export interface SourceState {
  sourceId: string;
  /** What the source fetches now: the configured URL, or the target of a remembered permanent redirect, or the path. */
  effectiveUrl?: string;
  etag?: string;
  lastModified?: string;
  lastFetchAt?: string;
  lastStatus?: number;
  lastErrorCode?: string;
  lastErrorMessage?: string;
  lastSuccessAt?: string;
  consecutiveErrors: number;
  nextCheckAt?: string;
  /** True after `fetch.failing_after` consecutive errors. */
  isFailing: boolean;
  /** True after a 410 Gone, until the source's config changes. */
  isGone: boolean;
  /** Hash of the source's config, to notice changes (and lift a 410 stop). */
  configHash?: string;
  /** Last unconditional (validator-less) fetch, for the daily 304 check. */
  lastUnconditionalAt?: string;
  itemsTotal?: number;
  /** The source's polling hints from its last parsed document (RSS `<ttl>`, `<skipHours>`, `<skipDays>`). */
  pollHints?: { ttlMinutes?: number; skipHours?: number[]; skipDays?: string[] };
}
