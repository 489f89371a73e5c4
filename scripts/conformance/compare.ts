// Comparison helpers for the conformance runner: text as text, dates as instants, and the active-content check.
import { htmlToText } from '../../src/parse/index.ts';

/** One row of the conformance table. */
export interface Row {
  corpus: string;
  suite: string;
  measure: string;
  passed: number;
  total: number;
}

/** A failed expectation, printed under the table. */
export interface Miss {
  row: string;
  file: string;
  detail: string;
}

export const rowId = (row: Pick<Row, 'corpus' | 'suite' | 'measure'>): string => `${row.corpus}/${row.suite} ${row.measure}`;

/** Text comparison of the issue: tags stripped, entities decoded, whitespace collapsed. */
export function sameText(expected: unknown, actual: string | undefined): boolean {
  if (typeof expected !== 'string') return false;
  return htmlToText(expected) === htmlToText(actual ?? '');
}

/** Plain-text fields (titles, authors) are already text: only the expected side is HTML to strip. */
export function samePlainText(expected: unknown, actual: string | undefined): boolean {
  if (typeof expected !== 'string') return false;
  return htmlToText(expected) === (actual ?? '').replace(/\s+/g, ' ').trim();
}

/** A feedparser time.struct_time (9-list) or date string, as epoch milliseconds. */
export function readInstant(value: unknown): number | undefined {
  if (Array.isArray(value) && value.length === 9) {
    const [y, mo, d, h, mi, s] = value as number[];
    return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  }
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** Same instant, to the second. */
export function sameInstant(expected: unknown, ...actual: Array<string | undefined>): boolean {
  const want = readInstant(expected);
  if (want === undefined) return false;
  return actual.some((a) => a !== undefined && Math.floor(Date.parse(a) / 1000) === Math.floor(want / 1000));
}

/** Active content that must never leave the sanitizer: executable tags, event handlers, style, dangerous URL schemes. */
const ACTIVE_PATTERNS: RegExp[] = [
  /<\s*(?:script|style|iframe|object|embed|applet|form|input|button|svg|math|base|meta|link|frame|frameset|layer|ilayer|bgsound|xml|import)\b/i,
  /<[^>]+\son[a-z]+\s*=/i,
  /<[^>]+\sstyle\s*=/i,
  /<[^>]+\s(?:href|src|srcset|poster|action|formaction|background|dynsrc|lowsrc|xlink:href|data)\s*=\s*["']?\s*(?:javascript|vbscript|data|livescript|mocha):/i,
];

/** Names the first kind of active content found in sanitized HTML, or undefined when it is clean. */
export function findActiveContent(html: string | undefined): string | undefined {
  if (!html) return undefined;
  for (const pattern of ACTIVE_PATTERNS) {
    const match = pattern.exec(html);
    if (match) return match[0].slice(0, 60);
  }
  return undefined;
}

/** Text that decoded with the wrong charset: UTF-8 read as Latin-1/1252, or replacement characters. */
export function hasMojibake(text: string | undefined): boolean {
  return !!text && /Ã[\u0080-\u00BF]|Ã[©¨§¶¼½¤¥ª«°±³´µ¹º]|â€[\u0080-\u00BF™œ¦“”˜]|\uFFFD/.test(text);
}
