// Named cases for story grouping: each rule, and the hard negatives it must not merge.
import { describe, expect, it } from 'vitest';
import { createStoryResolver, prepareItems } from '../../src/dedupe/index.ts';
import type { ParsedItem } from '../../src/model/item.ts';
import type { DedupeCandidate, PreparedItem } from '../../src/model/story.ts';
import { BOND_A, BOND_B, DIVIDEND_A, DIVIDEND_B, EARNINGS_A, EARNINGS_B, html, RATES_PARAGRAPHS, RATES_TITLE, STRIKE_PARAGRAPHS, STRIKE_TITLE } from './fixtures/stories.ts';

const config = { window: 3 * 86_400_000, text_threshold: 0.5, title_threshold: 0.8 };
const resolve = createStoryResolver(config);
const WIRE = { sourceId: 'wire-world', attribution: 'Wire' };
const LEDGER = { sourceId: 'daily-ledger', attribution: 'The Daily Ledger' };

function parsed(title: string, paragraphs: string[] | string, extra: Partial<ParsedItem> = {}): ParsedItem {
  const contentHtml = typeof paragraphs === 'string' ? `<p>${paragraphs}</p>` : html(paragraphs);
  return { title, contentHtml, categories: [], enclosures: [], published: '2026-11-23T10:00:00.000Z', ...extra };
}

function prepare(item: ParsedItem): PreparedItem {
  const [prepared] = prepareItems([item]).prepared;
  if (!prepared) throw new Error('nothing prepared');
  return { ...prepared, tags: [] };
}

let nextId = 1;
/** A stored item as the store would propose it: only if it shares a key, with the shared keys listed. */
function candidateFor(stored: PreparedItem, source: typeof WIRE, incoming: PreparedItem): DedupeCandidate[] {
  const sharedKeys = stored.dedupeKeys.filter((key) => incoming.dedupeKeys.includes(key));
  if (sharedKeys.length === 0) return [];
  const candidate: DedupeCandidate = {
    itemId: nextId++, storyId: `s_${stored.identity}`, ...source, title: stored.title, firstSeen: '2026-11-23T10:00:00.000Z', sharedKeys,
  };
  if (stored.link) candidate.link = stored.link;
  if (stored.canonicalUrl) candidate.canonicalUrl = stored.canonicalUrl;
  if (stored.guid) candidate.guid = stored.guid;
  if (stored.signature) candidate.signature = stored.signature;
  return [candidate];
}

function decide(stored: { item: ParsedItem; source: typeof WIRE }, incoming: { item: ParsedItem; source: typeof WIRE }) {
  const a = prepare(stored.item);
  const b = prepare(incoming.item);
  return resolve({ ...b, ...incoming.source }, candidateFor(a, stored.source, b));
}

const original = parsed(RATES_TITLE, RATES_PARAGRAPHS, { guid: 'tag:wire.example,2026:newsml_L1N3NOR01', link: 'https://wire.example/article/norland-rates-idL1N3NOR01' });

