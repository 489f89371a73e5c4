// Charset decoding: BOM, HTTP charset, XML prolog, sniffing, and wrong labels that must not produce mojibake.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, parseFeed } from '../../src/parse/index.ts';

const doc = (title: string, encoding?: string): string =>
  `${encoding ? `<?xml version="1.0" encoding="${encoding}"?>` : ''}<rss version="2.0"><channel><title>${title}</title></channel></rss>`;
const encode = (text: string, encoding: string): Uint8Array => new Uint8Array(iconv.encode(text, encoding));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

describe('decodeFeedBytes', () => {
  const title = 'Café Zürich – “quoted”';
  const cases: Array<{ name: string; bytes: Uint8Array; contentType?: string; encoding: string; contains: string }> = [
    { name: 'UTF-8 without declaration', bytes: encode(doc(title), 'utf-8'), encoding: 'utf-8', contains: title },
    { name: 'UTF-8 BOM wins over a wrong prolog', bytes: concat(new Uint8Array([0xef, 0xbb, 0xbf]), encode(doc(title, 'iso-8859-1'), 'utf-8')), encoding: 'utf-8', contains: title },
    { name: 'UTF-16LE BOM', bytes: encode(`\uFEFF${doc(title, 'utf-16')}`, 'utf-16le'), encoding: 'utf-16le', contains: title },
    { name: 'UTF-16BE sniffed without BOM', bytes: encode(doc(title, 'utf-16'), 'utf-16be'), encoding: 'utf-16be', contains: title },
    { name: 'prolog windows-1252', bytes: encode(doc(title, 'windows-1252'), 'windows-1252'), encoding: 'windows-1252', contains: title },
    { name: 'prolog iso-8859-1 with cp1252 quotes decodes them (WHATWG)', bytes: encode(doc(title, 'iso-8859-1'), 'windows-1252'), encoding: 'iso-8859-1', contains: title },
    { name: 'prolog koi8-r', bytes: encode(doc('Новости', 'koi8-r'), 'koi8-r'), encoding: 'koi8-r', contains: 'Новости' },
    { name: 'HTTP charset overrides the prolog (RFC 7303 §3.2)', bytes: encode(doc('Новости', 'koi8-r'), 'windows-1251'), contentType: 'application/rss+xml; charset=windows-1251', encoding: 'windows-1251', contains: 'Новости' },
    { name: 'quoted HTTP charset', bytes: encode(doc('Ελλάδα'), 'iso-8859-7'), contentType: 'text/xml; charset="ISO-8859-7"', encoding: 'iso-8859-7', contains: 'Ελλάδα' },
    { name: 'declared UTF-8 but invalid UTF-8 falls back to windows-1252', bytes: encode(doc(title, 'utf-8'), 'windows-1252'), encoding: 'windows-1252', contains: title },
    { name: 'HTTP charset utf-8 but invalid UTF-8 falls back to windows-1252', bytes: encode(doc(title), 'windows-1252'), contentType: 'text/xml; charset=utf-8', encoding: 'windows-1252', contains: title },
    { name: 'declared iso-8859-1 but valid UTF-8 reads as UTF-8', bytes: encode(doc(title, 'iso-8859-1'), 'utf-8'), encoding: 'utf-8', contains: title },
    { name: 'unknown label falls back to UTF-8', bytes: encode(doc(title, 'x-bogus-charset'), 'utf-8'), encoding: 'utf-8', contains: title },
    { name: 'gb2312 decodes as its superset gb18030', bytes: encode(doc('新闻', 'gb2312'), 'gb18030'), encoding: 'gb18030', contains: '新闻' },
    { name: 'Shift_JIS', bytes: encode(doc('ニュース', 'shift_jis'), 'shift_jis'), encoding: 'shift_jis', contains: 'ニュース' },
  ];
  for (const { name, bytes, contentType, encoding, contains } of cases) {
    it(name, () => {
      const result = decodeFeedBytes(bytes, contentType);
      expect(result.encoding).toBe(encoding);
      expect(result.text).toContain(contains);
      expect(result.text.startsWith('\uFEFF')).toBe(false);
    });
  }

  it('parseFeed decodes bytes with the Content-Type it is given', () => {
    const feed = parseFeed(encode(doc('Новости'), 'windows-1251'), { contentType: 'application/xml; charset=windows-1251' });
    expect(feed.title).toBe('Новости');
  });
});

describe('a wrong HTTP charset on bytes that are not UTF-8', () => {
  it('falls back to the XML prolog before windows-1252 (KOI8-R served as charset=utf-8)', () => {
    const text = '<?xml version="1.0" encoding="koi8-r"?><rss><channel><title>Новости</title></channel></rss>';
    const bytes = new Uint8Array(iconv.encode(text, 'koi8-r'));
    const decoded = decodeFeedBytes(bytes, 'application/rss+xml; charset=utf-8');
    expect(decoded.encoding).toBe('koi8-r');
    expect(decoded.text).toContain('Новости');
  });
});
