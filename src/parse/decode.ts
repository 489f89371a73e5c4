// Bytes to text for XML and JSON feeds: BOM, then HTTP charset, then the XML prolog, then sniffing (RFC 7303 §3, XML 1.0 Appendix F).
import iconv from 'iconv-lite';

/** Encodings whose bytes 0x00-0x7F are ASCII: the ones a wrong label can be caught in by checking for valid UTF-8. */
const SINGLE_BYTE_LATIN = new Set(['iso-8859-1', 'latin1', 'windows-1252', 'us-ascii', 'ascii', 'iso-8859-15', 'cp1252']);

/** Labels that name a subset of a wider encoding we decode with instead (as browsers and feedparser do). */
const WIDER_ENCODING: Record<string, string> = {
  'gb2312': 'gb18030',
  'gbk': 'gb18030',
  'iso-8859-1': 'windows-1252',
  'latin1': 'windows-1252',
  'us-ascii': 'windows-1252',
  'ascii': 'windows-1252',
};

/** Reads the charset parameter of a Content-Type header value, if any. */
export function readCharset(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

/** Finds a byte-order mark: [encoding, BOM length]. UTF-32 is checked before UTF-16 because FF FE 00 00 starts both. */
function detectBom(bytes: Uint8Array): [string, number] | undefined {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return ['utf-32be', 4];
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return ['utf-32le', 4];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return ['utf-8', 3];
  if (b0 === 0xfe && b1 === 0xff) return ['utf-16be', 2];
  if (b0 === 0xff && b1 === 0xfe) return ['utf-16le', 2];
  return undefined;
}

/** Sniffs "<?" or "<" in UTF-16/32 without a BOM (XML 1.0 Appendix F.1). */
function sniffWideEncoding(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return 'utf-32be';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return 'utf-32le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && b2 !== 0x00) return 'utf-16le';
  return undefined;
}

/** Reads `encoding="..."` from an ASCII-compatible XML declaration in the first 1 KB. */
function readPrologEncoding(bytes: Uint8Array, start: number): string | undefined {
  const head = Buffer.from(bytes.subarray(start, start + 1024)).toString('latin1');
  const decl = /<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/i.exec(head);
  return decl?.[1]?.toLowerCase();
}

/** True when the bytes are valid UTF-8 (fatal decoder). */
function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** True when any byte is outside ASCII. */
function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) return true;
  return false;
}

/** Decodes with iconv-lite, mapping subset labels to their wider encoding. */
function decodeWith(bytes: Uint8Array, encoding: string): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), WIDER_ENCODING[encoding] ?? encoding);
}

/**
 * Decodes a feed document. The returned `encoding` is the label that was used (lowercase), e.g. "utf-8", "windows-1252".
 * A label that disagrees with unambiguous bytes loses: a UTF-8 label on invalid UTF-8 falls back to windows-1252, and a
 * Latin-1-family label on bytes that are valid UTF-8 with non-ASCII sequences decodes as UTF-8 (mislabelled feeds are
 * common; valid multibyte UTF-8 sequences are improbable in real Latin-1 text).
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): { text: string; encoding: string } {
  const bom = detectBom(bytes);
  if (bom) {
    const [encoding, length] = bom;
    return { text: decodeWith(bytes.subarray(length), encoding), encoding };
  }
  const wide = sniffWideEncoding(bytes);
  if (wide) return { text: decodeWith(bytes, wide), encoding: wide };

  let label = readCharset(contentType) ?? readPrologEncoding(bytes, 0);
  if (label === 'utf8') label = 'utf-8';
  // A wide encoding cannot be declared in ASCII-compatible bytes; UTF-16 without BOM was sniffed above.
  if (label && /^(utf-?16|utf-?32|ucs-?2|ucs-?4)/.test(label)) label = undefined;
  if (label && label !== 'utf-8' && !iconv.encodingExists(WIDER_ENCODING[label] ?? label)) label = undefined;

  if (!label || label === 'utf-8') {
    if (isValidUtf8(bytes)) return { text: decodeWith(bytes, 'utf-8'), encoding: 'utf-8' };
    // the bytes are not UTF-8 whatever the HTTP header says: the document's own prolog is the next witness
    // (a KOI8-R feed served as charset=utf-8), then windows-1252, the usual unlabelled legacy encoding
    let prolog = readPrologEncoding(bytes, 0);
    if (prolog === 'utf8') prolog = 'utf-8';
    if (prolog && prolog !== 'utf-8' && !/^(utf-?16|utf-?32|ucs-?2|ucs-?4)/.test(prolog) && iconv.encodingExists(WIDER_ENCODING[prolog] ?? prolog)) {
      return { text: decodeWith(bytes, prolog), encoding: WIDER_ENCODING[prolog] === 'gb18030' ? 'gb18030' : prolog };
    }
    return { text: decodeWith(bytes, 'windows-1252'), encoding: 'windows-1252' };
  }
  if (SINGLE_BYTE_LATIN.has(label) && hasHighBytes(bytes) && isValidUtf8(bytes)) {
    return { text: decodeWith(bytes, 'utf-8'), encoding: 'utf-8' };
  }
  const used = WIDER_ENCODING[label] === 'gb18030' ? 'gb18030' : label;
  return { text: decodeWith(bytes, label), encoding: used };
}
