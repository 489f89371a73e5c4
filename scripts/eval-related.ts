// Related-posts evaluation: Reuters-21578 (or the UCI News Aggregator rows, a .txt path) through the real pipeline (openApp +
// ingestFeed), precision@5 on topic codes (UCI: categories) vs "5 most recent".
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openApp } from '../src/app.ts';
import { validateConfig } from '../src/config/load.ts';
import type { ParsedItem } from '../src/model/item.ts';
import type { StoryView } from '../src/model/story.ts';
import { refreshRelated, resolveRelateOptions, type RelateOptions } from '../src/relate/index.ts';

interface ReutersRow {
  newid: number;
  date: string;
  title: string;
  body: string;
  topics: string[];
  /** Reuters' TOPICS attribute: "YES" stories were coded for topics (an empty list then means none apply); "NO" and "BYPASS" never were. */
  topics_attr?: string;
  /** The publisher's source id and name (UCI rows; Reuters rows are all one wire). */
  source?: string;
  sourceTitle?: string;
  /** UCI: the aggregator's event cluster (rows of one STORY report the same event). */
  story?: string;
}

/**
 * The UCI News Aggregator rows (tab-separated ID, TITLE, URL, PUBLISHER, CATEGORY, STORY, HOSTNAME, TIMESTAMP): headlines
 * only, the category (b, t, e, m) as the one topic, one source per publisher (the few one-row publishers as one).
 */
function readUci(text: string): ReutersRow[] {
  const lines = text.split('\n').filter(Boolean).map((line) => line.split('\t'));
  const counts = new Map<string, number>();
  for (const fields of lines) counts.set(fields[3] ?? '', (counts.get(fields[3] ?? '') ?? 0) + 1);
  return lines.map(([id, title, , publisher = '', category, story, , timestamp]) => {
    const own = (counts.get(publisher) ?? 0) >= 100;
    return {
      newid: Number(id), date: new Date(Number(timestamp)).toISOString(), title: title ?? '', body: '',
      topics: category ? [category] : [], topics_attr: 'YES', story,
      source: own ? publisher.toLowerCase().replace(/[^a-z0-9]+/g, '-') : 'other', sourceTitle: own ? publisher : 'Other publishers',
    };
  });
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: 'string', default: '0' },
    k: { type: 'string', default: '5' },
    'half-life': { type: 'string', default: '' },
    'batch-hours': { type: 'string', default: '1' },
    examples: { type: 'string', default: '3' },
    /** Comma-separated minimum relevances: prints what each would leave (precision against coverage), e.g. --floors 0.3,0.4,0.5. */
    floors: { type: 'string', default: '' },
    /** Exit 1 when precision@k falls below this floor (CI: a regression guard, not the issue's target). */
    check: { type: 'string', default: '' },
    /** Any numeric relate option, e.g. --set perTerm=200 --set weights.text=0.6 (for tuning; defaults are the shipped ones). */
    set: { type: 'string', multiple: true, default: [] },
  },
});

const root = resolve(import.meta.dirname, '..');
const datasetPath = resolve(root, positionals[0] ?? '../shared/datasets/reuters21578/train.jsonl');
const k = Number(values.k);
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const linkOf = (newid: number) => `https://reuters.example/article/${newid}`;

const uci = datasetPath.endsWith('.txt');
const text = readFileSync(datasetPath, 'utf8');
const rows = (uci ? readUci(text) : text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ReutersRow))
  .filter((row) => !Number.isNaN(Date.parse(row.date)) && (row.title.trim() || row.body.trim()))
  .sort((a, b) => a.date.localeCompare(b.date) || a.newid - b.newid);
const corpus = Number(values.limit) > 0 ? rows.slice(0, Number(values.limit)) : rows;
const topicsById = new Map(corpus.map((row) => [row.newid, row.topics]));
const judgedIds = new Set(corpus.filter((row) => row.topics_attr === 'YES' || row.topics.length > 0).map((row) => row.newid));

