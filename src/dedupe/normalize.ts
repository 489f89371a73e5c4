// Text normalisation for comparison: HTML to text, case, accents, number formats and wire house-style abbreviations.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Plain text of already-sanitized item HTML (ParsedItem.summary / contentHtml), for comparison only.
 * The input went through the parse stage's sanitizer, so dropping tags here is text extraction, not sanitizing.
 */
export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref[0] === '#') {
        const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[ref.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * One spelling per word where wire services and outlets differ in house style ("mln dlrs" vs
 * "million dollars", "pct" vs "percent"), so a copy in another house style still shingles alike.
 */
const SYNONYMS: Record<string, string> = {
  million: 'mln', millions: 'mln', mn: 'mln', mil: 'mln',
  billion: 'bln', billions: 'bln', bn: 'bln', bil: 'bln',
  trillion: 'trn', trillions: 'trn', tln: 'trn',
  dollar: 'dlr', dollars: 'dlr', dlrs: 'dlr', usd: 'dlr',
  cent: 'ct', cents: 'ct', cts: 'ct',
  percent: 'pct', percentage: 'pct', '%': 'pct',
  quarterly: 'qtly', quarter: 'qtr', qtrs: 'qtr',
  dividend: 'div', dividends: 'div', divs: 'div',
  shares: 'shr', share: 'shr', shrs: 'shr',
  revenue: 'revs', revenues: 'revs', rev: 'revs',
  versus: 'vs', against: 'vs',
  company: 'co', corporation: 'corp', incorporated: 'inc', limited: 'ltd',
  year: 'yr', years: 'yr', yrs: 'yr', months: 'mths', month: 'mth',
  first: '1st', second: '2nd', third: '3rd', fourth: '4th',
};

/** Words that carry little identity in a headline: dropped for headline similarity only. */
const HEADLINE_STOPWORDS = new Set(
  'a an the of in on at to for from by with and or as is are was were be been it its says said say after over into up'.split(' '),
);

/** Lowercase with accents folded; ASCII text (most wire copy) skips the costly Unicode normalisation. */
export function foldCase(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Normalised word tokens of plain text: lowercase, accents folded, `1,234.50` → `1234.5`, synonyms folded. */
export function tokenizeText(text: string): string[] {
  const folded = foldCase(text)
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    // Bond and price fractions ("7-3/4 pct", "101-1/2") are one figure, not three small numbers.
    .replace(/\b(?:(\d+)[- ])?(\d{1,2})\/(2|4|8|16|32|64)\b/g, (_m, whole: string | undefined, num: string, den: string) => ` ${Number(whole ?? 0) + Number(num) / Number(den)} `)
    .replace(/%/g, ' % ');
  const tokens: string[] = [];
  for (const raw of folded.split(/[^a-z0-9.%]+/)) {
    let token = raw.replace(/^\.+|\.+$/g, '');
    if (!token) continue;
    if (/^\d+(\.\d+)?$/.test(token)) token = String(Number(token));
    else token = token.replace(/\./g, '');
    if (!token) continue;
    tokens.push(SYNONYMS[token] ?? token);
  }
  return tokens;
}

/** Content words of a headline, for headline similarity and headline keys. */
export function tokenizeHeadline(title: string): string[] {
  return tokenizeText(title.replace(/<[^>]*>/g, (ticker) => ` ${ticker.slice(1, -1)} `)).filter((t) => !HEADLINE_STOPWORDS.has(t));
}

/** Jaccard similarity of two headlines' content-word sets (0 when either is empty). */
export function compareHeadlines(a: string, b: string): number {
  const setA = new Set(tokenizeHeadline(a));
  const setB = new Set(tokenizeHeadline(b));
  if (setA.size === 0 || setB.size === 0) return 0;
  let shared = 0;
  for (const token of setA) if (setB.has(token)) shared++;
  return shared / (setA.size + setB.size - shared);
}

/** Whether a token is a number (after tokenizeText). */
export function isNumberToken(token: string): boolean {
  return /^\d+(\.\d+)?$/.test(token);
}
