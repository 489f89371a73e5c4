// Validates rendered feeds with outside tools: ajv + the sonicdoe JSON Feed schema, xmllint, feedparser, xsltproc.
// Usage: tsx scripts/validate-outputs.ts [--schema DIR] [--dir RENDERED_DIR] [--keep DIR]
//   --schema  the sonicdoe-jsonfeed-schema folder (default ../shared/corpora/jsonfeed-spec/sonicdoe-jsonfeed-schema/)
//   --dir     validate the feeds a `wiredesk render --out DIR` wrote, instead of the built-in samples
//   --keep    write the built-in samples to this folder (they go to a temp folder otherwise)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { FEED_XSL, renderAtom, renderJsonFeed, renderOpml, renderRss } from '../src/publish/index.ts';
import { buildManyStories, buildMeta, buildStories } from '../tests/fixtures/publish/stories.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { schema: { type: 'string' }, dir: { type: 'string' }, keep: { type: 'string' } } });
const schemaDir = resolve(root, values.schema ?? '../shared/corpora/jsonfeed-spec/sonicdoe-jsonfeed-schema/');
const failures: string[] = [];
const fail = (what: string) => {
  failures.push(what);
  console.log(`FAIL ${what}`);
};

function hasTool(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

/** The built-in samples: the fixture stories (hostile text included), an empty feed and a 200-story feed, timed. */
function writeSamples(dir: string): void {
  mkdirSync(join(dir, 'feeds'), { recursive: true });
  const meta = buildMeta({ hubUrl: 'https://hub.example.net/?a=1&b=2' });
  const many = buildManyStories(200);
  const sets = { sample: buildStories(), empty: [], large: many };
  for (const [name, stories] of Object.entries(sets)) {
    const feedMeta = { ...meta, id: name, selfUrl: `${meta.baseUrl}/feeds/${name}`, htmlUrl: `${meta.baseUrl}/feeds/${name}` };
    writeFileSync(join(dir, 'feeds', `${name}.rss`), renderRss(feedMeta, stories));
    writeFileSync(join(dir, 'feeds', `${name}.atom`), renderAtom(feedMeta, stories));
    writeFileSync(join(dir, 'feeds', `${name}.json`), renderJsonFeed(feedMeta, stories));
  }
  writeFileSync(join(dir, 'feeds.opml'), renderOpml([meta]));
  writeFileSync(join(dir, 'feed.xsl'), FEED_XSL);
  for (const [label, renderer] of [['rss', renderRss], ['atom', renderAtom], ['json', renderJsonFeed]] as const) {
    const rounds = 20;
    const started = performance.now();
    let bytes = 0;
    for (let round = 0; round < rounds; round += 1) bytes = renderer(meta, many).length;
    const ms = (performance.now() - started) / rounds;
    console.log(`time  ${label}: ${ms.toFixed(1)} ms per 200-story feed (${(bytes / 1024).toFixed(0)} KiB)`);
  }
}

function validateJson(files: string[]): void {
  const schemaFile = join(schemaDir, 'schemas', 'schema-v1.1.json');
  if (!existsSync(schemaFile)) return fail(`JSON Feed schema not found at ${schemaFile} (pass --schema DIR)`);
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  for (const file of files) {
    const feed = JSON.parse(readFileSync(file, 'utf8')) as { items?: { id: string }[] };
    if (!validate(feed)) fail(`${file}: ${ajv.errorsText(validate.errors)}`);
    const ids = (feed.items ?? []).map((item) => item.id);
    if (new Set(ids).size !== ids.length) fail(`${file}: duplicate item ids`);
    console.log(`ok    ajv schema-v1.1 ${file} (${ids.length} items)`);
  }
}

function validateXml(files: string[]): void {
  if (!hasTool('xmllint', ['--version'])) return console.log('skip  xmllint not installed (apt-get install libxml2-utils)');
  for (const file of files) {
    const result = spawnSync('xmllint', ['--noout', '--nonet', file], { encoding: 'utf8' });
    if (result.status !== 0) fail(`xmllint ${file}: ${result.stderr.trim()}`);
    else console.log(`ok    xmllint ${file}`);
  }
}

/** feedparser (Debian's python3-feedparser) must read RSS and Atom without bozo and see the JSON Feed's items. */
function validateWithFeedparser(xmlFiles: string[]): void {
  const python = '/usr/bin/python3';
  if (!existsSync(python) || !hasTool(python, ['-c', 'import feedparser'])) {
    return console.log('skip  feedparser not installed (apt-get install python3-feedparser)');
  }
  const script = 'import feedparser,json,sys\nd=feedparser.parse(sys.argv[1])\nprint(json.dumps({"bozo":d.bozo,"error":str(d.get("bozo_exception","")),"ids":[e.get("id") for e in d.entries],"titles":[e.get("title") for e in d.entries]}))';
  for (const file of xmlFiles) {
    const result = spawnSync(python, ['-c', script, file], { encoding: 'utf8' });
    if (result.status !== 0) {
      fail(`feedparser ${file}: ${result.stderr.trim()}`);
      continue;
    }
    const parsed = JSON.parse(result.stdout) as { bozo: boolean | number; error: string; ids: string[]; titles: string[] };
    const json = JSON.parse(readFileSync(file.replace(/\.(rss|atom)$/, '.json'), 'utf8')) as { items: { id: string; title?: string }[] };
    if (parsed.bozo) fail(`feedparser ${file}: bozo (${parsed.error})`);
    else if (JSON.stringify(parsed.ids) !== JSON.stringify(json.items.map((item) => item.id))) fail(`feedparser ${file}: ids differ from the JSON Feed`);
    else if (JSON.stringify(parsed.titles) !== JSON.stringify(json.items.map((item) => item.title ?? ''))) fail(`feedparser ${file}: titles differ from the JSON Feed`);
    else console.log(`ok    feedparser ${file} (${parsed.ids.length} entries, same ids and titles as JSON Feed)`);
  }
}

/** xsltproc applies feed.xsl to each RSS/Atom file: the browser view must transform without errors. */
function validateXslt(dir: string, xmlFiles: string[]): void {
  if (!hasTool('xsltproc', ['--version'])) return console.log('skip  xsltproc not installed (apt-get install xsltproc)');
  const xsl = existsSync(join(dir, 'feed.xsl')) ? join(dir, 'feed.xsl') : join(mkdtempSync(join(tmpdir(), 'wd-xsl-')), 'feed.xsl');
  if (!existsSync(xsl)) writeFileSync(xsl, FEED_XSL);
  for (const file of xmlFiles) {
    const result = spawnSync('xsltproc', ['--nonet', xsl, file], { encoding: 'utf8' });
    const titles = (result.stdout.match(/<article class="story">/g) ?? []).length;
    const entries = (readFileSync(file, 'utf8').match(/<(item|entry)[\s>]/g) ?? []).length;
    if (result.status !== 0 || titles !== entries) fail(`xsltproc ${file}: status ${result.status}, ${titles}/${entries} stories ${result.stderr.trim()}`);
    else console.log(`ok    xsltproc feed.xsl ${file} (${titles} stories rendered)`);
  }
}

const dir = values.dir ? resolve(values.dir) : values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'wiredesk-outputs-'));
if (!values.dir) writeSamples(dir);
const feedFiles = readdirSync(join(dir, 'feeds')).map((name) => join(dir, 'feeds', name));
const xmlFiles = feedFiles.filter((file) => /\.(rss|atom)$/.test(file));
validateJson(feedFiles.filter((file) => file.endsWith('.json')));
validateXml([...xmlFiles, ...[join(dir, 'feeds.opml'), join(dir, 'feed.xsl')].filter(existsSync)]);
validateWithFeedparser(xmlFiles);
validateXslt(dir, xmlFiles);
console.log(failures.length === 0 ? `all outputs valid (${dir})` : `${failures.length} failure(s)`);
process.exitCode = failures.length === 0 ? 0 : 1;
