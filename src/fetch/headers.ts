// HTTP header helpers for fetching: request headers, ${VAR} expansion, and the freshness hints of a response.
import { FetchError } from './errors.ts';

/** What we accept, feed formats first (RFC 9110 §12.5.1 quality values). */
export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

/** The content codings we can decode while streaming (RFC 9110 §8.4.1). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * Replaces `${VAR}` in per-source header values with `env[VAR]`. A missing variable is an error naming the
 * variable (never a value): sending `Bearer ` with an empty token would only earn a 401 and hide the cause.
 */
export function expandHeaderVars(
  headers: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, variable: string) => {
      const found = env[variable];
      if (found === undefined) {
        throw new FetchError('FETCH_HEADER_ENV', `header ${name} uses \${${variable}}, which is not set in the environment`);
      }
      return found;
    });
  }
  return out;
}

/** Header names whose values must never be logged or shown (`wiredesk sources`). */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) out[name] = '[redacted]';
  return out;
}

/** Parses an HTTP-date (RFC 9110 §5.6.7); Date.parse reads IMF-fixdate, RFC 850 and asctime forms. */
function parseHttpDate(value: string): number | undefined {
  // Every HTTP-date form names its month; without a letter Date.parse would read "-5" as a year.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as whole seconds from `nowMs` (never negative). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text), Number.MAX_SAFE_INTEGER);
  const at = parseHttpDate(text);
  if (at === undefined) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/**
 * Freshness lifetime in seconds (RFC 9111 §4.2.1): Cache-Control max-age wins over Expires, which counts from
 * the response's Date (or our clock). `no-cache`/`no-store` give none: they ask for revalidation, not a pause.
 */
export function parseFreshness(
  cacheControl: string | undefined,
  expires: string | undefined,
  date: string | undefined,
  nowMs: number,
): number | undefined {
  if (cacheControl) {
    const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
    if (directives.some((d) => d === 'no-cache' || d === 'no-store')) return undefined;
    for (const directive of directives) {
      const match = /^max-age\s*=\s*"?(\d+)"?$/.exec(directive);
      if (match?.[1]) return Number(match[1]);
    }
  }
  if (expires) {
    const at = parseHttpDate(expires);
    // RFC 9111 §5.3: an invalid Expires (like "0") means already expired.
    if (at === undefined) return 0;
    const base = (date ? parseHttpDate(date) : undefined) ?? nowMs;
    return Math.max(0, Math.floor((at - base) / 1000));
  }
  return undefined;
}

/** One header value from undici's response headers (arrays joined as RFC 9110 §5.3 allows). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}
