// The tag stage: source tags, feed categories, entities (gazetteer + names) and YAML rules → TagAssignment[] for one item.
import { readFileSync } from 'node:fs';
import type { TaggingConfig } from '../config/schema.ts';
import type { TagAssignment } from '../model/story.ts';
import { extractEntities, type EntityContext } from './entities.ts';
import { compileGazetteer, findMentions, type GazetteerData, type GazetteerEntry, type EntityType } from './gazetteer.ts';
import type { NameLexicon } from './people.ts';
import { applyRules, compileRules, type RemovedTag } from './rules.ts';
import { foldText, slugifyTag, tokenize } from './text.ts';

export { slugifyTag } from './text.ts';
export type { GazetteerData, GazetteerEntry } from './gazetteer.ts';
export type { RemovedTag } from './rules.ts';

export interface TagInput {
  title: string;
  /** Plain text, HTML stripped. */
  text: string;
  categories: { term: string; domain?: string }[];
  sourceId: string;
  /** The source's `tags:` from the config. */
  sourceTags: string[];
  /** The source's `categories:` setting: map the feed's own categories to tags. */
  mapCategories: boolean;
}

export interface Tagger {
  /** Tags of one item, each once, with the origin that made it (first origin wins). */
  tag(input: TagInput): TagAssignment[];
  /** The same tags, plus those that `untag:` rules removed and which rule removed each (for `wiredesk explain`). */
  explain(input: TagInput): { tags: TagAssignment[]; removed: RemovedTag[] };
}

export interface TaggerOptions {
  /** Replaces the bundled gazetteer (src/tag/data/gazetteer.json), e.g. in tests. */
  gazetteer?: GazetteerData;
  /** Replaces the bundled name lexicon (src/tag/data/names.json). */
  names?: { first: string[]; last: string[]; common: string[] };
  /**
   * How prominent a name must be: mentions in the title, the dateline or the first `leadTokens` words always count;
   * elsewhere a name needs `minMentions` mentions (default 40 words and 2 mentions, measured on Reuters-21578).
   */
  salience?: { leadTokens: number; minMentions: number };
  /**
   * How many surnames of people named in full (with a title or a known first name) the tagger remembers across
   * stories, so that a later "VOLCKER SAYS ..." headline becomes Paul Volcker. 0 turns this off. Default 5,000.
   */
  rememberPeople?: number;
}

/**
 * Remembers full names by surname, oldest forgotten first. A surname shared by several remembered people recalls the
 * one named at least three times as often as all the others together ("Baker" in financial news), or nothing.
 */
function createPeopleMemory(capacity: number) {
  const bySurname = new Map<string, Map<string, { name: string; count: number }>>();
  return {
    learn(tags: TagAssignment[]): void {
      if (capacity <= 0) return;
      for (const t of tags) {
        if (!t.tag.startsWith('person:') || !/^entity:(title|first-name)/.test(t.origin)) continue;
        const name = t.tag.slice('person:'.length);
        const parts = tokenize(name);
        if (parts.length < 2) continue;
        const surname = parts[parts.length - 1]!.fold;
        const known = bySurname.get(surname) ?? new Map<string, { name: string; count: number }>();
        const key = foldText(name);
        known.set(key, { name, count: (known.get(key)?.count ?? 0) + 1 });
        bySurname.delete(surname);
        bySurname.set(surname, known);
        if (bySurname.size > capacity) bySurname.delete(bySurname.keys().next().value!);
      }
    },
    recall(surname: string): string | undefined {
      const known = [...(bySurname.get(surname)?.values() ?? [])].sort((a, b) => b.count - a.count);
      const [top, ...rest] = known;
      if (!top) return undefined;
      return top.count >= 3 * rest.reduce((sum, r) => sum + r.count, 0) ? top.name : undefined;
    },
  };
}

const ENTITY_TYPES = new Set<EntityType>(['person', 'place', 'org']);
const MAX_CATEGORY_LENGTH = 60;

