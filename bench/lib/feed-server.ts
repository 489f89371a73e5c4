// A local feed server for the fetch-cycle and memory benchmarks, run as its own process so that it does not share
// the measured client's event loop. `POST /bump` adds one new item to every feed (a new ETag); unchanged feeds answer
// 304 to a matching If-None-Match (RFC 9110 §13.1.2). Usage: tsx bench/lib/feed-server.ts FEEDS ITEMS SEED
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRandom } from './stats.ts';
import { generateStory, renderRssDocument, type CorpusItem } from './corpus.ts';

const feeds = Number(process.argv[2] ?? 1000);
const perFeed = Number(process.argv[3] ?? 10);
const random = createRandom(Number(process.argv[4] ?? 1));
const base = new Date();
let version = 0;
let served = { ok: 0, notModified: 0 };

function itemOf(feed: number, k: number): CorpusItem {
  const story = generateStory(random, feed * 1000 + k, base);
  const link = `https://site-${feed}.example/news/${k}`;
  return {
    guid: `site-${feed}-${k}`, title: `${story.title} (${feed}.${k})`, link, published: new Date(base.getTime() + k * 60_000),
    html: story.paragraphs.map((p) => `<p>${p}</p>`).join('\n'), categories: [story.topic], author: `Desk ${feed}`, story, kind: 'original',
  };
}

const items: CorpusItem[][] = Array.from({ length: feeds }, (_, f) => Array.from({ length: perFeed }, (_, k) => itemOf(f, k)));
const cache = new Map<number, { version: number; body: Buffer; etag: string }>();

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/bump') {
    version++;
    for (let f = 0; f < feeds; f++) (items[f] as CorpusItem[]).unshift(itemOf(f, perFeed + version));
    res.end(JSON.stringify({ version }));
    return;
  }
  if (req.url === '/stats') {
    res.end(JSON.stringify(served));
    served = { ok: 0, notModified: 0 };
    return;
  }
  const match = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
  const feed = match ? Number(match[1]) : -1;
  if (feed < 0 || feed >= feeds) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  let doc = cache.get(feed);
  if (!doc || doc.version !== version) {
    const body = Buffer.from(renderRssDocument(`Site ${feed}`, (items[feed] as CorpusItem[]).slice(0, perFeed)));
    doc = { version, body, etag: `"f${feed}-v${version}"` };
    cache.set(feed, doc);
  }
  if (req.headers['if-none-match'] === doc.etag) {
    served.notModified++;
    res.writeHead(304, { ETag: doc.etag });
    res.end();
    return;
  }
  served.ok++;
  res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: doc.etag, 'Content-Length': doc.body.length });
  res.end(doc.body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
