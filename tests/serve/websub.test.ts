// The WebSub publisher against a hub stand-in on 127.0.0.1: the publish ping's form, retries, refusals, private feeds.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTopicTracker, createWebSubNotifier, createWebSubPublisher } from '../../src/serve/websub.ts';

interface HubRequest {
  method: string;
  contentType: string | undefined;
  form: URLSearchParams;
}

/** A hub that records each request and answers with the next scripted status (then 204). */
function startHub(): Promise<{ url: string; requests: HubRequest[]; script: { status: number; headers?: Record<string, string> }[]; close(): Promise<void> }> {
  const requests: HubRequest[] = [];
  const script: { status: number; headers?: Record<string, string> }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', contentType: req.headers['content-type'], form: new URLSearchParams(body) });
      const next = script.shift() ?? { status: 204 };
      res.writeHead(next.status, next.headers).end(next.status >= 400 ? 'no' : undefined);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`,
        requests,
        script,
        close: () => new Promise<void>((ok) => server.close(() => ok())),
      }),
    ),
  );
}

function recordingLogger() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } };
}

describe('createWebSubPublisher', () => {
  let hub: Awaited<ReturnType<typeof startHub>>;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub.close());
  afterEach(() => {
    hub.requests.length = 0;
    hub.script.length = 0;
  });

  it('POSTs hub.mode=publish and hub.url form-encoded, one request per distinct topic', async () => {
    const { logger } = recordingLogger();
    const publisher = createWebSubPublisher({ hubUrl: hub.url, logger, backoffMs: 10 });
    const topics = ['http://feeds.example.test/feeds/world.rss', 'http://feeds.example.test/feeds/world.atom'];
    const outcomes = await publisher.notify([...topics, topics[0] as string]);
    expect(outcomes.map((o) => o.code)).toEqual(['WEBSUB_OK', 'WEBSUB_OK']);
    expect(hub.requests).toHaveLength(2);
    for (const [index, request] of hub.requests.entries()) {
      expect(request.method).toBe('POST');
      expect(request.contentType).toBe('application/x-www-form-urlencoded');
      expect(request.form.get('hub.mode')).toBe('publish');
      expect(request.form.getAll('hub.url')).toEqual([topics[index]]);
    }
  });

  it('retries 5xx and 429 with back-off until the hub accepts', async () => {
    const { logger } = recordingLogger();
    hub.script.push({ status: 503 }, { status: 429, headers: { 'Retry-After': '0' } }, { status: 202 });
    const publisher = createWebSubPublisher({ hubUrl: hub.url, logger, backoffMs: 20 });
    const started = performance.now();
    const [outcome] = await publisher.notify(['http://feeds.example.test/feeds/latam.json']);
    expect(outcome).toMatchObject({ code: 'WEBSUB_OK', status: 202, attempts: 3 });
    expect(hub.requests).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(20 + 40 - 5); // two waits: 20 ms, then 40 ms
  });

  it('does not retry a refusal (4xx) and logs it as a warning', async () => {
    const { logger, lines } = recordingLogger();
    hub.script.push({ status: 400 });
    const publisher = createWebSubPublisher({ hubUrl: hub.url, logger, backoffMs: 10 });
    const [outcome] = await publisher.notify(['http://feeds.example.test/feeds/sport.rss']);
    expect(outcome).toMatchObject({ code: 'WEBSUB_REJECTED', status: 400, attempts: 1 });
    expect(hub.requests).toHaveLength(1);
    expect(lines.some((l) => l.level === 'warn' && (l.obj as { status?: number }).status === 400)).toBe(true);
  });

  it('gives up after its attempts on an unreachable hub without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const { logger, lines } = recordingLogger();
    const publisher = createWebSubPublisher({ hubUrl: `http://127.0.0.1:${port}/hub`, logger, attempts: 3, backoffMs: 5 });
    const [outcome] = await publisher.notify(['http://feeds.example.test/feeds/world.rss']);
    expect(outcome).toMatchObject({ code: 'WEBSUB_GAVE_UP', attempts: 3 });
    expect(outcome && 'error' in outcome ? outcome.error : '').toMatch(/ECONNREFUSED/);
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('gives up on a hub that never answers, within its timeout', async () => {
    const silent = createServer(() => undefined); // accepts and never responds
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const { logger } = recordingLogger();
    const publisher = createWebSubPublisher({
      hubUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`,
      logger,
      attempts: 2,
      backoffMs: 5,
      timeoutMs: 150,
    });
    const [outcome] = await publisher.notify(['http://feeds.example.test/feeds/world.rss']);
    expect(outcome).toMatchObject({ code: 'WEBSUB_GAVE_UP', attempts: 2, error: 'timed out after 150 ms' });
    silent.closeAllConnections();
    await new Promise<void>((ok) => silent.close(() => ok()));
  });

  it('never sends a private feed (its ?token=) to the hub, nor logs the token', async () => {
    const { logger, lines } = recordingLogger();
    const publisher = createWebSubPublisher({ hubUrl: hub.url, logger });
    const [outcome] = await publisher.notify(['http://feeds.example.test/feeds/desk.rss?token=s3cret-s3cret-s3cret']);
    expect(outcome?.code).toBe('WEBSUB_SKIPPED_PRIVATE');
    expect(hub.requests).toHaveLength(0);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('close() cuts a back-off wait short', async () => {
    const { logger, lines } = recordingLogger();
    hub.script.push({ status: 503 });
    const publisher = createWebSubPublisher({ hubUrl: hub.url, logger, backoffMs: 60_000 });
    const pending = publisher.notify(['http://feeds.example.test/feeds/world.rss']);
    const started = performance.now();
    // the publisher logs the retry just before its 60 s wait begins
    while (!lines.some((l) => l.msg === 'websub ping failed, retrying') && performance.now() - started < 5000) await new Promise((ok) => setTimeout(ok, 10));
    publisher.close();
    const [outcome] = await pending;
    expect(outcome).toMatchObject({ code: 'WEBSUB_GAVE_UP', status: 503, attempts: 1 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await publisher.notify(['http://feeds.example.test/feeds/world.atom'])).toEqual([
      { topic: 'http://feeds.example.test/feeds/world.atom', code: 'WEBSUB_CLOSED', attempts: 0 },
    ]);
  });
});

describe('createTopicTracker', () => {
  it('reports topics whose ETag changed, taking first sightings as the baseline', () => {
    const tracker = createTopicTracker();
    expect(tracker.findChangedTopics(new Map([['a.rss', '"1"'], ['b.rss', '"1"']]))).toEqual([]);
    expect(tracker.findChangedTopics(new Map([['a.rss', '"2"'], ['b.rss', '"1"'], ['c.rss', '"1"']]))).toEqual(['a.rss']);
    expect(tracker.findChangedTopics(new Map([['a.rss', '"2"'], ['c.rss', '"3"']]))).toEqual(['c.rss']);
  });
});

describe('createWebSubNotifier', () => {
  it('pings the hub with the self URLs of the public feeds whose files changed, once per change', async () => {
    const hub = await startHub();
    const etags = new Map<string, string>([['/feeds/world.rss', '"a"'], ['/feeds/world.atom', '"a"'], ['/feeds/sport.rss', '"s"'], ['/feeds/desk.rss', '"p"']]);
    const asked: string[] = [];
    const outputs = {
      get: async (path: string) => {
        asked.push(path);
        const etag = etags.get(path);
        return etag ? { etag } : undefined;
      },
    };
    const feeds = [
      { id: 'world', formats: ['rss', 'atom'] as ('rss' | 'atom' | 'json')[], private: false },
      { id: 'sport', formats: ['rss'] as ('rss' | 'atom' | 'json')[], private: false },
      { id: 'desk', formats: ['rss'] as ('rss' | 'atom' | 'json')[], private: true },
    ];
    const { logger } = recordingLogger();
    const notifier = createWebSubNotifier({ hubUrl: hub.url, logger, outputs, feeds, baseUrl: 'https://news.example.test/wire/', backoffMs: 5 });
    try {
      await notifier.feedsMayHaveChanged(); // baseline
      expect(hub.requests).toHaveLength(0);
      expect(asked).not.toContain('/feeds/desk.rss');
      etags.set('/feeds/world.rss', '"b"');
      etags.set('/feeds/world.atom', '"b"');
      await notifier.feedsMayHaveChanged();
      await notifier.feedsMayHaveChanged(); // nothing changed since
      expect(hub.requests.map((r) => r.form.get('hub.url'))).toEqual(['https://news.example.test/wire/feeds/world.rss', 'https://news.example.test/wire/feeds/world.atom']);
      etags.set('/feeds/sport.rss', '"t"');
      await Promise.all([notifier.feedsMayHaveChanged(), notifier.feedsMayHaveChanged(), notifier.feedsMayHaveChanged()]);
      expect(hub.requests.map((r) => r.form.get('hub.url')).slice(2)).toEqual(['https://news.example.test/wire/feeds/sport.rss']);
    } finally {
      notifier.close();
      await hub.close();
    }
  });
});
