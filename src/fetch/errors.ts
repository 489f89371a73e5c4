// The fetch stage's coded errors, and the one function that maps network and HTTP failures onto them.

export type FetchErrorCode =
  | 'FETCH_TIMEOUT'
  | 'FETCH_CONNECT_TIMEOUT'
  | 'FETCH_CONNECT'
  | 'FETCH_DNS'
  | 'FETCH_TLS'
  | 'FETCH_RESET'
  | 'FETCH_TOO_LARGE'
  | 'FETCH_BODY_INCOMPLETE'
  | 'FETCH_BAD_ENCODING'
  | 'FETCH_EMPTY_BODY'
  | 'FETCH_BLOCKED_ADDRESS'
  | 'FETCH_BAD_SCHEME'
  | 'FETCH_BAD_URL'
  | 'FETCH_REDIRECT_LOOP'
  | 'FETCH_TOO_MANY_REDIRECTS'
  | 'FETCH_BAD_REDIRECT'
  | 'FETCH_HEADER_ENV'
  | 'FETCH_ABORTED'
  | 'FETCH_GONE'
  | 'HTTP_STATUS'
  | 'FETCH_FAILED';

export interface FetchErrorDetails {
  url?: string;
  status?: number;
  retryAfterSeconds?: number;
  /** A 301/308 target learned before the failure (the next fetch should use it). */
  permanentRedirect?: string;
  cause?: unknown;
}

/** A failed fetch. `code` is stable (logged, stored, shown); `stage` is always "fetch". */
export class FetchError extends Error {
  readonly stage = 'fetch';
  readonly code: FetchErrorCode;
  readonly url?: string;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  permanentRedirect?: string;

  constructor(code: FetchErrorCode, message: string, details: FetchErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'FetchError';
    this.code = code;
    if (details.url !== undefined) this.url = details.url;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
    if (details.permanentRedirect !== undefined) this.permanentRedirect = details.permanentRedirect;
  }
}

/** What went wrong, as seen by the fetch loop: either a thrown error or an HTTP status it will not accept. */
export type FetchFailure =
  | { kind: 'error'; error: unknown; url: string; deadlineHit?: boolean; connectTimeoutMs?: number }
  | { kind: 'status'; status: number; url: string; retryAfterSeconds?: number };

// undici and Node error codes (UND_ERR_*, E*) → our stable codes.
const NETWORK_CODES: Record<string, FetchErrorCode> = {
  UND_ERR_CONNECT_TIMEOUT: 'FETCH_CONNECT_TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'FETCH_TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'FETCH_TIMEOUT',
  ETIMEDOUT: 'FETCH_CONNECT_TIMEOUT',
  UND_ERR_SOCKET: 'FETCH_RESET',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'FETCH_BODY_INCOMPLETE',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'FETCH_BODY_INCOMPLETE',
  UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE: 'FETCH_TOO_LARGE',
  HPE_INVALID_CONTENT_LENGTH: 'FETCH_BODY_INCOMPLETE',
  ECONNRESET: 'FETCH_RESET',
  EPIPE: 'FETCH_RESET',
  ECONNREFUSED: 'FETCH_CONNECT',
  EHOSTUNREACH: 'FETCH_CONNECT',
  ENETUNREACH: 'FETCH_CONNECT',
  EADDRNOTAVAIL: 'FETCH_CONNECT',
  ENOTFOUND: 'FETCH_DNS',
  EAI_AGAIN: 'FETCH_DNS',
  EAI_FAIL: 'FETCH_DNS',
};

/** TLS verification failures as Node/OpenSSL name them (ERR_TLS_*, CERT_*, UNABLE_TO_*, *SELF_SIGNED*). */
const isTlsCode = (raw: string) => /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_)|SELF_SIGNED|HOSTNAME_MISMATCH/.test(raw);
/** Decoder failures: zlib (Z_*) and brotli (ERR__ERROR_*, ERR_BROTLI_*). */
const isDecodeCode = (raw: string) => /^(Z_|ERR__|ERR_BROTLI|ERR_ZLIB)/.test(raw);

function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The one mapping from any fetch failure (network error, refused status) to a coded FetchError. */
export function toFetchError(failure: FetchFailure): FetchError {
  if (failure.kind === 'status') {
    const { status, url, retryAfterSeconds } = failure;
    // RFC 9110 §15.5.11: 410 means the resource is gone for good; the scheduler stops polling it.
    if (status === 410) return new FetchError('FETCH_GONE', `${url} answered 410 Gone`, { url, status });
    const details: FetchErrorDetails = { url, status };
    if (retryAfterSeconds !== undefined) details.retryAfterSeconds = retryAfterSeconds;
    return new FetchError('HTTP_STATUS', `${url} answered HTTP ${status}`, details);
  }
  const { error, url } = failure;
  if (error instanceof FetchError) return error;
  if (failure.deadlineHit) {
    return new FetchError('FETCH_TIMEOUT', `${url}: no complete answer within the request deadline`, { url, cause: error });
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError' || errorCodeOf(error) === 'UND_ERR_ABORTED') {
    return new FetchError('FETCH_ABORTED', `${url}: fetch aborted`, { url, cause: error });
  }
  const raw = errorCodeOf(error) ?? errorCodeOf((error as { cause?: unknown } | null)?.cause);
  const message = error instanceof Error ? error.message : String(error);
  let code: FetchErrorCode = raw ? (NETWORK_CODES[raw] ?? 'FETCH_FAILED') : 'FETCH_FAILED';
  if (raw && isTlsCode(raw)) code = 'FETCH_TLS';
  if (raw && isDecodeCode(raw)) code = 'FETCH_BAD_ENCODING';
  if (code === 'FETCH_CONNECT_TIMEOUT' && failure.connectTimeoutMs !== undefined) {
    return new FetchError(code, `${url}: no connection within ${failure.connectTimeoutMs} ms`, { url, cause: error });
  }
  return new FetchError(code, `${url}: ${message}${raw ? ` (${raw})` : ''}`, { url, cause: error });
}
