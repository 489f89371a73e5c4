// Tagger behaviour: entities, normalisation, datelines, context rules, categories and source tags (named cases).
import { describe, expect, it } from 'vitest';
import { taggingSchema } from '../../src/config/schema.ts';
import { createTagger, type TagInput } from '../../src/tag/index.ts';

const ISSUE_6 =
  'U.S. President Donald Trump and Colombian President Gustavo Petro spoke by phone this week … Petro told supporters in ' +
  'Bogotá that the conversation included Venezuela, where U.S. forces recently captured Venezuelan President Nicolás Maduro …';

function input(text: string, extra: Partial<TagInput> = {}): TagInput {
  return { title: '', text, categories: [], sourceId: 'wire', sourceTags: [], mapCategories: true, ...extra };
}

const defaultTagger = createTagger(taggingSchema.parse({}), { rememberPeople: 0 });

function tagsOf(text: string, extra: Partial<TagInput> = {}, tagger = defaultTagger): string[] {
  return tagger.tag(input(text, extra)).map((t) => t.tag);
}

function ofType(tags: string[], type: string): string[] {
  return tags.filter((t) => t.startsWith(`${type}:`)).sort();
}

describe('the issue 6 paragraph', () => {
  const tags = tagsOf(ISSUE_6, { title: 'Trump and Petro discuss Venezuela' });

  it('gives exactly the three people, with titles stripped and the surname folded', () => {
    expect(ofType(tags, 'person')).toEqual(['person:Donald Trump', 'person:Gustavo Petro', 'person:Nicolás Maduro']);
  });

  it('gives the countries (demonyms and U.S. folded) and the city, which keeps its accent', () => {
    expect(ofType(tags, 'place')).toEqual(['place:Bogotá', 'place:Colombia', 'place:United States', 'place:Venezuela']);
  });

  it('says where each tag came from', () => {
    const origins = Object.fromEntries(defaultTagger.tag(input(ISSUE_6)).map((t) => [t.tag, t.origin]));
    expect(origins['person:Gustavo Petro']).toBe('entity:title');
    expect(origins['place:Colombia']).toBe('demonym:Colombian');
    expect(origins['place:Bogotá']).toBe('gazetteer:Bogotá');
    expect(origins['place:United States']).toBe('gazetteer:US');
  });
});

describe('normalisation', () => {
  const cases: [string, string, string[]][] = [
    ['demonym', 'Colombian troops moved to the border on Sunday.', ['place:Colombia']],
    ['plural demonym', 'Israelis voted on Tuesday in a closely watched election.', ['place:Israel']],
    ['US short form', 'The US economy grew faster than forecast.', ['place:United States']],
    ['American', 'American officials declined to comment.', ['place:United States']],
    ['UK short form', 'Inflation in the UK fell in October.', ['place:United Kingdom']],
    ['Britain', 'Britain and France signed the accord.', ['place:France', 'place:United Kingdom']],
    ['British', 'British lawmakers debated the bill.', ['place:United Kingdom']],
    ['possessive', "Colombia's central bank held rates steady.", ['place:Colombia']],
    ['accent-free spelling of a city', 'Protesters gathered in Bogota on Friday.', ['place:Bogotá', 'place:Colombia']],
    ['letters without a decomposition', 'Factories in Lodz reopened on Monday.', ['place:Poland', 'place:Łódź']],
    ['capital implies its country', 'Talks resumed in Nairobi on Monday.', ['place:Kenya', 'place:Nairobi']],
    ['US state implies the country', 'Wildfires spread across California this week.', ['place:California', 'place:United States']],
    ['historical state', 'Soviet grain imports rose sharply.', ['place:Soviet Union']],
  ];
  it.each(cases)('%s', (_name, text, places) => {
    expect(ofType(tagsOf(text), 'place')).toEqual(places);
  });

  it('folds a lone surname into the full name given in the same story', () => {
    const tags = tagsOf('Finance Minister Ricardo Bonilla resigned on Monday. Bonilla said the decision was personal. Bonilla left.');
    expect(ofType(tags, 'person')).toEqual(['person:Ricardo Bonilla']);
  });

  it('folds a family name written first (Mr. Xi → Xi Jinping)', () => {
    const tags = tagsOf('Mr. Xi met the delegation on Monday. Xi Jinping later said ties were strong.');
    expect(ofType(tags, 'person')).toEqual(['person:Xi Jinping']);
  });

  it('strips titles and possessives from names', () => {
    const tags = tagsOf("Prime Minister Keir Starmer's government unveiled the budget. Starmer's aides briefed reporters.");
    expect(ofType(tags, 'person')).toEqual(['person:Keir Starmer']);
  });

  it('reads country names and titles in Spanish and French copy', () => {
    const tags = tagsOf('El presidente Gustavo Petro habló con Estados Unidos. Le président Emmanuel Macron a visité Allemagne.');
    expect(ofType(tags, 'person')).toEqual(['person:Emmanuel Macron', 'person:Gustavo Petro']);
    expect(ofType(tags, 'place')).toEqual(['place:Germany', 'place:United States']);
  });

  it('keeps middle initials and first names that look like titles', () => {
    const tags = tagsOf('Senator Don Nickles and John M. Smith Sr. objected to the bill. Nickles said it was too costly.');
    expect(ofType(tags, 'person')).toEqual(['person:Don Nickles', 'person:John M. Smith']);
  });

  it('recognises intergovernmental organisations by name and abbreviation', () => {
    const tags = tagsOf('The IMF and the World Bank met OPEC ministers. The European Community and the U.N. sent observers.');
    expect(ofType(tags, 'org')).toEqual(['org:European Union', 'org:International Monetary Fund', 'org:OPEC', 'org:United Nations', 'org:World Bank']);
  });

  it('recognises a company by its legal suffix', () => {
    expect(ofType(tagsOf('Shares of Acme Widgets Inc rose 5 pct after the results.'), 'org')).toEqual(['org:Acme Widgets']);
  });
});