/** The bundled data files, read once per process (they are data, not configuration). */
const bundled = new Map<string, unknown>();
function readData<T>(file: string): T {
  if (!bundled.has(file)) bundled.set(file, JSON.parse(readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')));
  return bundled.get(file) as T;
}

/**
 * tagging.aliases → entries matched in text (extra gazetteer entries, ahead of the bundled ones) and a name map for
 * extracted names. A value may carry a type ("person:Donald Trump"); without one it takes the type of the gazetteer
 * entry of that name, or else `person`.
 */
function compileAliases(aliases: Record<string, string>, data: GazetteerData): { entries: GazetteerEntry[]; names: Map<string, string> } {
  const byName = new Map(data.entries.map((e) => [foldText(e.name), e]));
  const entries: GazetteerEntry[] = [];
  const names = new Map<string, string>();
  for (const [surface, value] of Object.entries(aliases)) {
    const typed = /^(person|place|org):(.+)$/.exec(value);
    const name = (typed ? typed[2]! : value).trim();
    const known = byName.get(foldText(name));
    const type = (typed?.[1] as EntityType | undefined) ?? known?.type ?? 'person';
    names.set(foldText(surface), name);
    entries.push({
      type,
      kind: 'alias',
      name: known && known.type === type ? known.name : name,
      ...(known?.country && known.type === type ? { country: known.country } : {}),
      aliases: [surface],
      demonyms: [],
    });
  }
  return { entries, names };
}

/** Builds a tagger from the validated tagging config; gazetteer, aliases and rules are compiled here, once. */
export function createTagger(config: TaggingConfig, options: TaggerOptions = {}): Tagger {
  const data = options.gazetteer ?? readData<GazetteerData>('gazetteer.json');
  const names = options.names ?? readData<{ first: string[]; last: string[]; common: string[] }>('names.json');
  const lexicon: NameLexicon = { first: new Set(names.first), last: new Set(names.last), common: new Set(names.common) };
  const aliases = compileAliases(config.aliases, data);
  const gazetteer = compileGazetteer(data, aliases.entries);
  const salience = options.salience ?? { leadTokens: 40, minMentions: 2 };
  const memory = createPeopleMemory(options.rememberPeople ?? 5000);
  const ctx: EntityContext = { gazetteer, lexicon, aliases: aliases.names, ...salience, recallPerson: (surname) => memory.recall(surname) };
  const rules = compileRules(config.rules);

  /** A feed category that names a known place or organisation becomes that entity; any other becomes a topic. */
  const mapCategory = (term: string): TagAssignment | undefined => {
    const clean = term.trim();
    if (!clean || clean.length > MAX_CATEGORY_LENGTH || /^[a-z]+:\/\//i.test(clean) || !/\p{L}/u.test(clean)) return undefined;
    const tokens = tokenize(clean);
    const [mention] = findMentions(gazetteer, tokens, false);
    const origin = `category:${clean}`;
    if (mention && mention.start === 0 && mention.end === tokens.length && ENTITY_TYPES.has(mention.entry.type)) {
      return { tag: `${mention.entry.type}:${mention.entry.name}`, origin };
    }
    const slug = slugifyTag(clean);
    return slug ? { tag: `topic:${slug}`, origin } : undefined;
  };

  const run = (input: TagInput, removed: RemovedTag[]): TagAssignment[] => {
    const found: TagAssignment[] = input.sourceTags.map((tag) => ({ tag, origin: 'source' }));
    if (input.mapCategories) {
      for (const c of input.categories) {
        const mapped = mapCategory(c.term);
        if (mapped) found.push(mapped);
      }
    }
    if (config.entities) {
      const entities = extractEntities(input.title, input.text, ctx);
      memory.learn(entities);
      found.push(...entities);
    }
    const unique = new Map<string, TagAssignment>();
    for (const t of found) if (!unique.has(foldText(t.tag))) unique.set(foldText(t.tag), t);
    const ruleInput = {
      titleTokens: rules.phrases.size > 0 ? tokenize(input.title) : [],
      textTokens: rules.phrases.size > 0 ? tokenize(input.text) : [],
      rawText: `${input.title}\n${input.text}`,
      sourceId: input.sourceId,
      categories: input.categories,
    };
    return applyRules(rules, ruleInput, [...unique.values()], removed);
  };

  return {
    tag: (input) => run(input, []),
    explain(input) {
      const removed: RemovedTag[] = [];
      return { tags: run(input, removed), removed };
    },
  };
}
