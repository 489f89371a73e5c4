// Charsets end to end: bytes served by the fault server, fetched, then decoded by decodeFeedBytes (RFC 7303 order).
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSchema } from '../../src/config/schema.ts';
import { createFetchAgent, fetchFeed } from '../../src/fetch/index.ts';
import type { FetchAgent } from '../../src/fetch/index.ts';
import { decodeFeedBytes } from '../../src/parse/decode.ts';
import { startFaultServer } from '../helpers/fault-server.ts';
import type { FaultServer } from '../helpers/fault-server.ts';

const config = fetchSchema.parse({ timeout: '1s', max_body: 64 * 1024, allow_private_networks: ['127.0.0.1'] });

/** A one-item RSS document whose title is `title`, with an optional XML encoding declaration. */
const rss = (title: string, prologEncoding?: string) =>
  `<?xml version="1.0"${prologEncoding ? ` encoding="${prologEncoding}"` : ''}?>\n` +
  `<rss version="2.0"><channel><title>${title}</title><link>http://example.org/</link>` +
  `<description>d</description><item><title>${title}</title></item></channel></rss>\n`;

interface Case {
  name: string;
  title: string;
  bytes: (doc: (prolog?: string) => string) => Buffer;
  contentType: string;
  gzip?: boolean;
}

const encode = (text: string, encoding: string) => iconv.encode(text, encoding);

const cases: Case[] = [
  { name: 'ISO-8859-1 declared in HTTP', title: 'Café à Bogotá', contentType: 'application/rss+xml; charset=ISO-8859-1', bytes: (d) => encode(d(), 'latin1') },
  { name: 'windows-1252 declared in the XML prolog only', title: 'Smart “quotes” – €5', contentType: 'application/rss+xml', bytes: (d) => encode(d('windows-1252'), 'windows-1252') },
  { name: 'KOI8-R declared in the prolog', title: 'Новости дня', contentType: 'text/xml', bytes: (d) => encode(d('KOI8-R'), 'koi8-r') },
  { name: 'windows-1251 declared in HTTP', title: 'Москва сегодня', contentType: 'application/xml; charset=windows-1251', bytes: (d) => encode(d(), 'windows-1251') },
  { name: 'ISO-8859-2 declared in HTTP', title: 'Łódź, Kraków i Gdańsk', contentType: 'application/rss+xml; charset=iso-8859-2', bytes: (d) => encode(d(), 'iso-8859-2') },
  { name: 'Shift_JIS declared in HTTP', title: '東京のニュース', contentType: 'application/rss+xml; charset=Shift_JIS', bytes: (d) => encode(d(), 'shift_jis') },
  { name: 'GB2312 declared in the prolog', title: '北京新闻', contentType: 'application/xml', bytes: (d) => encode(d('GB2312'), 'gb2312') },
  { name: 'UTF-16LE with BOM beats a wrong HTTP charset', title: 'Ünïcödé ✓', contentType: 'application/xml; charset=iso-8859-1', bytes: (d) => Buffer.concat([Buffer.from([0xff, 0xfe]), encode(d('UTF-16'), 'utf-16le')]) },
  { name: 'UTF-8 bytes wrongly declared ISO-8859-1 in HTTP stay UTF-8', title: 'Zürich – São Paulo', contentType: 'application/rss+xml; charset=iso-8859-1', bytes: (d) => Buffer.from(d(), 'utf8') },
  { name: 'windows-1252 bytes wrongly declared UTF-8 in the prolog fall back', title: 'Crème brûlée', contentType: 'application/rss+xml', bytes: (d) => encode(d('utf-8'), 'windows-1252') },
  { name: 'missing charset everywhere, UTF-8 bytes', title: 'Über naïve façades', contentType: 'application/rss+xml', bytes: (d) => Buffer.from(d(), 'utf8') },
  { name: 'missing charset everywhere, Latin-1 bytes', title: 'Señor Muñoz', contentType: 'application/rss+xml', bytes: (d) => encode(d(), 'latin1') },
  { name: 'ISO-8859-1 body sent gzip-compressed', title: 'Città è più bella', contentType: 'application/rss+xml; charset=iso-8859-1', bytes: (d) => encode(d(), 'latin1'), gzip: true },
];

let server: FaultServer;
let agent: FetchAgent;
beforeAll(async () => {
  server = await startFaultServer();
  agent = createFetchAgent(config, { env: {} });
  cases.forEach((c, index) => {
    const raw = c.bytes((prolog) => rss(c.title, prolog));
    const body = c.gzip ? zlib.gzipSync(raw) : raw;
    server.route(`/charset/${index}`, (_req, res) => {
      res.writeHead(200, { 'content-type': c.contentType, ...(c.gzip ? { 'content-encoding': 'gzip' } : {}) }).end(body);
    });
  });
});
afterAll(async () => {
  await agent.close();
  await server.close();
});

describe('charsets: fetched bytes decode without mojibake', () => {
  it.each(cases.map((c, index) => [c.name, index] as const))('%s', async (_name, index) => {
    const c = cases[index]!;
    const result = await fetchFeed(server.url(`/charset/${index}`), { config, agent });
    expect(result.contentType).toBe(c.contentType);
    const { text } = decodeFeedBytes(result.body!, result.contentType);
    expect(text).toContain(`<title>${c.title}</title>`);
    expect(text).not.toMatch(/Ã|Â|\uFFFD/);
  });
});
