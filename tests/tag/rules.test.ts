// YAML rules (each condition kind, unless, untag, order) and tag slugs.
import { describe, expect, it } from 'vitest';
import { taggingSchema } from '../../src/config/schema.ts';
import { createTagger, slugifyTag, type TagInput } from '../../src/tag/index.ts';

function tagWith(rules: unknown[], text: string, extra: Partial<TagInput> = {}): { tag: string; origin: string }[] {
  const tagger = createTagger(taggingSchema.parse({ rules }), { rememberPeople: 0 });
  return tagger.tag({ title: '', text, categories: [], sourceId: 'wire', sourceTags: [], mapCategories: false, ...extra });
}
const tagsWith = (rules: unknown[], text: string, extra: Partial<TagInput> = {}) => tagWith(rules, text, extra).map((t) => t.tag);

describe('rule conditions', () => {
  const drugs = { tag: 'topic:drugs', any: ['cocaine', 'drug trafficking', 'war on drugs'] };
  const cases: [string, unknown, string, Partial<TagInput>, boolean][] = [
    ['any: one phrase', drugs, 'Police seized cocaine at the port.', {}, true],
    ['any: a phrase of several words', drugs, 'He was charged with drug trafficking.', {}, true],
    ['any: case-insensitive', drugs, 'COCAINE SEIZED AT PORT', {}, true],
    ['any: word boundaries', { tag: 'topic:art', any: ['art'] }, 'The party started early.', {}, false],
    ['any: diacritics ignored both ways', { tag: 'topic:x', any: ['Bogota', 'Nicolás'] }, 'In Bogotá, nicolas spoke.', {}, true],
    ['any: none present', drugs, 'The central bank held rates.', {}, false],
    ['all: every phrase', { tag: 'topic:x', all: ['oil', 'price'] }, 'The oil price rose.', {}, true],
    ['all: one missing', { tag: 'topic:x', all: ['oil', 'price'] }, 'The oil output rose.', {}, false],
    ['regex', { tag: 'topic:quake', regex: 'magnitude\\s+\\d(\\.\\d)?' }, 'A magnitude 6.1 quake hit.', {}, true],
    ['regex: no match', { tag: 'topic:quake', regex: 'magnitude\\s+\\d' }, 'A large quake hit.', {}, false],
    ['places', { tag: 'topic:latam', places: ['Colombia', 'Venezuela'] }, 'Colombian exports rose.', {}, true],
    ['places: none', { tag: 'topic:latam', places: ['Colombia'] }, 'French exports rose.', {}, false],
    ['people', { tag: 'topic:petro', people: ['Gustavo Petro'] }, 'President Gustavo Petro spoke.', {}, true],
    ['orgs', { tag: 'topic:oil', orgs: ['OPEC'] }, 'OPEC agreed to cut output.', {}, true],
    ['sources', { tag: 'topic:wire', sources: ['wire'] }, 'Anything.', {}, true],
    ['sources: other source', { tag: 'topic:wire', sources: ['other'] }, 'Anything.', {}, false],
    ['categories', { tag: 'topic:sport', categories: ['Sports', 'Football'] }, 'Anything.', { categories: [{ term: 'football' }] }, true],
    ['categories: none', { tag: 'topic:sport', categories: ['Sports'] }, 'Anything.', { categories: [{ term: 'Politics' }] }, false],
    ['unless: a phrase', { ...drugs, unless: ['film review'] }, 'A film review about cocaine smugglers.', {}, false],
    ['unless: absent', { ...drugs, unless: ['film review'] }, 'Police seized cocaine.', {}, true],
    ['unless: a tag', { tag: 'topic:latam', places: ['Colombia'], unless: ['place:Brazil'] }, 'Colombia and Brazil talked.', {}, false],
    ['all conditions together', { tag: 'topic:x', any: ['cocaine'], places: ['Colombia'] }, 'Cocaine seized in Spain.', {}, false],
  ];
  it.each(cases)('%s', (_name, rule, text, extra, fires) => {
    const tag = (rule as { tag: string }).tag;
    expect(tagsWith([rule], text, extra).includes(tag)).toBe(fires);
  });

  it('names the rule in the origin, by its position in tagging.rules', () => {
    const assigned = tagWith([{ tag: 'topic:a', any: ['zzz'] }, { tag: 'topic:drugs', any: ['cocaine'] }], 'Police seized cocaine.');
    expect(assigned).toContainEqual({ tag: 'topic:drugs', origin: 'rule:topic:drugs#2' });
  });
});

describe('untag', () => {
  const untagJordan = [{ untag: 'place:Jordan', any: ['basketball'] }];
  it('removes a tag where its conditions hold', () => {
    expect(tagsWith([], 'Jordan won the basketball game.')).toContain('place:Jordan');
    expect(tagsWith(untagJordan, 'Jordan won the basketball game.')).not.toContain('place:Jordan');
  });

  it('keeps the tag where they do not', () => {
    expect(tagsWith(untagJordan, 'Jordan and Egypt signed a water deal.')).toContain('place:Jordan');
  });

  it('explain() reports the removed tag and the rule that removed it', () => {
    const tagger = createTagger(taggingSchema.parse({ rules: [{ tag: 'topic:sport', any: ['game'] }, ...untagJordan] }));
    const { tags, removed } = tagger.explain({ title: '', text: 'Jordan won the basketball game.', categories: [], sourceId: 'w', sourceTags: [], mapCategories: false });
    expect(tags.map((t) => t.tag)).toContain('topic:sport');
    expect(removed).toEqual([{ tag: 'place:Jordan', origin: 'gazetteer:Jordan', removedBy: 'rule:untag:place:Jordan#2' }]);
  });

  it('runs in order: a later rule sees what an earlier one added or removed', () => {
    const rules = [
      { tag: 'topic:drugs', any: ['cocaine'] },
      { tag: 'topic:crime', unless: ['topic:none'], any: ['seized'] },
      { untag: 'topic:drugs', any: ['film'] },
      { tag: 'topic:culture', unless: ['topic:drugs'], any: ['film'] },
    ];
    const tags = tagsWith(rules, 'A film about how police seized cocaine.');
    expect(tags).toEqual(expect.arrayContaining(['topic:crime', 'topic:culture']));
    expect(tags).not.toContain('topic:drugs');
  });
});

describe('slugifyTag', () => {
  const cases: [string, string][] = [
    ['Gustavo Petro', 'gustavo-petro'],
    ['Bogotá', 'bogota'],
    ['São Tomé and Príncipe', 'sao-tome-and-principe'],
    ['Nicolás Maduro', 'nicolas-maduro'],
    ["People's Bank of China", 'people-s-bank-of-china'],
    ['  C++ & Co. ', 'c-co'],
    ['drugs', 'drugs'],
  ];
  it.each(cases)('%s → %s', (name, slug) => {
    expect(slugifyTag(name)).toBe(slug);
  });
});
