// Header helpers and the error mapping: ${VAR} expansion, Retry-After, freshness, and stable codes for network failures.
import { describe, expect, it } from 'vitest';
import { expandHeaderVars, FetchError, parseFreshness, parseRetryAfter, redactHeaders, toFetchError } from '../../src/fetch/index.ts';

const nowMs = Date.parse('2026-11-25T12:00:00Z');

describe('expandHeaderVars', () => {
  it('replaces ${VAR} from the environment', () => {
    expect(expandHeaderVars({ Authorization: 'Bearer ${TOKEN}', 'X-Plain': 'a$b' }, { TOKEN: 's3cret' })).toEqual({
      Authorization: 'Bearer s3cret',
      'X-Plain': 'a$b',
    });
  });

  it('a missing variable is FETCH_HEADER_ENV naming the variable, never a value', () => {
    try {
      expandHeaderVars({ Authorization: 'Bearer ${MISSING_TOKEN}' }, { OTHER: 'x' });
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(FetchError);
      expect((error as FetchError).code).toBe('FETCH_HEADER_ENV');
      expect((error as FetchError).message).toContain('MISSING_TOKEN');
    }
  });

  it('redactHeaders keeps names only', () => {
    expect(redactHeaders({ Authorization: 'Bearer s3cret' })).toEqual({ Authorization: '[redacted]' });
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Wed, 25 Nov 2026 12:05:00 GMT', 300],
    ['Wed, 25 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, nowMs)).toBe(expected);
  });
});

describe('parseFreshness (RFC 9111 §4.2.1)', () => {
  it.each([
    ['max-age wins over Expires', 'public, max-age=600', 'Wed, 25 Nov 2026 14:00:00 GMT', undefined, 600],
    ['Expires counts from Date', undefined, 'Wed, 25 Nov 2026 14:00:00 GMT', 'Wed, 25 Nov 2026 13:00:00 GMT', 3600],
    ['Expires counts from now without Date', undefined, 'Wed, 25 Nov 2026 12:30:00 GMT', undefined, 1800],
    ['an invalid Expires is already expired', undefined, '0', undefined, 0],
    ['no-cache gives no lifetime', 'no-cache, max-age=600', undefined, undefined, undefined],
    ['nothing given', undefined, undefined, undefined, undefined],
  ] as const)('%s', (_name, cacheControl, expires, date, expected) => {
    expect(parseFreshness(cacheControl, expires, date, nowMs)).toBe(expected);
  });
});

describe('toFetchError: one mapping to stable codes', () => {
  const fail = (code: string) => Object.assign(new Error(code), { code });
  it.each([
    ['ECONNREFUSED', 'FETCH_CONNECT'],
    ['ENOTFOUND', 'FETCH_DNS'],
    ['ECONNRESET', 'FETCH_RESET'],
    ['UND_ERR_SOCKET', 'FETCH_RESET'],
    ['UND_ERR_CONNECT_TIMEOUT', 'FETCH_CONNECT_TIMEOUT'],
    ['UND_ERR_HEADERS_TIMEOUT', 'FETCH_TIMEOUT'],
    ['UND_ERR_BODY_TIMEOUT', 'FETCH_TIMEOUT'],
    ['CERT_HAS_EXPIRED', 'FETCH_TLS'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'FETCH_TLS'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'FETCH_TLS'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'FETCH_TLS'],
    ['Z_DATA_ERROR', 'FETCH_BAD_ENCODING'],
    ['SOMETHING_ELSE', 'FETCH_FAILED'],
  ])('%s → %s', (raw, code) => {
    const mapped = toFetchError({ kind: 'error', error: fail(raw), url: 'http://x/' });
    expect(mapped.code).toBe(code);
    expect(mapped.stage).toBe('fetch');
    expect(mapped.cause).toBeInstanceOf(Error);
  });

  it('any error after the deadline fired is FETCH_TIMEOUT', () => {
    expect(toFetchError({ kind: 'error', error: fail('UND_ERR_ABORTED'), url: 'http://x/', deadlineHit: true }).code).toBe('FETCH_TIMEOUT');
  });

  it('statuses: 410 → FETCH_GONE, others → HTTP_STATUS with status and Retry-After', () => {
    expect(toFetchError({ kind: 'status', status: 410, url: 'http://x/' }).code).toBe('FETCH_GONE');
    const limited = toFetchError({ kind: 'status', status: 429, url: 'http://x/', retryAfterSeconds: 60 });
    expect(limited).toMatchObject({ code: 'HTTP_STATUS', status: 429, retryAfterSeconds: 60 });
  });
});
