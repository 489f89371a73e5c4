// A fault-injection HTTP server on 127.0.0.1 (port 0) for fetch tests: slow, silent, lying, bombing and redirecting.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';

export type Handler = (req: IncomingMessage, res: ServerResponse, server: FaultServer) => void;

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface FaultServer {
  origin: string;
  port: number;
  url(path: string): string;
  requests: RecordedRequest[];
  /** Adds or replaces a route for one exact path (query string ignored). */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export const SAMPLE_RSS =
  '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Fault wire</title>' +
  '<link>http://example.org/</link><description>test</description>' +
  '<item><title>Story one</title><link>http://example.org/1</link><guid>1</guid></item></channel></rss>\n';

/** Sends `SAMPLE_RSS` with validators, answering 304 when the request's validators match (RFC 9110 §13.1). */
const sendFeed: Handler = (req, res) => {
  const etag = '"v1"';
  const lastModified = 'Tue, 24 Nov 2026 10:00:00 GMT';
  if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === lastModified) {
    res.writeHead(304, { etag, 'last-modified': lastModified }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'last-modified': lastModified });
  res.end(SAMPLE_RSS);
};

const redirectTo = (status: number, location: string): Handler => (_req, res) => {
  res.writeHead(status, { location }).end();
};

/** Streams `chunk` forever, honouring back-pressure, until the client goes away. */
const sendEndless = (chunk: Buffer, headers: http.OutgoingHttpHeaders): Handler => (_req, res) => {
  res.writeHead(200, headers);
  const pump = () => {
    while (!res.destroyed && res.write(chunk)) {
      /* keep writing until the socket buffer is full */
    }
  };
  res.on('drain', pump);
  pump();
};

const bombs: { gzip?: Buffer; br?: Buffer } = {};
export const BOMB_SIZE = 32 * 1024 * 1024;
/** 32 MiB of zeros, gzip-compressed once per process (32 KiB on the wire, about 150 ms to build). */
function gzipBomb(): Buffer {
  return (bombs.gzip ??= zlib.gzipSync(Buffer.alloc(BOMB_SIZE), { level: 9 }));
}
/** The same zeros, brotli-compressed at the fastest quality (6 KiB on the wire). */
function brotliBomb(): Buffer {
  const quality = { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 };
  return (bombs.br ??= zlib.brotliCompressSync(Buffer.alloc(BOMB_SIZE), { params: quality }));
}

function builtinRoutes(): Map<string, Handler> {
  const routes = new Map<string, Handler>();
  routes.set('/feed', sendFeed);
  for (const status of [301, 302, 303, 307, 308]) routes.set(`/redirect/${status}`, redirectTo(status, '/feed'));
  routes.set('/chain/start', redirectTo(301, '/chain/middle'));
  routes.set('/chain/middle', redirectTo(302, '/feed'));
  routes.set('/loop/a', redirectTo(302, '/loop/b'));
  routes.set('/loop/b', redirectTo(302, '/loop/a'));
  for (let i = 0; i < 10; i++) routes.set(`/hops/${i}`, redirectTo(302, `/hops/${i + 1}`));
  routes.set('/hops/10', sendFeed);
  routes.set('/redirect/file', redirectTo(302, 'file:///etc/passwd'));
  routes.set('/redirect/loopback', (_req, res, server) => redirectTo(302, `http://127.0.0.2:${server.port}/feed`)(_req, res, server));
  routes.set('/redirect/hex-loopback', (_req, res, server) => redirectTo(302, `http://0x7f000002:${server.port}/feed`)(_req, res, server));
  routes.set('/gone', (_req, res) => res.writeHead(410).end('gone'));
  routes.set('/status/429', (req, res) => {
    const retry = new URL(req.url ?? '/', 'http://x').searchParams.get('retry') ?? '120';
    res.writeHead(429, { 'retry-after': retry }).end('slow down');
  });
  routes.set('/status/503-date', (_req, res) => {
    res.writeHead(503, { 'retry-after': new Date(Date.now() + 90_000).toUTCString() }).end();
  });
  routes.set('/status/500', (_req, res) => res.writeHead(500).end('boom'));
  routes.set('/cache', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'public, max-age=3600' }).end(SAMPLE_RSS);
  });
  routes.set('/expires', (_req, res) => {
    const now = Date.now();
    res.writeHead(200, {
      'content-type': 'application/rss+xml',
      date: new Date(now).toUTCString(),
      expires: new Date(now + 7_200_000).toUTCString(),
    }).end(SAMPLE_RSS);
  });
  routes.set('/drip', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('<')), 200);
    res.on('close', () => clearInterval(timer));
  });
  routes.set('/hang', () => {
    /* accept, read the request, never answer */
  });
  routes.set('/lying-length', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '2000' });
    res.write(SAMPLE_RSS);
    // Close the socket after far fewer bytes than announced.
    setTimeout(() => req.socket.destroy(), 20);
  });
  routes.set('/huge-length', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(10 * 1024 ** 3) });
    res.write(SAMPLE_RSS);
  });
  routes.set('/gzip-bomb', (_req, res) => {
    const bomb = gzipBomb();
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip', 'content-length': bomb.length });
    res.end(bomb);
  });
  routes.set('/brotli-bomb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' }).end(brotliBomb());
  });
  routes.set('/gzip', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(zlib.gzipSync(SAMPLE_RSS));
  });
  routes.set('/brotli', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' }).end(zlib.brotliCompressSync(SAMPLE_RSS));
  });
  routes.set('/deflate', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'deflate' }).end(zlib.deflateSync(SAMPLE_RSS));
  });
  routes.set('/deflate-raw', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'deflate' }).end(zlib.deflateRawSync(SAMPLE_RSS));
  });
  routes.set('/corrupt-gzip', (_req, res) => {
    const good = zlib.gzipSync(SAMPLE_RSS);
    good.fill(0x55, 10, 30); // scribble over the deflate stream
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(good);
  });
  routes.set('/unknown-encoding', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'compress' }).end('x');
  });
  routes.set('/endless', sendEndless(Buffer.alloc(64 * 1024, 0x61), { 'content-type': 'application/rss+xml' }));
  routes.set('/empty', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '0' }).end());
  routes.set('/echo-headers', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.headers));
  });
  return routes;
}

/** Starts the server on 127.0.0.1, port 0. Unknown paths answer 404. */
export async function startFaultServer(): Promise<FaultServer> {
  // Build the bombs before any test measures memory.
  gzipBomb();
  brotliBomb();
  const routes = builtinRoutes();
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  let self: FaultServer | undefined;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, headers: req.headers });
    const handler = routes.get(path);
    if (!handler || !self) return void res.writeHead(404).end('not found');
    handler(req, res, self);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fault server has no port');
  const origin = `http://127.0.0.1:${address.port}`;
  self = {
    origin,
    port: address.port,
    url: (path) => origin + path,
    requests,
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return self;
}
