// Related-posts benchmark: time to relate one new story among 100k stored ones (Zipf words and tags), median and p99.
// Run: npx tsx bench/related.ts [--stories 100000] [--new 500] [--set perTerm=40] [--keep (leaves the database for profiling)]. Also usable as a section of bench/run.ts (runRelated).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { PreparedItem } from '../src/model/story.ts';
import { computeRelated, foldSubject, refitSubjects, refoldStale, refreshRelated, resolveRelateOptions, type RelateOptions } from '../src/relate/index.ts';
import { extractTerms } from '../src/relate/text.ts';
import { SqliteStore } from '../src/store/sqlite/index.ts';
import type { RelatedDoc } from '../src/store/types.ts';
import { createRandom, median, quantile, type Reporter } from './lib/stats.ts';
import type { BenchMode } from './lib/mode.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-10-01T00:00:00Z');

/** A sampler of ranks 0..n-1 with Zipf(s) frequencies: a few very common values, a long tail of rare ones. */
function createZipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A pronounceable word for a rank (letters only: the index drops bare numbers). */
function wordOf(rank: number): string {
  const syllables = ['ba', 'ko', 'ri', 'su', 'te', 'mo', 'la', 'ne', 'pi', 'du', 'ga', 've', 'zo', 'fi', 'ch', 'st'];
  let word = '';
  let n = rank + 16;
  while (n > 0) {
    word += syllables[n % 16];
    n = Math.floor(n / 16);
  }
  return word;
}

/** The index entry of the i-th synthetic story: Zipf words in title and lead, Zipf places, people, orgs and topics. */
function createDocFactory(seed: number, total: number) {
  const random = createRandom(seed);
  const words = createZipf(50_000, 1.0, random);
  const places = createZipf(250, 1.2, random);
  const people = createZipf(30_000, 0.9, random);
  const orgs = createZipf(8_000, 1.0, random);
  const topics = createZipf(40, 1.0, random);
  const spanMs = 30 * DAY;
  return (i: number, storyId: string): RelatedDoc => {
    const title = Array.from({ length: 7 }, () => wordOf(words())).join(' ');
    const lead = Array.from({ length: 45 }, () => wordOf(words())).join(' ');
    const tags = new Set<string>([`place:Place ${places()}`, `topic:t${topics()}`]);
    if (random() < 0.5) tags.add(`place:Place ${places()}`);
    for (let k = Math.floor(random() * 3); k > 0; k--) tags.add(`person:Person ${people()}`);
    for (let k = Math.floor(random() * 3); k > 0; k--) tags.add(`org:Org ${orgs()}`);
    return {
      storyId, date: new Date(START + Math.floor((i / total) * spanMs)).toISOString(), title, lead,
      link: `https://bench.example/${i}`, sourceTitle: 'Bench Wire', tags: [...tags], terms: extractTerms(title, lead),
    };
  };
}

/** The stored item of a synthetic story: the same title, text and tags as its index entry. */
function itemOf(i: number, doc: RelatedDoc): PreparedItem {
  return {
    identity: `guid:${i}`, guid: String(i), title: doc.title, link: doc.link, published: doc.date, contentHtml: `<p>${doc.lead}</p>`,
    categories: [], enclosures: [], contentHash: String(i), dedupeKeys: [], tags: doc.tags.map((tag) => ({ tag, origin: 'bench' })),
  };
}

/** Wall-clock and CPU milliseconds of one call: on a shared machine the CPU time is the figure that other load does not inflate. */
async function timeCall(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - t0, cpu: (used.user + used.system) / 1000 };
}

const summarize = (values: number[]) => ({ median: median(values), p99: quantile(values, 0.99) });

interface Figures {
  median: number;
  p99: number;
}

