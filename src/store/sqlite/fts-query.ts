// Translates the feed filter's query syntax (words, "quoted phrases", OR, -word) into an SQLite FTS5 MATCH expression.
import { StoreError } from '../errors.ts';

/**
 * `lithium "price cap" OR cobalt -battery` → `"lithium" ("price cap" OR "cobalt") NOT ("battery")`.
 * Every term is quoted, so FTS5 operators and punctuation in user text are never interpreted.
 */
export function toFts5Query(query: string): string {
  const tokens = [...query.matchAll(/(-?)"([^"]*)"|(\S+)/g)].map((m) => {
    const negative = m[1] === '-' || (m[3]?.startsWith('-') ?? false);
    const text = (m[2] ?? m[3]?.replace(/^-/, '') ?? '').replace(/"/g, '').trim();
    return { text, negative, isOr: m[3] === 'OR' };
  });
  const groups: string[][] = [];
  const negatives: string[] = [];
  let joinNext = false;
  for (const token of tokens) {
    if (token.isOr) {
      joinNext = groups.length > 0;
      continue;
    }
    if (!token.text) continue;
    const quoted = `"${token.text}"`;
    if (token.negative) negatives.push(quoted);
    else if (joinNext) groups.at(-1)?.push(quoted);
    else groups.push([quoted]);
    joinNext = false;
  }
  if (groups.length === 0) {
    throw new StoreError('STORE_NOT_FOUND', `the query ${JSON.stringify(query)} has no word to look for (only exclusions or operators)`);
  }
  const positive = groups.map((g) => (g.length > 1 ? `(${g.join(' OR ')})` : g[0])).join(' ');
  return negatives.length > 0 ? `${positive} NOT (${negatives.join(' OR ')})` : positive;
}
