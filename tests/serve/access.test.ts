// The HTTP surface's access rules: admin token on /metrics and /api, private feeds by token, readiness, no reflected input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.ts';
import { validateConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/ops/metrics.ts';
import { Outputs } from '../../src/serve/outputs.ts';
import { startServer, type ServerHandle } from '../../src/serve/server.ts';

const ADMIN = 'admin-token-0123456789abcdef';
const SECRET = 'feed-token-0123456789abcdef';

describe('HTTP access rules', () => {
  let app: App;
  let server: ServerHandle;
  beforeAll(async () => {
    const config = validateConfig({
      database: ':memory:',
      server: { port: 0, base_url: 'http://feeds.example.test/desk', admin_token: ADMIN },
      sources: [{ id: 'wire', path: 'config/sample-wire/northwire-world' }],
      feeds: [
        { id: 'public', title: 'Public desk' },
        { id: 'internal', title: 'Internal desk', private: true, token: SECRET },
      ],
    });
    app = await openApp(config, { logger: silentLogger() });
    await app.refresh('wire');
    const metrics = createMetrics(app.store);
    const outputs = new Outputs(app);
    server = await startServer({ current: () => ({ app, outputs }), metrics, isReady: () => true }, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  it('guards /metrics and /api/* with the admin bearer token', async () => {
    const bare = await fetch(`${server.url}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toContain('Bearer');
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0123456789abcd' } })).status).toBe(401);
    const metrics = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^wiredesk_stories \d+$/m);
    expect(text).toContain('wiredesk_fetch_duration_seconds_bucket');
    expect((await fetch(`${server.url}/api/sources`)).status).toBe(401);
    const sources = (await (await fetch(`${server.url}/api/sources`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as { sourceId: string }[];
    expect(sources.map((s) => s.sourceId)).toEqual(['wire']);
  });

  it('serves a private feed only with its token, and never lists it', async () => {
    expect((await fetch(`${server.url}/feeds/internal.rss`)).status).toBe(404);
    expect((await fetch(`${server.url}/feeds/internal.rss?token=nope`)).status).toBe(404);
    const ok = await fetch(`${server.url}/feeds/internal.rss?token=${SECRET}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain(`/feeds/internal.rss?token=${SECRET}`); // rel="self" is the address subscribers use
    const index = await (await fetch(`${server.url}/`)).text();
    const opml = await (await fetch(`${server.url}/feeds.opml`)).text();
    for (const page of [index, opml]) {
      expect(page).toContain('/feeds/public');
      expect(page).not.toContain('internal');
    }
  });

  it('answers health and readiness, and never reflects the request in errors', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok\n');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    for (const path of ['/feeds/..%2f..%2fetc%2fpasswd', '/tags/place/%3Cscript%3E.rss', '/feeds/public.exe', '/../../etc/passwd']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('not found\n');
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const post = await fetch(`${server.url}/feeds/public.rss`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
