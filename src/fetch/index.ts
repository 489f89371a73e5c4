// Fetches one feed URL politely and safely: conditional GET, manual redirects, deadline, body cap, network guard.
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import type { FetchConfig } from '../config/schema.ts';
import type { FetchResult, FetchValidators } from '../model/fetch.ts';
import { getSharedFetchAgent } from './agent.ts';
import type { FetchAgent } from './agent.ts';
import { readBody } from './body.ts';
import { FetchError, toFetchError } from './errors.ts';
import { checkHostLiteral } from './guard.ts';
import { ACCEPT_ENCODING, FEED_ACCEPT, headerValue, parseFreshness, parseRetryAfter } from './headers.ts';

export { FetchError, toFetchError } from './errors.ts';
export type { FetchErrorCode } from './errors.ts';
export { expandHeaderVars, redactHeaders, parseRetryAfter, parseFreshness } from './headers.ts';
export { createFetchAgent, getSharedFetchAgent, closeSharedFetchAgent } from './agent.ts';
export type { FetchAgent, FetchAgentOptions } from './agent.ts';
export { createAddressPolicy, parseAddress } from './guard.ts';

export interface FetchOptions {
  config: FetchConfig;
  /** Validators stored from the last 200 (sent as If-None-Match / If-Modified-Since, RFC 9110 §13.1). */
  validators?: FetchValidators;
  /** Send no validators (the daily check on sources that always answer 304). */
  unconditional?: boolean;
  /** Per-source headers, already expanded with expandHeaderVars. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Defaults to the agent shared by `config`; pass one to use a custom resolver or to close it yourself. */
  agent?: FetchAgent;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// RFC 9110 §15.4.2 and §15.4.9: only 301 and 308 say "use the new URI from now on".
const PERMANENT = new Set([301, 308]);

/** Parses and checks a fetch target: only http and https, never file:, data:, gopher:... */
function parseTarget(text: string, base?: string): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(text) : new URL(text, base);
  } catch (error) {
    throw new FetchError('FETCH_BAD_URL', `"${text}" is not a URL`, { url: text, cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('FETCH_BAD_SCHEME', `${url.protocol} URLs are not fetched (only http and https)`, { url: url.href });
  }
  url.hash = '';
  return url;
}

function buildHeaders(options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.config.user_agent,
    accept: FEED_ACCEPT,
    'accept-encoding': ACCEPT_ENCODING,
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.unconditional) {
    // Ask intermediaries too for a fresh copy: the point of this fetch is to get past broken validators.
    headers['cache-control'] = 'no-cache';
  } else {
    if (options.validators?.etag) headers['if-none-match'] = options.validators.etag;
    if (options.validators?.lastModified) headers['if-modified-since'] = options.validators.lastModified;
  }
  return headers;
}

/** Drops the per-source headers (tokens) when a redirect leaves the configured origin, as browsers do. */
function stripSourceHeaders(headers: Record<string, string>, options: FetchOptions): Record<string, string> {
  const out = { ...headers };
  for (const name of Object.keys(options.headers ?? {})) delete out[name.toLowerCase()];
  return out;
}

/**
 * GETs `url` and returns the final 2xx or 304 as a FetchResult; every failure is thrown as a FetchError
 * (410 → FETCH_GONE, other statuses → HTTP_STATUS with `status` and `retryAfterSeconds`).
 * The deadline (`config.timeout`) covers the whole exchange: every redirect hop and the whole body.
 */
