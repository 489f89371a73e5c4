// fetchFeed against the fault-injection server: one named test per behaviour of issue 3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSchema } from '../../src/config/schema.ts';
import type { FetchConfig } from '../../src/config/schema.ts';
import { createFetchAgent, fetchFeed, FetchError } from '../../src/fetch/index.ts';
import type { FetchAgent, FetchOptions } from '../../src/fetch/index.ts';
import { BOMB_SIZE, SAMPLE_RSS, startFaultServer } from '../helpers/fault-server.ts';
import type { FaultServer } from '../helpers/fault-server.ts';

const config: FetchConfig = fetchSchema.parse({
  timeout: '1s',
  connect_timeout: '500ms',
  max_body: 64 * 1024,
  user_agent: 'WiredeskTest/1.0 (+https://example.org/wiredesk)',
  allow_private_networks: ['127.0.0.1'],
});

let server: FaultServer;
let agent: FetchAgent;
beforeAll(async () => {
  server = await startFaultServer();
  agent = createFetchAgent(config, { env: {} });
});
afterAll(async () => {
  await agent.close();
  await server.close();
});

const get = (path: string, extra: Partial<FetchOptions> = {}) => fetchFeed(server.url(path), { config, agent, ...extra });

/** Runs `promise`, expecting a FetchError; returns it. */
async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error('expected a FetchError');
}

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('fetchFeed: conditional GET', () => {
  it('200 returns the body, validators, content type and final URL', async () => {
    const result = await get('/feed');
    expect(result.status).toBe(200);
    expect(result.notModified).toBe(false);
    expect(text(result.body)).toBe(SAMPLE_RSS);
    expect(result.etag).toBe('"v1"');
    expect(result.lastModified).toBe('Tue, 24 Nov 2026 10:00:00 GMT');
    expect(result.contentType).toContain('application/rss+xml');
    expect(result.finalUrl).toBe(server.url('/feed'));
    expect(result.permanentRedirect).toBeUndefined();
  });

  it('304: sends If-None-Match and If-Modified-Since, returns notModified without a body', async () => {
    const result = await get('/feed', { validators: { etag: '"v1"', lastModified: 'Tue, 24 Nov 2026 10:00:00 GMT' } });
    expect(result.status).toBe(304);
    expect(result.notModified).toBe(true);
    expect(result.body).toBeUndefined();
    expect(result.etag).toBe('"v1"');
    const sent = server.requests.at(-1)!.headers;
    expect(sent['if-none-match']).toBe('"v1"');
    expect(sent['if-modified-since']).toBe('Tue, 24 Nov 2026 10:00:00 GMT');
  });

  it('unconditional fetch drops the validators', async () => {
    const result = await get('/feed', { validators: { etag: '"v1"' }, unconditional: true });
    expect(result.status).toBe(200);
    const sent = server.requests.at(-1)!.headers;
    expect(sent['if-none-match']).toBeUndefined();
    expect(sent['if-modified-since']).toBeUndefined();
  });

  it('sends the configured User-Agent, a feed Accept header, gzip/deflate/br and per-source headers', async () => {
    const result = await get('/echo-headers', { headers: { Authorization: 'Bearer t0ken' } });
    const sent = JSON.parse(text(result.body)) as Record<string, string>;
    expect(sent['user-agent']).toBe(config.user_agent);
    expect(sent.accept).toContain('application/rss+xml');
    expect(sent.accept).toContain('application/atom+xml');
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent.authorization).toBe('Bearer t0ken');
  });
});

describe('fetchFeed: redirects', () => {
  it.each([301, 308])('%i is followed and remembered as permanentRedirect', async (status) => {
    const result = await get(`/redirect/${status}`);
    expect(result.status).toBe(200);
    expect(result.finalUrl).toBe(server.url('/feed'));
    expect(result.permanentRedirect).toBe(server.url('/feed'));
  });

  it.each([302, 303, 307])('%i is followed but not remembered', async (status) => {
    const result = await get(`/redirect/${status}`);
    expect(result.finalUrl).toBe(server.url('/feed'));
    expect(result.permanentRedirect).toBeUndefined();
  });

  it('301 then 302 remembers only the permanent hop', async () => {
    const result = await get('/chain/start');
    expect(result.finalUrl).toBe(server.url('/feed'));
    expect(result.permanentRedirect).toBe(server.url('/chain/middle'));
  });

  it('redirect loop is FETCH_REDIRECT_LOOP', async () => {
    expect((await failure(get('/loop/a'))).code).toBe('FETCH_REDIRECT_LOOP');
  });

  it('more than max_redirects hops is FETCH_TOO_MANY_REDIRECTS', async () => {
    expect((await failure(get('/hops/0'))).code).toBe('FETCH_TOO_MANY_REDIRECTS');
    expect((await get('/hops/5')).status).toBe(200); // exactly 5 hops is allowed
  });

  it('a redirect to file: is FETCH_BAD_SCHEME', async () => {
    expect((await failure(get('/redirect/file'))).code).toBe('FETCH_BAD_SCHEME');
  });

  it('per-source headers are not sent to another origin after a redirect', async () => {
    server.route('/to-other-origin', (_req, res) => {
      res.writeHead(302, { location: `http://localhost:${server.port}/echo-headers` }).end();
    });
    const open = createFetchAgent({ ...config, allow_private_networks: true }, { env: {} });
    try {
      const result = await fetchFeed(server.url('/to-other-origin'), { config, agent: open, headers: { 'X-Token': 'secret' } });
      const sent = JSON.parse(text(result.body)) as Record<string, string>;
      expect(sent['x-token']).toBeUndefined();
      expect(sent['user-agent']).toBe(config.user_agent);
    } finally {
      await open.close();
    }
  });
});