const relateOptions: Record<string, unknown> = values['half-life'] ? { halfLifeMs: Number(values['half-life']) * 3_600_000 } : {};
for (const setting of values.set ?? []) {
  const [path = '', value] = setting.split('=');
  const [key = '', sub] = path.split('.');
  if (sub) relateOptions[key] = { ...(relateOptions[key] as object), [sub]: Number(value) };
  else relateOptions[key] = Number(value);
}
const dir = mkdtempSync(join(tmpdir(), 'wiredesk-eval-related-'));
const config = validateConfig({
  database: join(dir, 'eval.sqlite'),
  log: { level: 'silent' },
  sources: [...new Map(corpus.map((row) => [row.source ?? 'reuters', row.sourceTitle ?? 'Reuters'] as const))]
    .map(([id, title]) => ({ id, title, attribution: title, path: `eval/${id}.xml` })),
});
const app = await openApp(config, { relate: relateOptions as Partial<RelateOptions> });

// Polls of `batch-hours` of corpus time, each ingested at the end of its window, as a wire would arrive.
const batchMs = Number(values['batch-hours']) * 3_600_000;
let relatePath: 'pipeline' | 'eval' | undefined;
let relateMs = 0;
let relatedComputed = 0;
let ingestMs = 0;
const started = performance.now();
for (let i = 0; i < corpus.length; ) {
  const windowStart = Math.floor(Date.parse(corpus[i]!.date) / batchMs) * batchMs;
  const batches = new Map<string, ParsedItem[]>();
  while (i < corpus.length && Date.parse(corpus[i]!.date) < windowStart + batchMs) {
    const row = corpus[i++]!;
    const batch = batches.get(row.source ?? 'reuters') ?? [];
    batches.set(row.source ?? 'reuters', batch);
    batch.push({
      guid: `${uci ? 'uci' : 'reuters'}-${row.newid}`, title: row.title || row.body.slice(0, 80), link: linkOf(row.newid), published: row.date,
      contentHtml: row.body.split(/\n\s*\n|\n /).map((p) => `<p>${escapeHtml(p.replace(/\s+/g, ' ').trim())}</p>`).join(''),
      categories: [], enclosures: [],
    });
  }
  for (const [source, batch] of batches) {
    const t0 = performance.now();
    const result = (await app.ingestFeed(source, { format: 'rss', items: batch, warnings: [] }, new Date(windowStart + batchMs))) as {
      storiesTouched?: string[]; related?: unknown;
    };
    ingestMs += performance.now() - t0;
    // The lead's pipeline runs the relate stage after each batch once wired (it then reports `related`); until then, run it here.
    if (result.related !== undefined) {
      relatePath = 'pipeline';
    } else {
      relatePath ??= 'eval';
      const t1 = performance.now();
      const summary = await refreshRelated(app.store, result.storiesTouched ?? [], relateOptions as Partial<RelateOptions>);
      relateMs += performance.now() - t1;
      relatedComputed += summary.computed + summary.refreshed;
    }
  }
}
const totalMs = performance.now() - started;

const stories = await app.store.queryStories({ limit: 1_000_000 });
const itemIds = (story: StoryView): number[] =>
  [story.shown.link, ...story.versions.map((v) => v.url), ...story.alsoReportedBy.map((v) => v.url)]
    .map((url) => Number(/\/article\/(\d+)$/.exec(url ?? '')?.[1]))
    .filter((id) => Number.isFinite(id));
const topicsOf = new Map(stories.map((story) => [story.id, new Set(itemIds(story).flatMap((id) => topicsById.get(id) ?? []))]));
/** A story whose items were never coded for topics: a link to it cannot be judged either way. */
const isJudged = new Map(stories.map((story) => [story.id, itemIds(story).some((id) => judgedIds.has(id))]));
const related = await app.store.getRelated(stories.map((s) => s.id), { limit: k });

/** Share of listed stories sharing a topic with the story (micro over all listed), over stories that have topics. */
function precision(
  listOf: (story: StoryView, index: number) => string[],
  judgedOnly = false,
): { precision: number; listed: number; stories: number } {
  let hits = 0;
  let listed = 0;
  let counted = 0;
  stories.forEach((story, index) => {
    const own = topicsOf.get(story.id)!;
    if (own.size === 0) return;
    counted++;
    for (const id of listOf(story, index)) {
      if (judgedOnly && !isJudged.get(id)) continue;
      listed++;
      if ([...(topicsOf.get(id) ?? [])].some((topic) => own.has(topic))) hits++;
    }
  });
  return { precision: listed ? hits / listed : 0, listed, stories: counted };
}

