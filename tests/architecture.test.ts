// The dependency rules of STYLE.md, checked by reading the imports: stages never import one another.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level src folders (or files) a file imports, by relative specifier. */
function importedAreas(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const areas = new Set<string>();
  for (const match of text.matchAll(/from '(\.[^']+)'/g)) {
    const target = relative(SRC, join(file, '..', match[1] as string));
    areas.add(target.split('/')[0] as string);
  }
  return [...areas];
}

/** What each stage may import besides itself (plain types in model/, config types, and for relate the store interface). */
const ALLOWED: Record<string, string[]> = {
  model: [],
  config: ['model'],
  schedule: ['model', 'config'],
  fetch: ['model', 'config'],
  parse: ['model'],
  dedupe: ['model', 'config'],
  tag: ['model', 'config'],
  publish: ['model'],
  store: ['model'],
  relate: ['model', 'store'],
};

describe('architecture', () => {
  for (const [stage, allowed] of Object.entries(ALLOWED)) {
    it(`${stage}/ imports only ${[stage, ...allowed].join(', ')}`, () => {
      const offending = filesUnder(join(SRC, stage)).flatMap((file) =>
        importedAreas(file)
          .filter((area) => area !== stage && !allowed.includes(area))
          .map((area) => `${relative(SRC, file)} imports ${area}/`),
      );
      expect(offending).toEqual([]);
    });
  }

  it('only store/ imports better-sqlite3, and relate/ only the store interface (types.ts)', () => {
    const files = filesUnder(SRC);
    expect(files.filter((f) => !relative(SRC, f).startsWith('store/') && /from 'better-sqlite3'/.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f))).toEqual([]);
    const relateImports = filesUnder(join(SRC, 'relate')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from '(\.\.\/store\/[^']+)'/g)].map((m) => m[1]));
    expect(new Set(relateImports)).toEqual(new Set(['../store/types.ts']));
  });
});