export async function fetchFeed(url: string, options: FetchOptions): Promise<FetchResult> {
  const { config } = options;
  const started = performance.now();
  const agent = options.agent ?? getSharedFetchAgent(config);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), config.timeout);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  const originalOrigin = safeOrigin(url);
  let current = url;
  let permanentRedirect: string | undefined;
  let isPermanentChain = true;
  let headers = buildHeaders(options);
  const visited = new Set<string>();
  try {
    for (let hop = 0; ; hop++) {
      const target = parseTarget(current);
      current = target.href;
      visited.add(current);
      const refused = checkHostLiteral(target.hostname, agent.policy);
      if (refused) throw refused;
      await agent.checkHostViaDns(target.hostname);
      const response = await request(target, { method: 'GET', headers, signal, dispatcher: agent.dispatcher });
      const nowMs = Date.now();
      const status = response.statusCode;
      const responseHeaders = response.headers;
      const retryAfterSeconds = parseRetryAfter(headerValue(responseHeaders, 'retry-after'), nowMs);

      if (REDIRECTS.has(status)) {
        discardBody(response.body);
        const location = headerValue(responseHeaders, 'location');
        if (!location) throw new FetchError('FETCH_BAD_REDIRECT', `${current} answered ${status} without a Location`, { url: current, status });
        const next = parseTarget(location, current).href;
        if (visited.has(next)) throw new FetchError('FETCH_REDIRECT_LOOP', `redirect loop: ${current} → ${next}`, { url: current, status });
        if (hop + 1 > config.max_redirects) {
          throw new FetchError('FETCH_TOO_MANY_REDIRECTS', `more than ${config.max_redirects} redirects from ${url}`, { url: current, status });
        }
        // Remember only a chain of permanent hops from the configured URL: A -301-> B -302-> C remembers B.
        if (isPermanentChain && PERMANENT.has(status)) permanentRedirect = next;
        else isPermanentChain = false;
        if (safeOrigin(next) !== originalOrigin) headers = stripSourceHeaders(headers, options);
        current = next;
        continue;
      }

      const base = {
        status,
        finalUrl: current,
        ...(permanentRedirect !== undefined ? { permanentRedirect } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      };
      const maxAgeSeconds = parseFreshness(
        headerValue(responseHeaders, 'cache-control'),
        headerValue(responseHeaders, 'expires'),
        headerValue(responseHeaders, 'date'),
        nowMs,
      );
      const etag = headerValue(responseHeaders, 'etag');
      const lastModified = headerValue(responseHeaders, 'last-modified');
      const fresh = maxAgeSeconds !== undefined ? { maxAgeSeconds } : {};

      if (status === 304) {
        discardBody(response.body);
        // A 304 may omit validators (RFC 9110 §15.4.5): keep the ones we sent.
        const keptEtag = etag ?? options.validators?.etag;
        const keptLastModified = lastModified ?? options.validators?.lastModified;
        return {
          ...base,
          ...fresh,
          notModified: true,
          ...(keptEtag !== undefined ? { etag: keptEtag } : {}),
          ...(keptLastModified !== undefined ? { lastModified: keptLastModified } : {}),
          durationMs: Math.round(performance.now() - started),
        };
      }
      if (status < 200 || status > 299) {
        discardBody(response.body);
        throw toFetchError({ kind: 'status', status, url: current, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
      }
      const declared = Number(headerValue(responseHeaders, 'content-length'));
      if (Number.isFinite(declared) && declared > config.max_body) {
        discardBody(response.body);
        throw new FetchError('FETCH_TOO_LARGE', `${current} declares ${declared} bytes, over the ${config.max_body}-byte cap`, { url: current, status });
      }
      const body = await readBody(response.body, headerValue(responseHeaders, 'content-encoding'), config.max_body);
      if (body.length === 0) throw new FetchError('FETCH_EMPTY_BODY', `${current} answered ${status} with an empty body`, { url: current, status });
      const contentType = headerValue(responseHeaders, 'content-type');
      return {
        ...base,
        ...fresh,
        notModified: false,
        body,
        ...(contentType !== undefined ? { contentType } : {}),
        ...(etag !== undefined ? { etag } : {}),
        ...(lastModified !== undefined ? { lastModified } : {}),
        durationMs: Math.round(performance.now() - started),
      };
    }
  } catch (error) {
    const coded = toFetchError({
      kind: 'error',
      error,
      url: current,
      deadlineHit: deadline.signal.aborted,
      connectTimeoutMs: config.connect_timeout,
    });
    if (permanentRedirect !== undefined && coded.permanentRedirect === undefined) coded.permanentRedirect = permanentRedirect;
    throw coded;
  } finally {
    clearTimeout(timer);
  }
}

/** Drops a body we will not read; undici reports the destroy as an AbortError, which nobody needs to see. */
/**
 * Drops a body we do not read (304, redirects, errors). undici's dump() reads up to 64 KiB, so the keep-alive
 * connection is reused; destroy() aborted the request instead, which built a RequestAbortedError (a stack trace run
 * through the source maps, ~10% of an all-304 cycle's CPU) and closed the connection.
 */
function discardBody(body: Readable & { dump?: (options?: { limit: number }) => Promise<unknown> }): void {
  body.on('error', () => {});
  if (typeof body.dump === 'function') body.dump({ limit: 65_536 }).catch(() => {});
  else body.destroy();
}

function safeOrigin(text: string): string {
  try {
    return new URL(text).origin;
  } catch {
    return text;
  }
}
