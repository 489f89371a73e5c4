// Feed dates to ISO 8601 UTC instants: RFC 822/1123 and variants, RFC 3339/ISO 8601/W3C-DTF, asctime, and feedparser's broken forms.

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  // Localised abbreviations that non-English publishers put in RSS dates (German, French, Spanish, Italian, Portuguese, Dutch).
  jän: 1, mär: 3, mrz: 3, mai: 5, okt: 10, dez: 12, janv: 1, févr: 2, fév: 2, mars: 3, avr: 4, juin: 6, juil: 7, août: 8,
  déc: 12, ene: 1, abr: 4, ago: 8, dic: 12, gen: 1, mag: 5, giu: 6, lug: 7, set: 9, ott: 10, fev: 2, out: 10, mei: 5,
};

/** RFC 822 §5.1 zones plus common North American and European abbreviations (offset in minutes). */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  ast: -240, adt: -180, akst: -540, akdt: -480, hst: -600, bst: 60, ist: 330, cet: 60, cest: 120, met: 60, mest: 120,
  eet: 120, eest: 180, wet: 0, west: 60, jst: 540, kst: 540, aest: 600, aedt: 660, acst: 570, awst: 480, nzst: 720, nzdt: 780,
  msk: 180,
};

/** Offset in minutes of a zone written "+0500", "-05:00", "+5", "GMT+2", "EST", or a military letter; undefined if unknown. */
function readZone(zone: string | undefined): number | undefined {
  if (!zone) return 0; // RFC 3339 §4.3 "unknown local offset" and feedparser both read a missing zone as UTC.
  const z = zone.trim().toLowerCase().replace(/^\((.*)\)$/, '$1');
  if (z === '') return 0;
  const named = ZONES[z];
  if (named !== undefined) return named;
  const numeric = /^(?:gmt|utc|ut)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (numeric) {
    const sign = numeric[1] === '-' ? -1 : 1;
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? 0);
    return hours > 14 || minutes > 59 ? undefined : sign * (hours * 60 + minutes);
  }
  if (/^[a-ik-z]$/.test(z)) return 0; // RFC 1123 §5.2.14: military zones are unreliable; treat as UTC.
  return undefined;
}

/** Builds the instant from parts, checking ranges (Date.UTC would roll Feb 30 into March). */
function toInstant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  const time = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d || Number.isNaN(time)) return undefined;
  return new Date(time - offset * 60_000).toISOString();
}

function fixYear(year: string): number {
  const y = Number(year);
  if (year.length === 2) return y < 50 ? 2000 + y : 1900 + y; // RFC 2822 §4.3 obsolete two-digit years
  if (year.length === 3) return 1900 + y;
  return y;
}

/** ISO 8601 / RFC 3339 / W3C-DTF, including dates without time, compact forms, a space instead of "T", and week-free reduced precision. */
function parseIso(s: string): string | undefined {
  const m = /^(\d{4})(?:[-/]?(\d{2})(?:[-/]?(\d{2}))?)?(?:[T\s]+(\d{1,2})(?::?(\d{2}))?(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5})?$/i.exec(s);
  if (!m) return undefined;
  const offset = readZone(m[8]);
  if (offset === undefined) return undefined;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return toInstant(Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Math.min(ms, 999), offset);
}

/** RFC 822 / RFC 1123 and variants: optional weekday, month names in full, "." separators, missing seconds or zone, 2-digit years. */
function parseRfc822(s: string): string | undefined {
  const cleaned = s
    .replace(/\s*\([^)]*\)$/, '') // a trailing comment: "+0000 (UTC)"
    .replace(/^\p{L}+\.?,?\s*/u, (w) => (MONTHS[w.replace(/[.,\s]/g, '').toLowerCase()] ? w : ''))
    .replace(/,/g, ' ');
  const m = /^(\d{1,2})[\s.-]*(\p{L}+)\.?[\s.-]*(\d{2,4})(?:\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\.\d+)?)?\s*(.*)$/iu.exec(cleaned.trim());
  if (m) {
    const month = MONTHS[(m[2] as string).toLowerCase()];
    const offset = readZone(m[7]);
    if (!month || offset === undefined) return undefined;
    return toInstant(fixYear(m[3] as string), month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0, offset);
  }
  // Month first: "January 5, 2004 10:00 PM EST", asctime "Jan  4 16:29:06 2004" (weekday already removed).
  const a = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s+(?:(\d{4})\s+)?(?:(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?\s*)?(\d{4})?\s*(.*)$/i.exec(cleaned.trim());
  if (a) {
    const month = MONTHS[(a[1] as string).toLowerCase()];
    const year = a[3] ?? a[8];
    const offset = readZone(a[9]);
    if (!month || !year || offset === undefined) return undefined;
    let hour = Number(a[4] ?? 0);
    if (a[7]?.toLowerCase() === 'pm' && hour < 12) hour += 12;
    if (a[7]?.toLowerCase() === 'am' && hour === 12) hour = 0;
    return toInstant(Number(year), month, Number(a[2]), hour, Number(a[5] ?? 0), Number(a[6] ?? 0), 0, offset);
  }
  return undefined;
}

/**
 * Parses a feed date to an ISO 8601 UTC string (`2026-11-23T16:40:00.000Z`), or undefined when it cannot be read
 * (the pipeline then falls back to the first-seen time). A missing zone is read as UTC.
 */
export function parseDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const s = value.replace(/\s+/g, ' ').trim();
  if (s === '' || s.length > 80) return undefined;
  return parseIso(s) ?? parseIso(s.replace(/^\p{L}+\.?,?\s+/u, '')) ?? parseRfc822(s);
}