export interface RelatedBenchResult {
  stories: number;
  buildSeconds: number;
  /** Stories re-folded into the fit after it was made, and the time per 1,000 of them (one slice of `subjectRefold` at a time). */
  refolded: number;
  refold: { wall: Figures; cpu: Figures };
  compute: { wall: Figures; cpu: Figures };
  save: { wall: Figures; cpu: Figures };
  refresh: { wall: Figures; cpu: Figures };
}

/** Builds a store of `stories` indexed stories, then relates `fresh` new ones, one at a time. */
export async function benchRelated(
  stories: number,
  fresh: number,
  dir: string,
  log: (line: string) => void,
  settings: Partial<RelateOptions> = {},
): Promise<RelatedBenchResult> {
  const store = new SqliteStore(join(dir, 'related-bench.sqlite'));
  await store.syncSources([{ id: 'bench', title: 'Bench Wire', attribution: 'Bench', priority: 0, republish: 'full', path: 'x', configHash: 'x' }]);
  const total = stories + fresh;
  const docOf = createDocFactory(42, total);
  const newStory = () => ({ rule: 'new-story' });
  const built = performance.now();
  const ids: string[] = [];
  const docs: RelatedDoc[] = [];
  const add = async (from: number, to: number, index: boolean) => {
    const items = [];
    const batch: RelatedDoc[] = [];
    for (let i = from; i < to; i++) {
      const doc = docOf(i, '');
      batch.push(doc);
      items.push(itemOf(i, doc));
    }
    const result = await store.ingestBatch('bench', items, newStory, { now: new Date(START + 31 * DAY), windowMs: DAY });
    result.storiesTouched.forEach((id, k) => {
      ids[from + k] = id;
      docs[from + k] = { ...(batch[k] as RelatedDoc), storyId: id };
    });
    if (index) await store.indexStories(docs.slice(from, to));
  };
  for (let i = 0; i < stories; i += 1000) {
    await add(i, Math.min(stories, i + 1000), true);
    if (i % 20_000 === 0) log(`  related bench: ${i} stories stored and indexed`);
  }
  await add(stories, total, false);
  const options = resolveRelateOptions(settings);
  // the subject space the relate stage would have fitted by now (latest stories), and new stories folded into it
  const { model } = await refitSubjects(store, options);
  // the older stories re-folded into that fit, as the relate stage does a slice per batch after a refit (timed per slice)
  const refold: { wall: number; cpu: number }[] = [];
  let refolded = 0;
  while (model) {
    const vectors = new Map<string, Float32Array>();
    let count = 0;
    const time = await timeCall(async () => {
      count = await refoldStale(store, model, options.subjectRefold, vectors, options.subjectRefoldDepth);
      await store.saveSubjectVectors(model.version, vectors);
    });
    if (count === 0) break;
    refolded += count;
    refold.push({ wall: (time.wall / count) * 1000, cpu: (time.cpu / count) * 1000 });
  }
  const buildSeconds = (performance.now() - built) / 1000;
  const withSubject = (doc: RelatedDoc): RelatedDoc => {
    const vector = model ? foldSubject(model, doc.termCounts ?? doc.terms.map((term): [string, number] => [term, 1])) : undefined;
    return model && vector ? { ...doc, subject: { version: model.version, vector } } : doc;
  };

  // compute: candidates + scoring for a new story already indexed (what refresh does per story), then its save
  // timed apart (the relate stage writes a whole batch's lists in one commit)
  const compute: { wall: number; cpu: number }[] = [];
  const save: { wall: number; cpu: number }[] = [];
  const refresh: { wall: number; cpu: number }[] = [];
  for (let k = 0; k < fresh; k++) {
    const id = ids[stories + k] as string;
    if (k % 2 === 0) {
      await store.indexStories([withSubject(docs[stories + k] as RelatedDoc)]);
      let picks: Awaited<ReturnType<typeof computeRelated>> = [];
      compute.push(await timeCall(async () => (picks = await computeRelated(store, id, options))));
      save.push(await timeCall(() => store.saveRelated(id, picks)));
    } else {
      // the whole stage for a one-story batch: load view, index, compute, save, refresh up to 5 neighbours
      refresh.push(await timeCall(() => refreshRelated(store, [id], options)));
    }
  }
  await store.close();
  return {
    stories, buildSeconds, refolded,
    refold: { wall: summarize(refold.map((t) => t.wall)), cpu: summarize(refold.map((t) => t.cpu)) },
    compute: { wall: summarize(compute.map((t) => t.wall)), cpu: summarize(compute.map((t) => t.cpu)) },
    save: { wall: summarize(save.map((t) => t.wall)), cpu: summarize(save.map((t) => t.cpu)) },
    refresh: { wall: summarize(refresh.map((t) => t.wall)), cpu: summarize(refresh.map((t) => t.cpu)) },
  };
}

