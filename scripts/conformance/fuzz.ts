// Mutation fuzzing over the corpora: truncations, byte flips, inserted markup, spliced halves. Every outcome must be a
// ParsedFeed or a ParseError, never another exception. Usage: npx tsx scripts/conformance/fuzz.ts [SECONDS] [CORPORA_DIR]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFeed, ParseError } from '../../src/parse/index.ts';

const seconds = Number(process.argv[2] ?? 60);
const corpora = resolve(process.argv[3] ?? '../shared/corpora');
const files: string[] = [];
const walk = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(xml|rss|atom|json|rdf)$/.test(name) && !name.includes('serde') && name !== 'EXPECTATIONS.json') files.push(path);
  }
};
walk(corpora);

// A fixed-seed generator so a failing run can be repeated.
let seed = 42;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = (n: number): number => Math.floor(random() * n);
const INSERTS = ['<', '&', ']]>', '<![CDATA[', '<!--', '"', '</item>', '<item>', '\u0000', '&#x0;', '&#99999999;', '<a x:="1" :y>', '<!DOCTYPE x [<!ENTITY e "&e;">]>'];

function mutate(bytes: Buffer): Buffer {
  switch (pick(4)) {
    case 0: return bytes.subarray(0, pick(bytes.length));
    case 1: {
      const out = Buffer.from(bytes);
      for (let i = 0; i < 10; i++) out[pick(out.length)] = pick(256);
      return out;
    }
    case 2: {
      const text = bytes.toString('latin1');
      const at = pick(text.length);
      return Buffer.from(text.slice(0, at) + (INSERTS[pick(INSERTS.length)] ?? '') + text.slice(at), 'latin1');
    }
    default: return Buffer.concat([bytes.subarray(0, pick(bytes.length)), bytes.subarray(pick(bytes.length))]);
  }
}

let runs = 0;
let crashes = 0;
let slowest = 0;
const started = Date.now();
while (Date.now() - started < seconds * 1000) {
  const file = files[pick(files.length)] as string;
  const input = mutate(readFileSync(file));
  runs++;
  const start = performance.now();
  try {
    parseFeed(input, { baseUrl: 'http://127.0.0.1:8097/feed' });
  } catch (error) {
    if (!(error instanceof ParseError)) {
      crashes++;
      if (crashes <= 10) console.log(`CRASH ${file}: ${(error as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
    }
  }
  slowest = Math.max(slowest, performance.now() - start);
}
console.log(JSON.stringify({ runs, crashes, slowest_ms: Math.round(slowest) }));
process.exitCode = crashes > 0 ? 1 : 0;