const ours = precision((story) => (related.get(story.id) ?? []).map((r) => r.id));
// Condensed list (Sakai 2007): links to stories never coded for topics (TOPICS="NO"/"BYPASS") left out, not counted as misses.
const oursJudged = precision((story) => (related.get(story.id) ?? []).map((r) => r.id), true);
// Where the misses go: to stories without any topic code (unlabelled, cannot count as a hit) or to other topics.
let toUnlabelled = 0;
let toOtherTopic = 0;
for (const story of stories) {
  const own = topicsOf.get(story.id)!;
  if (own.size === 0) continue;
  for (const r of related.get(story.id) ?? []) {
    const theirs = topicsOf.get(r.id) ?? new Set<string>();
    if (theirs.size === 0) toUnlabelled++;
    else if (![...theirs].some((topic) => own.has(topic))) toOtherTopic++;
  }
}
// stories are newest first: the 5 most recent before a story are the next 5 in the list
const baseline = precision((_story, index) => stories.slice(index + 1, index + 1 + k).map((s) => s.id));
const baselineJudged = precision((_story, index) => stories.slice(index + 1, index + 1 + k).map((s) => s.id), true);
const withTopics = stories.filter((s) => topicsOf.get(s.id)!.size > 0);
// UCI: links to another report of the same event (the aggregator's STORY cluster) that dedupe did not join
const eventById = new Map(corpus.map((row) => [row.newid, row.story]));
const eventsOf = new Map(stories.map((story) => [story.id, new Set(itemIds(story).map((id) => eventById.get(id)).filter(Boolean))]));
let sameEvent = 0;
let links = 0;
for (const story of stories) {
  for (const r of related.get(story.id) ?? []) {
    links++;
    if ([...(eventsOf.get(r.id) ?? [])].some((event) => eventsOf.get(story.id)!.has(event))) sameEvent++;
  }
}
const atLeast = (n: number, list: StoryView[]) => list.filter((s) => (related.get(s.id)?.length ?? 0) >= n).length / Math.max(list.length, 1);
const tagTypes = new Map<string, number>();
for (const story of stories) for (const tag of story.tags) tagTypes.set(tag.split(':')[0]!, (tagTypes.get(tag.split(':')[0]!) ?? 0) + 1);
const options = resolveRelateOptions(relateOptions as Partial<RelateOptions>);

console.log(`# Related posts on ${uci ? 'the UCI News Aggregator rows (headlines only; topic = category b/t/e/m)' : 'Reuters-21578'} (${datasetPath})`);
console.log(`items ${corpus.length}, stories ${stories.length} (${withTopics.length} with topic codes), batches of ${values['batch-hours']} h`);
console.log(`tags per type: ${[...tagTypes].map(([t, n]) => `${t} ${n}`).join(', ') || 'none'} (${(stories.filter((s) => s.tags.length > 0).length / stories.length * 100).toFixed(1)}% of stories tagged)`);
console.log(`relate stage run by: ${relatePath}; half-life ${options.halfLifeMs / 3_600_000} h, keep ${options.keep}${values.set?.length ? `; set ${values.set.join(' ')}` : ''}`);
const space = await app.store.subjectModelInfo();
console.log(space
  ? `subject space: fit ${space.version} (${space.dims} dimensions, on the latest ${space.sample} of ${space.stories} stories)`
  : `subject space: none (fewer than ${options.subjectMinStories} stories, or subjectDims 0)`);