describe('datelines', () => {
  it('a capital in a dateline tags the city and its country', () => {
    const assigned = defaultTagger.tag(input('BOGOTA, Nov 24 (Reuters) - The central bank raised its benchmark rate on Monday.'));
    expect(assigned).toContainEqual({ tag: 'place:Colombia', origin: 'dateline:Bogotá' });
    expect(assigned.map((t) => t.tag)).toContain('place:Bogotá');
  });

  it('an AP-style dateline with accents and a country', () => {
    const assigned = defaultTagger.tag(input('SÃO PAULO, Brazil (AP) — Coffee exports fell in October, the trade group said.'));
    expect(assigned).toContainEqual({ tag: 'place:Brazil', origin: 'dateline:São Paulo' });
  });

  it('a state abbreviation in a dateline tags the United States', () => {
    const tags = tagsOf('ROCHESTER, N.Y., Feb 26 - Champion Products Inc said its board approved a stock split.');
    expect(tags).toContain('place:United States');
    expect(tags).toContain('place:New York');
  });

  it("the dateline's state decides which city of that name it is", () => {
    const tags = tagsOf('BIRMINGHAM, Ala., March 3 - The company said profits rose.');
    expect(tags).toContain('place:United States');
    expect(tags).not.toContain('place:United Kingdom');
  });

  it('a currency after a country name is money, not the place', () => {
    expect(ofType(tagsOf('The yen rose against the U.S. dollar and the Swiss franc in Tokyo.'), 'place')).toEqual(['place:Japan', 'place:Tokyo']);
  });

  it('a state abbreviation outside a dateline means nothing', () => {
    expect(ofType(tagsOf('The company, founded by Ms. Ward, said Pa. regulators had not called.'), 'place')).toEqual([]);
  });
});

describe('false positives avoided', () => {
  it('a football match does not make a story about the countries whose teams played', () => {
    const text = 'Colombia beat Brazil 2-1 in a World Cup qualifier on Tuesday. The striker scored twice and the coach praised the squad.';
    expect(ofType(tagsOf(text), 'place')).toEqual([]);
  });

  it('Georgia with Atlanta in the story is the US state', () => {
    const tags = tagsOf('Voters in Georgia lined up early. Atlanta suburbs decided the Senate race.');
    expect(tags).toContain('place:United States');
    expect(tags).not.toContain('place:Georgia');
  });

  it('Georgia without US context is the country', () => {
    expect(tagsOf('Georgia and Armenia agreed to reopen a border crossing near Tbilisi.')).toContain('place:Georgia');
  });

  it('a place inside a company name is not a place', () => {
    const tags = tagsOf('The bonds were arranged by Credit Suisse First Boston, and Japan Airlines Co was a buyer.');
    expect(ofType(tags, 'place')).toEqual([]);
  });

  it('a capitalised modifier before a place keeps it', () => {
    expect(tagsOf('Rebels attacked a base in Southern Colombia on Monday.')).toContain('place:Colombia');
  });

  it('turkey the food is not Turkey', () => {
    expect(ofType(tagsOf('Families across the country roasted a turkey for the holiday dinner.'), 'place')).toEqual([]);
  });

  it('a place used as a first name is a person', () => {
    const tags = tagsOf('Jordan Peterson spoke at the event. Jordan Peterson later left the stage.');
    expect(tags).not.toContain('place:Jordan');
    expect(tags).toContain('person:Jordan Peterson');
  });

  it('a place mentioned once in passing, late in a long story, is not a tag', () => {
    const filler = 'The company said quarterly revenue rose on strong demand for its products. '.repeat(6);
    const tags = tagsOf(`Acme Widgets reported higher profits. ${filler}It also sells in Peru.`);
    expect(tags).not.toContain('place:Peru');
  });
});

