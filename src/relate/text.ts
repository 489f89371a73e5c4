// What the related-posts index keeps of a story: its shown title and link, tags, a ~300-character lead and its counted words.
import type { StoryView } from '../model/story.ts';
import type { RelatedDoc, SubjectModel } from '../store/types.ts';
import { foldSubject } from './subjects.ts';

/** STACK.md: index title and lead only; the whole body makes FTS5 the ingest bottleneck. */
export const LEAD_CHARS = 300;
/**
 * Text read for a story's weighted words: title and the first ~600 characters. Measured on Reuters-21578 with plain
 * tf-idf neighbours: 300 characters 0.663 precision@5, 600 0.666, 1,000 0.670, the whole body 0.671.
 */
export const VECTOR_CHARS = 600;
/** Distinct words kept per story (title first): its weighted words, and the copy and diversity checks between picks. */
const MAX_TERMS = 60;
/** A title word counts this many times: headlines name what the story is about. */
const TITLE_WEIGHT = 2;

/**
 * Function words of English, Spanish, French, German and Portuguese news. IDF weighting lowers the rest once the
 * store is large; this list keeps small stores sensible.
 */
const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers him his how i if in
  into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she
  should so some such than that the their theirs them then there these they this those through to too under until up very
  was we were what when where which while who whom why will with would you your yours said says say new one two three
  mr mrs ms reuters ap afp year years week month day today yesterday tomorrow monday tuesday wednesday thursday friday
  saturday sunday el la los las de del y en un una por con para que se su al lo como mas pero sus le les des et du au
  aux une est pour dans sur pas par der die das und den dem ein eine ist mit von zu im auf fur nicht o os as do da dos das
  em um uma com nao`.split(/\s+/),
);

/** Lowercase, accents removed: the same folding as FTS5's unicode61 tokenizer with remove_diacritics 2. */
export function foldWords(value: string): string[] {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

const isTelling = (word: string) => word.length >= 2 && !/^\d+$/.test(word) && !STOP_WORDS.has(word);

/**
 * How often each word that can tell stories apart occurs in title and text (no stop words, no bare numbers, no single
 * letters; title words count twice), in first-seen order, at most MAX_TERMS distinct words.
 */
export function countTerms(title: string, text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (word: string, by: number) => {
    if (!isTelling(word)) return;
    const seen = counts.get(word);
    if (seen !== undefined) counts.set(word, seen + by);
    else if (counts.size < MAX_TERMS) counts.set(word, by);
  };
  for (const word of foldWords(title)) add(word, TITLE_WEIGHT);
  for (const word of foldWords(text)) add(word, 1);
  return counts;
}

/** Distinct words of title and text that can tell stories apart (the keys of `countTerms`). */
export function extractTerms(title: string, text: string): string[] {
  return [...countTerms(title, text).keys()];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Plain text of stored (already sanitized) HTML, for indexing only: nothing of it is ever rendered, so
 * dropping tags and decoding the common entities is enough.
 */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first ~300 characters of the text, cut at a word boundary. */
export function leadOf(text: string, chars = LEAD_CHARS): string {
  if (text.length <= chars) return text;
  const cut = text.slice(0, chars);
  const space = cut.lastIndexOf(' ');
  return space > chars / 2 ? cut.slice(0, space) : cut;
}

/** The index entry of a story: its shown item's title, link, source and lead, the story's tags, and its subject vector in `subjects`' space. */
export function toRelatedDoc(story: StoryView, subjects?: SubjectModel): RelatedDoc & { termCounts: [string, number][] } {
  const { shown } = story;
  const text = htmlToPlainText(shown.contentHtml ?? shown.summary ?? '');
  const lead = leadOf(text);
  const counts = countTerms(shown.title, leadOf(text, VECTOR_CHARS));
  const vector = subjects ? foldSubject(subjects, [...counts]) : undefined;
  return {
    storyId: story.id,
    date: story.date,
    title: shown.title,
    link: shown.link,
    sourceTitle: story.source.title,
    lead,
    tags: story.tags,
    terms: [...counts.keys()],
    termCounts: [...counts.entries()],
    ...(subjects && vector ? { subject: { version: subjects.version, vector } } : {}),
  };
}