/** bench/run.ts section: 100k stories (10k with --quick). */
export async function runRelated(mode: BenchMode, report: Reporter): Promise<void> {
  const stories = mode.quick ? 10_000 : 100_000;
  const result = await benchRelated(stories, mode.quick ? 200 : 500, mode.workDir, mode.log);
  const at = `${stories / 1000}k stories`;
  const { compute, save, refresh } = result;
  report.add({ section: 'related', metric: `relate one new story at ${at} (candidates + scoring), CPU (median)`, value: compute.cpu.median, unit: 'ms', goal: '< 5 ms', met: compute.cpu.median < 5 });
  report.add({ section: 'related', metric: `relate one new story at ${at}, CPU (p99)`, value: compute.cpu.p99, unit: 'ms' });
  report.add({ section: 'related', metric: `relate one new story at ${at}, wall clock (median)`, value: compute.wall.median, unit: 'ms' });
  report.add({ section: 'related', metric: `save one story's related list (one commit) at ${at}, CPU (median)`, value: save.cpu.median, unit: 'ms' });
  report.add({ section: 'related', metric: `relate stage per one-story batch with neighbour refresh at ${at}, CPU (median)`, value: refresh.cpu.median, unit: 'ms' });
  report.add({
    section: 'related', metric: `re-fold older stories into a new subject fit at ${at}, CPU per 1,000 stories (median)`, value: result.refold.cpu.median, unit: 'ms',
    note: `${result.refolded} stories, in slices of ${resolveRelateOptions().subjectRefold}`,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { stories: { type: 'string', default: '100000' }, new: { type: 'string', default: '500' }, keep: { type: 'boolean', default: false },
    /** A numeric relate option, e.g. --set perTerm=40 (to compare settings side by side: run two at once). */
    set: { type: 'string', multiple: true, default: [] } } });
  const settings = Object.fromEntries((values.set ?? []).map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])])) as Partial<RelateOptions>;
  const dir = mkdtempSync(join(tmpdir(), 'wiredesk-bench-related-'));
  try {
    const r = await benchRelated(Number(values.stories), Number(values.new), dir, (line) => console.log(line), settings);
    console.log(`related posts at ${r.stories} stories${values.set?.length ? ` (set ${values.set.join(' ')})` : ''} (built and indexed in ${r.buildSeconds.toFixed(0)} s; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    const line = (f: { wall: Figures; cpu: Figures }) =>
      `CPU median ${f.cpu.median.toFixed(2)} ms, p99 ${f.cpu.p99.toFixed(2)} ms; wall clock median ${f.wall.median.toFixed(2)} ms, p99 ${f.wall.p99.toFixed(2)} ms`;
    console.log(`  compute one new story (candidates + score): ${line(r.compute)}`);

    console.log(`  save its list (one commit): ${line(r.save)}`);
    console.log(`  re-fold ${r.refolded} older stories into the fit, per 1,000: ${line(r.refold)}`);
    console.log(`  whole stage for a one-story batch (view, index, compute, merge into <= 5 older lists, save): ${line(r.refresh)}`);
  } finally {
    if (values.keep) console.log(`kept ${join(dir, 'related-bench.sqlite')}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