describe('headlines', () => {
  it('a Title Case headline does not turn capitalised words into people', () => {
    const tags = tagsOf('', { title: 'Markets Rally As Investors Cheer Strong Jobs Data From The Labor Department' });
    expect(ofType(tags, 'person')).toEqual([]);
  });

  it('a name after a title in a capitalised headline is a person', () => {
    expect(tagsOf('', { title: 'PRESIDENT PETRO SAYS TALKS WITH REBELS WILL RESUME' })).toContain('person:Petro');
  });

  it('a headline name folds into the full name in the body', () => {
    const tags = tagsOf('Colombian President Gustavo Petro said on Monday that talks would resume.', { title: 'PRESIDENT PETRO SAYS TALKS WILL RESUME' });
    expect(ofType(tags, 'person')).toEqual(['person:Gustavo Petro']);
  });
});

describe('aliases, categories and source tags', () => {
  it('applies tagging.aliases to text, with or without a type', () => {
    const tagger = createTagger(taggingSchema.parse({ aliases: { Trump: 'Donald Trump', 'the Bank': 'org:Bank of England', Holland: 'Netherlands' } }), { rememberPeople: 0 });
    const assigned = tagger.tag(input('Trump said the Bank would act. Holland exported more flowers.'));
    expect(assigned).toContainEqual({ tag: 'person:Donald Trump', origin: 'alias:Trump' });
    expect(assigned.map((t) => t.tag)).toEqual(expect.arrayContaining(['org:Bank of England', 'place:Netherlands']));
  });

  it('maps a feed category to a known place, or else to a topic', () => {
    const tags = tagsOf('Nothing to see here.', { categories: [{ term: 'Colombia' }, { term: 'World News' }] });
    expect(tags).toEqual(expect.arrayContaining(['place:Colombia', 'topic:world-news']));
  });

  it('ignores categories when the source turns them off', () => {
    expect(tagsOf('Nothing to see here.', { categories: [{ term: 'Politics' }], mapCategories: false })).toEqual([]);
  });

  it('adds the source tags first, with origin "source"', () => {
    expect(defaultTagger.tag(input('Nothing to see here.', { sourceTags: ['topic:world'] }))).toEqual([{ tag: 'topic:world', origin: 'source' }]);
  });

  it('with entities off, extracts no entities', () => {
    const tagger = createTagger(taggingSchema.parse({ entities: false }));
    expect(tagger.tag(input(ISSUE_6))).toEqual([]);
  });

  it('recalls the full name of a surname seen in earlier stories (capitalised headline)', () => {
    const tagger = createTagger(taggingSchema.parse({}));
    tagger.tag(input('Federal Reserve Chairman Paul Volcker testified before Congress on Tuesday.'));
    const tags = tagger.tag(input('', { title: 'VOLCKER SAYS DOLLAR DECLINE HAS GONE FAR ENOUGH' })).map((t) => t.tag);
    expect(tags).toContain('person:Paul Volcker');
  });

  it('does not take a capitalised word that starts a line for a remembered person ("Sales 4.1 mln" is not Rick Sales)', () => {
    const tagger = createTagger(taggingSchema.parse({}));
    tagger.tag(input('Chief executive Rick Sales said the company would open two plants.'));
    const table = 'Shr 18 cts vs 16 cts.\nSales 4,166,750 vs 3,740,970.\nNet 348,298 vs 308,927.';
    expect(tagger.tag(input(table, { title: 'WEIGH-TRONIX INC 4TH QTR NET' })).map((t) => t.tag)).not.toContain('person:Rick Sales');
    // Mid-sentence, or beside a speech verb, the remembered surname still counts.
    expect(tagger.tag(input('Asked about the plants, Sales said the company would hire 300 workers.')).map((t) => t.tag)).toContain('person:Rick Sales');
  });

  it('does not recall a remembered surname that starts a longer name in a headline (CHASE MANHATTAN is the bank)', () => {
    const tagger = createTagger(taggingSchema.parse({}));
    tagger.tag(input('Chief financial officer Rodney Chase said results would improve.'));
    const tags = tagger.tag(input('', { title: 'CHASE MANHATTAN RAISES PRIME RATE TO 7-3/4 PCT' })).map((t) => t.tag);
    expect(tags).not.toContain('person:Rodney Chase');
    expect(tagger.tag(input('', { title: 'CHASE SAYS RESULTS WILL IMPROVE' })).map((t) => t.tag)).toContain('person:Rodney Chase');
  });
});