describe('story resolver', () => {
  it('refile: UPDATE 1- with an added paragraph and a new guid joins by text', () => {
    const refile = parsed(`UPDATE 1-${RATES_TITLE}`, ['(Adds analyst comment)', RATES_PARAGRAPHS[0] ?? '', 'Analysts at Fjord Bank said the statement was "as dovish as it gets" without a cut.', ...RATES_PARAGRAPHS.slice(1)], {
      guid: 'tag:wire.example,2026:newsml_L1N3NOR77', link: 'https://wire.example/article/norland-rates-update-idL1N3NOR77',
    });
    const decision = decide({ item: original, source: WIRE }, { item: refile, source: WIRE });
    expect(decision.storyId).toBeDefined();
    expect(['wire-version', 'text-similarity']).toContain(decision.rule);
    expect(prepare(refile).version).toMatchObject({ kind: 'update', number: 1, note: 'Adds analyst comment' });
  });

  it('refile with the same guid stem (":2") joins by the guid rule', () => {
    const refile = parsed(`REFILE-${RATES_TITLE}`, RATES_PARAGRAPHS, { guid: 'tag:wire.example,2026:newsml_L1N3NOR01:2', link: 'https://wire.example/article/norland-rates-idL1N3NOR01-2' });
    expect(decide({ item: original, source: WIRE }, { item: refile, source: WIRE }).rule).toBe('same-guid-stem');
  });

  it('correction: CORRECTED- with a changed figure joins the story', () => {
    const corrected = parsed(`CORRECTED-${RATES_TITLE}`, ['(Corrects inflation figure in paragraph 2)', RATES_PARAGRAPHS[0] ?? '', (RATES_PARAGRAPHS[1] ?? '').replace('2.8 pct', '2.9 pct'), ...RATES_PARAGRAPHS.slice(2)], {
      guid: 'tag:wire.example,2026:newsml_L1N3NOR90',
    });
    const decision = decide({ item: original, source: WIRE }, { item: corrected, source: WIRE });
    expect(decision.storyId).toBeDefined();
    expect(prepare(corrected).version?.kind).toBe('correction');
  });

  it('outlet copy with edited headline, sentence case, house style and a trimmed tail joins by text', () => {
    const copy = parsed('Norland central bank keeps rates on hold, eyes June cut', RATES_PARAGRAPHS.slice(0, 4).map((p) => p.replace(/\bpct\b/g, 'percent')), {
      guid: 'ledger-88123', link: 'https://www.ledger.example/business/norland-rates?utm_source=rss',
    });
    const decision = decide({ item: original, source: WIRE }, { item: copy, source: LEDGER });
    expect(decision).toMatchObject({ rule: 'text-similarity', storyId: `s_${prepare(original).identity}` });
    expect(decision.score).toBeGreaterThan(0.5);
  });

  it('tracking-parameter URL: a copy linking to the original with tracking parameters joins by canonical URL', () => {
    const copy = parsed('Norland holds rates', 'Short teaser.', { link: 'https://wire.example/article/norland-rates-idL1N3NOR01?utm_source=ledger&fbclid=IwAR1' });
    expect(decide({ item: original, source: WIRE }, { item: copy, source: LEDGER })).toMatchObject({ rule: 'same-canonical-url', score: 1 });
  });

  it('AMP URL: a copy linking to the AMP page of the original joins by canonical URL', () => {
    const copy = parsed('Norland holds rates', 'Short teaser.', { link: 'https://amp.wire.example/article/amp/norland-rates-idL1N3NOR01?outputType=amp' });
    expect(decide({ item: original, source: WIRE }, { item: copy, source: LEDGER }).rule).toBe('same-canonical-url');
  });

  it('same headline, different event: two full stories with one headline and different texts stay apart', () => {
    const first = parsed(STRIKE_TITLE, STRIKE_PARAGRAPHS, { link: 'https://wire.example/a1' });
    const second = parsed(STRIKE_TITLE, [
      'Hundreds of dockworkers at Port Halvard stopped work again on Friday, the third stoppage this year, after a crane accident injured two crew members on the night shift.',
      'Police said the injured men were taken to hospital in a stable condition and that an inquiry had been opened into the failure of a cable.',
      'The union called the walkout to demand an independent safety review of all cranes at the terminal before work resumes.',
    ], { link: 'https://wire.example/a2' });
    const decision = decide({ item: first, source: WIRE }, { item: second, source: WIRE });
    expect(decision.storyId).toBeUndefined();
  });

  it('two earnings reports from one template (different company and figures) stay apart', () => {
    const decision = decide({ item: parsed(EARNINGS_A.title, EARNINGS_A.text), source: WIRE }, { item: parsed(EARNINGS_B.title, EARNINGS_B.text), source: WIRE });
    expect(decision.storyId).toBeUndefined();
  });

  it('two dividend one-liners from one template with the same figures stay apart (the headlines name different companies)', () => {
    const decision = decide({ item: parsed(DIVIDEND_A.title, DIVIDEND_A.text), source: WIRE }, { item: parsed(DIVIDEND_B.title, DIVIDEND_B.text), source: WIRE });
    expect(decision.storyId).toBeUndefined();
    expect(decision.rule).toBe('new-story:headlines-differ');
  });

  it('two bond announcements from one template (same terms, different issuers) stay apart: names differ', () => {
    const decision = decide({ item: parsed(BOND_A.title, BOND_A.text), source: WIRE }, { item: parsed(BOND_B.title, BOND_B.text), source: LEDGER });
    expect(decision.storyId).toBeUndefined();
    expect(decision.rule).toMatch(/^new-story:(names|numbers)-differ$/);
  });

  it('an outlet copy of the bond announcement with its lead rewritten joins it', () => {
    const rewritten = BOND_A.text.replace('Lindqvist Shipping Holdings is issuing an 80 mln dlr', 'An 80 million dollar').replace('priced at par, lead manager Halden Capital Markets said.', 'priced at par is being issued by Lindqvist Shipping Holdings, lead manager Halden Capital Markets said.');
    const decision = decide({ item: parsed(BOND_A.title, BOND_A.text), source: WIRE }, { item: parsed('Lindqvist Shipping sells warrant bond', rewritten), source: LEDGER });
    expect(decision.rule).toBe('text-similarity');
  });

  it('headline-only items from one template (two banks cut rates) stay apart', () => {
    const decision = decide(
      { item: parsed('Harbor Bank says it is cutting base lending rate to 10.5 pct from 11 pct', ''), source: WIRE },
      { item: parsed('Ridgeway Savings Bank says it is cutting base lending rate to 10.5 pct from 11 pct', ''), source: WIRE },
    );
    expect(decision.storyId).toBeUndefined();
  });

  it('an outlet copy of an earnings report in house style joins its own report', () => {
    const copy = parsed('Brightwater Mining 3rd quarter net', EARNINGS_A.text.replace(/mln dlrs/g, 'million dollars').replace(/cts/g, 'cents'), { link: 'https://ledger.example/x' });
    expect(decide({ item: parsed(EARNINGS_A.title, EARNINGS_A.text), source: WIRE }, { item: copy, source: LEDGER }).rule).toBe('text-similarity');
  });

  it('headline-only item: a wire alert joins the full story by headline', () => {
    const alert = parsed(`URGENT-${RATES_TITLE}`, '', { link: 'https://wire.example/alert/1' });
    expect(decide({ item: original, source: WIRE }, { item: alert, source: WIRE }).storyId).toBeDefined();
  });

  it('kill notice: detected and joined to the story it kills', () => {
    const kill = parsed(`KILL-${RATES_TITLE}`, 'Please kill the story headlined "Central bank of Norland holds rates". It was sent in error. No replacement story will be issued.', { link: 'https://wire.example/kill/1' });
    const prepared = prepare(kill);
    expect(prepared.withdrawn).toBe(true);
    expect(prepared.version?.kind).toBe('kill');
    const decision = decide({ item: original, source: WIRE }, { item: kill, source: WIRE });
    expect(decision).toMatchObject({ rule: 'kill-notice', storyId: `s_${prepare(original).identity}` });
  });

  it('a kill notice from another publisher does not touch the story', () => {
    const kill = parsed(`KILL-${RATES_TITLE}`, 'Please kill the story. It is withdrawn.', { link: 'https://ledger.example/kill/1' });
    expect(decide({ item: original, source: WIRE }, { item: kill, source: LEDGER }).rule).not.toBe('kill-notice');
  });

  it('no candidates → a new story', () => {
    expect(resolve({ ...prepare(original), ...WIRE }, [])).toEqual({ rule: 'new-story' });
  });
});

