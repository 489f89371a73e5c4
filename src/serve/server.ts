// The HTTP surface: published files with validators and precompressed bodies, health, and the sources API (RFC 9110 semantics).
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../app.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { OutputFile, Outputs } from './outputs.ts';

/** What the server serves from; `current()` is read per request so a config reload swaps it in place. */
export interface ServerContext {
  current(): { app: App; outputs: Outputs };
  metrics?: Metrics;
  /** Readiness beyond an open database (the daemon: its scheduler is running). */
  isReady?(): boolean;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src * data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

export interface ServerHandle {
  server: Server;
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer | string, isHead = false): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  res.end(isHead ? undefined : body);
}

/** Plain-text errors that never echo the request (no reflected input). */
function sendPlain(res: ServerResponse, status: number, text: string, isHead: boolean): void {
  send(res, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, `${text}\n`, isHead);
}

/** A strong ETag per representation: the gzip and br bodies are other byte sequences (RFC 9110 §8.8.3). */
export function etagFor(file: OutputFile, encoding: 'br' | 'gzip' | undefined): string {
  return encoding ? `${file.etag.slice(0, -1)}-${encoding}"` : file.etag;
}

/**
 * True when the request's validators match the file (If-None-Match wins over If-Modified-Since, RFC 9110 §13.2.2).
 * If-None-Match uses the weak comparison, so a tag of any coding of the same content matches.
 */
export function isNotModified(req: IncomingMessage, file: OutputFile): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const stem = file.etag.slice(1, -1);
    return inm.split(',').some((tag) => {
      const t = tag.trim().replace(/^W\//, '');
      return t === '*' || t === file.etag || t === `"${stem}-gzip"` || t === `"${stem}-br"`;
    });
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  const modified = Math.floor(Date.parse(file.lastModified) / 1000) * 1000;
  return Number.isFinite(since) && modified <= since;
}

/** Picks br or gzip from Accept-Encoding (q=0 refuses). */
function chooseEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/**
 * RSS and Atom reference /feed.xsl, and browsers check an XSLT stylesheet against script-src: allow our own
 * origin's scripts on those responses only (the only script there is is the stylesheet).
 */
const XSL_CSP = `${SECURITY_HEADERS['Content-Security-Policy']}; script-src 'self'`;

function serveFile(req: IncomingMessage, res: ServerResponse, file: OutputFile, maxAgeSeconds: number, isHead: boolean): void {
  const isStyledXml = file.contentType.startsWith('application/rss+xml') || file.contentType.startsWith('application/atom+xml');
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const headers: Record<string, string> = {
    ...(isStyledXml ? { 'Content-Security-Policy': XSL_CSP } : {}),
    'Content-Type': file.contentType,
    ETag: etagFor(file, encoding),
    'Last-Modified': new Date(file.lastModified).toUTCString(),
    'Cache-Control': `public, max-age=${maxAgeSeconds}`,
    Vary: 'Accept-Encoding',
  };
  if (isNotModified(req, file)) {
    send(res, 304, headers, undefined, true);
    return;
  }
  const body = encoding === 'br' ? file.brotli() : encoding === 'gzip' ? file.gzip() : file.body;
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(body.length);
  send(res, 200, headers, body, isHead);
}

/** Compares secrets in constant time. */
export function isSameSecret(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `/metrics` and `/api/*` need `Authorization: Bearer <server.admin_token>` when a token is configured. */
function isAdminAllowed(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return isSameSecret(match?.[1]?.trim(), token);
}

/** Starts the server on the configured host and port (port 0 picks a free one). */
export async function startServer(context: ServerContext, options: { host?: string; port?: number } = {}): Promise<ServerHandle> {
  const server = createServer(async (req, res) => {
    const isHead = req.method === 'HEAD';
    const { app, outputs } = context.current();
    try {
      if (req.method !== 'GET' && !isHead) {
        res.setHeader('Allow', 'GET, HEAD');
        sendPlain(res, 405, 'method not allowed', false);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (path === '/healthz') {
        sendPlain(res, 200, 'ok', isHead);
        return;
      }
      if (path === '/readyz') {
        const ready = (await app.store.schemaVersion().then(() => true, () => false)) && (context.isReady?.() ?? true);
        sendPlain(res, ready ? 200 : 503, ready ? 'ready' : 'not ready', isHead);
        return;
      }
      if (path === '/metrics' || path.startsWith('/api/')) {
        if (!isAdminAllowed(req, app.config.server.admin_token)) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="wiredesk"');
          sendPlain(res, 401, 'unauthorized', isHead);
          return;
        }
        if (path === '/metrics' && context.metrics) {
          send(res, 200, { 'Content-Type': context.metrics.contentType, 'Cache-Control': 'no-store' }, await context.metrics.render(), isHead);
          return;
        }
        if (path === '/api/sources') {
          const statuses = await app.store.sourceStatuses();
          const body = JSON.stringify(statuses.map(({ source, ...state }) => ({ ...state, title: source.title, attribution: source.attribution })), null, 2);
          send(res, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body, isHead);
          return;
        }
      }
      const outputPath = path === '/index.html' ? '/' : path;
      const token = outputs.tokenFor(outputPath);
      if (token !== undefined && !isSameSecret(url.searchParams.get('token'), token)) {
        sendPlain(res, 404, 'not found', isHead); // a private feed does not admit it exists without its token
        return;
      }
      const file = await outputs.get(outputPath);
      if (!file) {
        sendPlain(res, 404, 'not found', isHead);
        return;
      }
      const maxAgeSeconds = Math.max(60, Math.round(app.config.schedule.min / 1000));
      serveFile(req, res, file, maxAgeSeconds, isHead);
    } catch (error) {
      app.logger.error({ error: (error as Error).message }, 'request failed');
      if (!res.headersSent) sendPlain(res, 500, 'internal error', isHead);
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 5000;
  const { config } = context.current().app;
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
