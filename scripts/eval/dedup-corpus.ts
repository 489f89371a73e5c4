// Builds the republication corpus for the dedup evaluation: Reuters-21578 stories as a wire, their refiles and outlet copies.
import type { ParsedItem } from '../../src/model/item.ts';
import type { Random } from './random.ts';

export interface ReutersRow {
  newid: number;
  date: string;
  title: string;
  dateline: string;
  body: string;
}

export interface EvalSource {
  id: string;
  attribution: string;
  host: string;
}

export const WIRE: EvalSource = { id: 'reuters-wire', attribution: 'Reuters', host: 'www.reuters.com' };
export const OUTLETS: EvalSource[] = [
  { id: 'daily-ledger', attribution: 'The Daily Ledger', host: 'www.dailyledger.example' },
  { id: 'market-post', attribution: 'Market Post', host: 'marketpost.example' },
  { id: 'city-herald', attribution: 'City Herald', host: 'www.cityherald.example' },
];

export type Kind =
  | 'original' | 'refile-update' | 'refile-update-same-guid-stem' | 'correction'
  | 'copy-trimmed' | 'copy-lead-rewritten' | 'copy-house-style' | 'copy-headline-edited'
  | 'copy-tracking-link' | 'copy-amp-link' | 'copy-all-edits' | 'copy-headline-only';

export interface EvalItem {
  source: EvalSource;
  item: ParsedItem;
  /** Ground-truth group: the original's newid. */
  group: number;
  kind: Kind;
}

const HOUSE_STYLE: Array<[RegExp, string]> = [
  [/\bmln\b/gi, 'million'], [/\bbln\b/gi, 'billion'], [/\bdlrs\b/gi, 'dollars'], [/\bdlr\b/gi, 'dollar'],
  [/\bpct\b/gi, 'percent'], [/\bcts\b/gi, 'cents'], [/\bshr\b/gi, 'share'], [/\bqtly\b/gi, 'quarterly'], [/\brevs\b/gi, 'revenues'],
];

const REWRITE_WORDS: Record<string, string> = {
  said: 'says', company: 'firm', increase: 'rise', increased: 'rose', decrease: 'fall', decreased: 'fell', expects: 'anticipates',
  announced: 'unveiled', agreed: 'consented', plans: 'intends', will: 'would', sharply: 'steeply', government: 'administration',
  acquire: 'buy', acquired: 'bought', purchase: 'buy', told: 'informed', reported: 'posted', statement: 'release', also: 'additionally',
};

const HEADLINE_WORDS: Record<string, string> = {
  sets: 'declares', says: 'reports', raises: 'lifts', cuts: 'lowers', buys: 'acquires', sees: 'expects', up: 'higher', down: 'lower',
  rise: 'climb', fall: 'drop', plans: 'to', net: 'earnings', qtr: 'quarter', unit: 'subsidiary', to: 'will',
};

/** Paragraphs of a 1987 Reuters body: lines that start with a space open a paragraph; the "Reuter" sign-off is dropped. */
export function splitParagraphs(body: string): string[] {
  return body
    .replace(/\s*\bReuter\s*$/, '')
    .split(/\n (?=\S)/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

const toHtml = (paragraphs: string[]) => paragraphs.map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`).join('\n');
const slugify = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'story';
const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

function sentenceCase(title: string): string {
  // Outlets drop exchange tickers ("<BFDB>") but keep a company name the wire put in brackets ("<CINRAM LTD>").
  const lower = title.replace(/<[A-Z.]{1,6}>/g, '').replace(/[<>]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** An outlet's headline: sentence-cased, ticker dropped, one or two words swapped for the outlet's style. */
function editHeadline(title: string, random: Random): string {
  const words = sentenceCase(title).split(' ');
  let edits = 0;
  const edited = words.map((word) => {
    const swap = HEADLINE_WORDS[word.toLowerCase()];
    if (swap && edits < 2 && random.chance(0.7)) return (edits++, swap);
    return word;
  });
  if (edits === 0 && edited.length > 4 && random.chance(0.5)) edited.splice(random.int(1, edited.length - 2), 1);
  return edited.join(' ');
}

function applyHouseStyle(text: string): string {
  return HOUSE_STYLE.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** Rewrites the lead: swaps words for synonyms and moves "X said" attribution to the end when it opens the sentence. */
function rewriteLead(paragraphs: string[], random: Random): string[] {
  const [lead, ...rest] = paragraphs;
  if (!lead) return paragraphs;
  let rewritten = lead.split(' ').map((word) => {
    const bare = word.toLowerCase().replace(/[^a-z]/g, '');
    const swap = REWRITE_WORDS[bare];
    return swap && random.chance(0.8) ? word.replace(new RegExp(bare, 'i'), swap) : word;
  }).join(' ');
  const said = /^([A-Z][^,]{2,60}?) (?:says|said) (?:that |it )?(.+?)\.?$/.exec(rewritten);
  if (said && said[1] && said[2]) rewritten = `${said[2].charAt(0).toUpperCase()}${said[2].slice(1)}, ${said[1]} said.`;
  return [rewritten, ...rest];
}

/** Changes one figure in the text (a correction): the first number with 2+ digits gets two digits swapped or one bumped. */
function changeFigure(paragraphs: string[]): string[] | undefined {
  for (let i = 0; i < paragraphs.length; i++) {
    const paragraph = paragraphs[i] ?? '';
    const match = /\d[\d,.]*\d/.exec(paragraph);
    if (!match) continue;
    const digits = match[0];
    const last = digits.charAt(digits.length - 1);
    const changed = digits.slice(0, -1) + String((Number(last) + 3) % 10);
    const copy = [...paragraphs];
    copy[i] = paragraph.replace(digits, changed);
    return copy;
  }
  return undefined;
}

function wireItem(row: ReutersRow, paragraphs: string[], title: string, minutes: number, guidSuffix: string, linkSuffix: string): ParsedItem {
  return {
    guid: `tag:reuters.com,1987:newsml_RTR${row.newid}${guidSuffix}`,
    title,
    link: `https://${WIRE.host}/article/${slugify(row.title)}-id${row.newid}${linkSuffix}`,
    published: addMinutes(row.date, minutes),
    contentHtml: toHtml(paragraphs),
    categories: [],
    enclosures: [],
  };
}