console.log('');
console.log(`| measure | related posts | baseline (${k} most recent) |`);
console.log('|---|---|---|');
console.log(`| precision@${k} (share sharing a topic code, stories with topics) | **${ours.precision.toFixed(3)}** (${ours.listed} links) | ${baseline.precision.toFixed(3)} (${baseline.listed} links) |`);
console.log(`| precision@${k} over judged links (links to stories never coded for topics left out) | ${oursJudged.precision.toFixed(3)} (${oursJudged.listed} links) | ${baselineJudged.precision.toFixed(3)} (${baselineJudged.listed} links) |`);
console.log(`| stories with >= 3 related (with topics / all) | ${(atLeast(3, withTopics) * 100).toFixed(1)}% / ${(atLeast(3, stories) * 100).toFixed(1)}% | 100% |`);
console.log(`| misses: to unlabelled stories / to other topics | ${toUnlabelled} / ${toOtherTopic} | |`);
console.log(`| stories with >= 1 related (all) | ${(atLeast(1, stories) * 100).toFixed(1)}% | 100% |`);
if (uci) {
  console.log(`| links to another report of the same event (STORY cluster; dedupe did not join them) | ${(sameEvent / Math.max(links, 1) * 100).toFixed(1)}% of ${links} | |`);
  // The rows were collected category by category, so the most recent stories mostly share one: that baseline measures
  // the collection more than relatedness. Chance is what two stories drawn at random share.
  const shares = new Map<string, number>();
  for (const story of withTopics) for (const topic of topicsOf.get(story.id)!) shares.set(topic, (shares.get(topic) ?? 0) + 1 / withTopics.length);
  console.log(`| chance (two stories drawn at random share the category) | | ${[...shares.values()].reduce((sum, p) => sum + p * p, 0).toFixed(3)} |`);
}
console.log('');
const perStory = relatedComputed ? relateMs / relatedComputed : 0;
console.log(`time: total ${(totalMs / 1000).toFixed(1)} s, ingest (dedupe+tag+store) ${(ingestMs / 1000).toFixed(1)} s, relate ${(relateMs / 1000).toFixed(1)} s` +
  (relatePath === 'eval' ? ` (${relatedComputed} computations, ${perStory.toFixed(2)} ms each incl. indexing)` : ' (inside ingest)'));

if (values.floors) {
  // What a minimum relevance would trade: precision of the links left against the stories left with 3 or more.
  console.log('\n| minimum relevance (before recency) | precision@5 | over judged links | stories with >= 3 (with topics) | with >= 1 (all) |');
  console.log('|---|---|---|---|---|');
  for (const floor of values.floors.split(',').map(Number)) {
    const kept = (story: StoryView) => (related.get(story.id) ?? [])
      .filter((r) => r.score / (1 - options.recencyShare + options.recencyShare * r.parts.recency) >= floor).map((r) => r.id);
    const all = precision(kept);
    const judged = precision(kept, true);
    const three = withTopics.filter((s) => kept(s).length >= 3).length / Math.max(withTopics.length, 1);
    const one = stories.filter((s) => kept(s).length >= 1).length / Math.max(stories.length, 1);
    console.log(`| ${floor} | ${all.precision.toFixed(3)} (${all.listed} links) | ${judged.precision.toFixed(3)} | ${(three * 100).toFixed(1)}% | ${(one * 100).toFixed(1)}% |`);
  }
}
const examples = Number(values.examples);
if (examples > 0) {
  console.log('\nExamples (first stories with topics and 5 related, every 1000th):');
  const sample = withTopics.filter((s) => (related.get(s.id)?.length ?? 0) >= k).filter((_s, i) => i % 1000 === 0).slice(0, examples);
  for (const story of sample) {
    console.log(`\n- ${story.shown.title} [${[...topicsOf.get(story.id)!].join(' ')}] tags: ${story.tags.join(', ')}`);
    for (const r of related.get(story.id) ?? []) {
      console.log(`  - ${r.score.toFixed(3)} ${r.title} [${[...(topicsOf.get(r.id) ?? [])].join(' ')}] (tags ${r.parts.tags}, text ${r.parts.text}${r.parts.subject === undefined ? '' : `, subject ${r.parts.subject}`}, recency ${r.parts.recency}; ${r.parts.shared.join(', ')})`);
    }
  }
}
await app.close();
rmSync(dir, { recursive: true, force: true });
if (values.check) {
  const floor = Number(values.check);
  if (ours.precision < floor) {
    console.error(`\nprecision@${k} ${ours.precision.toFixed(3)} is below the floor ${floor}`);
    process.exitCode = 1;
  } else console.log(`\nprecision@${k} ${ours.precision.toFixed(3)} meets the floor ${floor}`);
}
