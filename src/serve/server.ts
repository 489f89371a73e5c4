// The HTTP surface: published files with validators and precompressed bodies, health, and the sources API (RFC 9110 semantics).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../app.ts';
import type { OutputFile, Outputs } from './outputs.ts';

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

/** True when the request's validators match the file (If-None-Match wins over If-Modified-Since, RFC 9110 §13.2.2). */
export function isNotModified(req: IncomingMessage, file: OutputFile): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    return inm.split(',').some((tag) => {
      const t = tag.trim();
      return t === '*' || t === file.etag || t === `W/${file.etag}`;
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

function serveFile(req: IncomingMessage, res: ServerResponse, file: OutputFile, maxAgeSeconds: number, isHead: boolean): void {
  const headers: Record<string, string> = {
    'Content-Type': file.contentType,
    ETag: file.etag,
    'Last-Modified': new Date(file.lastModified).toUTCString(),
    'Cache-Control': `public, max-age=${maxAgeSeconds}`,
    Vary: 'Accept-Encoding',
  };
  if (isNotModified(req, file)) {
    send(res, 304, headers, undefined, true);
    return;
  }
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const body = encoding === 'br' ? file.brotli() : encoding === 'gzip' ? file.gzip() : file.body;
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(body.length);
  send(res, 200, headers, body, isHead);
}

/** Starts the server on the configured host and port (port 0 picks a free one). */
export async function startServer(app: App, outputs: Outputs, options: { host?: string; port?: number } = {}): Promise<ServerHandle> {
  const maxAgeSeconds = Math.max(60, Math.round(app.config.schedule.min / 1000));
  const server = createServer(async (req, res) => {
    const isHead = req.method === 'HEAD';
    try {
      if (req.method !== 'GET' && !isHead) {
        res.setHeader('Allow', 'GET, HEAD');
        sendPlain(res, 405, 'method not allowed', false);
        return;
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/healthz') {
        sendPlain(res, 200, 'ok', isHead);
        return;
      }
      if (path === '/api/sources') {
        const statuses = await app.store.sourceStatuses();
        const body = JSON.stringify(statuses.map(({ source, ...state }) => ({ ...state, title: source.title, attribution: source.attribution })), null, 2);
        send(res, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body, isHead);
        return;
      }
      const file = await outputs.get(path === '/index.html' ? '/' : path);
      if (!file) {
        sendPlain(res, 404, 'not found', isHead);
        return;
      }
      serveFile(req, res, file, maxAgeSeconds, isHead);
    } catch (error) {
      app.logger.error({ error: (error as Error).message }, 'request failed');
      if (!res.headersSent) sendPlain(res, 500, 'internal error', isHead);
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? app.config.server.host;
  const port = options.port ?? app.config.server.port;
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