describe('fetchFeed: statuses', () => {
  it('410 is FETCH_GONE', async () => {
    const error = await failure(get('/gone'));
    expect(error.code).toBe('FETCH_GONE');
    expect(error.status).toBe(410);
  });

  it('429 with Retry-After is HTTP_STATUS carrying retryAfterSeconds', async () => {
    const error = await failure(get('/status/429?retry=120'));
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(120);
  });

  it('an absurd Retry-After is reported as given (the scheduler caps it)', async () => {
    const error = await failure(get('/status/429?retry=999999999999'));
    expect(error.retryAfterSeconds).toBe(999999999999);
  });

  it('503 with an HTTP-date Retry-After is converted to seconds', async () => {
    const error = await failure(get('/status/503-date'));
    expect(error.status).toBe(503);
    expect(error.retryAfterSeconds).toBeGreaterThan(80);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(91);
  });

  it('500 is HTTP_STATUS 500', async () => {
    const error = await failure(get('/status/500'));
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.status).toBe(500);
  });

  it('Cache-Control max-age and Expires are reported as maxAgeSeconds', async () => {
    expect((await get('/cache')).maxAgeSeconds).toBe(3600);
    const expires = (await get('/expires')).maxAgeSeconds ?? 0;
    expect(expires).toBeGreaterThanOrEqual(7199);
    expect(expires).toBeLessThanOrEqual(7200);
  });

  it('empty 200 is FETCH_EMPTY_BODY', async () => {
    expect((await failure(get('/empty'))).code).toBe('FETCH_EMPTY_BODY');
  });
});

describe('fetchFeed: limits', () => {
  it('slow drip past the deadline is cut off with FETCH_TIMEOUT', async () => {
    const started = Date.now();
    expect((await failure(get('/drip'))).code).toBe('FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a server that accepts and never answers is FETCH_TIMEOUT', async () => {
    const started = Date.now();
    expect((await failure(get('/hang'))).code).toBe('FETCH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a Content-Length that lies (fewer bytes, then close) is FETCH_BODY_INCOMPLETE', async () => {
    const error = await failure(get('/lying-length'));
    expect(['FETCH_BODY_INCOMPLETE', 'FETCH_RESET']).toContain(error.code);
  });

  it('a Content-Length over the cap is refused before reading', async () => {
    expect((await failure(get('/huge-length'))).code).toBe('FETCH_TOO_LARGE');
  });

  it('gzip bomb is cut off at the cap, counted after decompression', async () => {
    const before = process.memoryUsage().arrayBuffers;
    expect((await failure(get('/gzip-bomb'))).code).toBe('FETCH_TOO_LARGE');
    // The 32 MiB it would inflate to was never held at once.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(BOMB_SIZE / 2);
  });

  it('brotli bomb is cut off at the cap', async () => {
    expect((await failure(get('/brotli-bomb'))).code).toBe('FETCH_TOO_LARGE');
  });

  it.each(['/gzip', '/brotli', '/deflate', '/deflate-raw'])('%s body is decoded', async (path) => {
    expect(text((await get(path)).body)).toBe(SAMPLE_RSS);
  });

  it('a corrupt gzip body is FETCH_BAD_ENCODING', async () => {
    expect((await failure(get('/corrupt-gzip'))).code).toBe('FETCH_BAD_ENCODING');
  });

  it('an unsupported Content-Encoding is FETCH_BAD_ENCODING', async () => {
    expect((await failure(get('/unknown-encoding'))).code).toBe('FETCH_BAD_ENCODING');
  });

  it('endless body is cut off at the cap', async () => {
    expect((await failure(get('/endless'))).code).toBe('FETCH_TOO_LARGE');
  });

  it('a caller abort is FETCH_ABORTED', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await failure(get('/hang', { signal: controller.signal }))).code).toBe('FETCH_ABORTED');
  });

  it('connection refused is FETCH_CONNECT', async () => {
    const closed = await startFaultServer();
    const url = closed.url('/feed');
    await closed.close();
    expect((await failure(fetchFeed(url, { config, agent }))).code).toBe('FETCH_CONNECT');
  });
});