describe('prepareItems', () => {
  it('computes identity, canonical URL, content hash, prefixed keys and a signature', () => {
    const { prepared, identityMode, warnings } = prepareItems([original]);
    const [item] = prepared;
    expect(identityMode).toBe('guid');
    expect(warnings).toEqual([]);
    expect(item?.identity).toBe('guid:tag:wire.example,2026:newsml_L1N3NOR01');
    expect(item?.canonicalUrl).toBe('https://wire.example/article/norland-rates-idL1N3NOR01');
    expect(item?.contentHash).toMatch(/^[0-9a-f]{32}$/);
    expect(item?.signature).toBeInstanceOf(Uint8Array);
    const prefixes = new Set(item?.dedupeKeys.map((key) => key.split(':')[0]));
    expect([...prefixes].sort()).toEqual(['b', 'g', 'h', 't', 'u']);
    expect(item?.dedupeKeys.length).toBeLessThan(40);
  });

  it('reports link mode with its reason when the feed repeats one guid', () => {
    const items = [1, 2, 3].map((n) => parsed(`${STRIKE_TITLE} ${n}`, STRIKE_PARAGRAPHS, { guid: 'https://wire.example/feed', link: `https://wire.example/s/${n}` }));
    const { prepared, identityMode, warnings } = prepareItems(items);
    expect(identityMode).toBe('link');
    expect(warnings[0]).toMatch(/3 of 3 items have a missing or repeated guid/);
    expect(prepared.map((item) => item.identity)).toEqual(['link:https://wire.example/s/1', 'link:https://wire.example/s/2', 'link:https://wire.example/s/3']);
  });

  it('keeps the original link and title for output', () => {
    const [item] = prepareItems([parsed(`UPDATE 2-${RATES_TITLE}`, RATES_PARAGRAPHS, { link: 'https://wire.example/a?utm_source=x' })]).prepared;
    expect(item?.title).toBe(`UPDATE 2-${RATES_TITLE}`);
    expect(item?.link).toBe('https://wire.example/a?utm_source=x');
  });
});