/** Every item derived from one original: the original, maybe refiles, maybe outlet copies. */
export function republish(row: ReutersRow, donor: ReutersRow, random: Random): EvalItem[] {
  const paragraphs = splitParagraphs(row.body);
  const out: EvalItem[] = [{ source: WIRE, item: wireItem(row, paragraphs, row.title, 0, '', ''), group: row.newid, kind: 'original' }];
  const hasBody = paragraphs.length > 0;
  if (hasBody && random.chance(0.25)) {
    const added = splitParagraphs(donor.body)[0] ?? 'Further details were not immediately available.';
    const sameStem = random.chance(0.5);
    const updated = [`(Adds ${random.pick(['background', 'comment', 'details', 'analyst reaction'])})`, paragraphs[0] ?? '', added, ...paragraphs.slice(1)];
    out.push({
      source: WIRE, group: row.newid, kind: sameStem ? 'refile-update-same-guid-stem' : 'refile-update',
      item: wireItem(row, updated, `UPDATE 1-${row.title}`, random.int(30, 300), sameStem ? ':1' : `-u${random.int(100, 999)}`, '-update'),
    });
  }
  const corrected = hasBody && random.chance(0.12) ? changeFigure(paragraphs) : undefined;
  if (corrected) {
    out.push({
      source: WIRE, group: row.newid, kind: 'correction',
      item: wireItem(row, ['(Corrects figure in story)', ...corrected], `CORRECTED-${row.title}`, random.int(60, 600), `-c${random.int(100, 999)}`, '-corrected'),
    });
  }
  if (!random.chance(0.45)) return out;
  const outlets = random.shuffle([...OUTLETS]).slice(0, random.int(1, 2));
  for (const outlet of outlets) {
    const kinds: Kind[] = hasBody
      ? ['copy-trimmed', 'copy-lead-rewritten', 'copy-house-style', 'copy-headline-edited', 'copy-tracking-link', 'copy-amp-link', 'copy-all-edits']
      : ['copy-headline-only'];
    const kind = random.pick(kinds);
    let copy = paragraphs;
    let title = sentenceCase(row.title);
    if (kind === 'copy-trimmed' || kind === 'copy-all-edits') copy = copy.slice(0, Math.max(1, Math.ceil(copy.length * (0.4 + random.next() * 0.3))));
    if (kind === 'copy-lead-rewritten' || kind === 'copy-all-edits') copy = rewriteLead(copy, random);
    if (kind === 'copy-house-style' || kind === 'copy-all-edits') copy = copy.map(applyHouseStyle);
    if (kind === 'copy-headline-edited' || kind === 'copy-all-edits' || kind === 'copy-headline-only') title = editHeadline(row.title, random);
    if (kind === 'copy-house-style' || kind === 'copy-all-edits') title = applyHouseStyle(title);
    const original = out[0]?.item.link ?? '';
    let link = `https://${outlet.host}/news/${slugify(row.title)}-${row.newid}?utm_source=rss&utm_medium=feed&utm_campaign=${outlet.id}`;
    if (kind === 'copy-tracking-link') link = `${original}?utm_source=${outlet.id}&utm_medium=syndication&fbclid=IwAR${random.int(1000, 9999)}`;
    if (kind === 'copy-amp-link') link = original.replace('https://www.', 'https://amp.').replace('/article/', '/article/amp/') + '?outputType=amp';
    out.push({
      source: outlet, group: row.newid, kind,
      item: {
        guid: `${outlet.host}-${row.newid}-${random.int(1000, 9999)}`,
        title, link,
        published: addMinutes(row.date, random.int(10, 720)),
        contentHtml: toHtml(copy),
        categories: [], enclosures: [],
      },
    });
  }
  return out;
}
