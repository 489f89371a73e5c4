// Opens the store backend named by the database setting: a file path (or :memory:) is SQLite.
import { SqliteStore } from './sqlite/index.ts';
import type { Store } from './types.ts';

export type { Store, SourceRecord, StoryQuery, IngestResult, SourceStatus, StoredDecision, StoreCounts } from './types.ts';
export { StoreError } from './errors.ts';

/** Opens the store at `database` and brings its schema up to date. */
export async function openStore(database: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(database)) {
    throw new Error('PostgreSQL is planned but not built yet: use a SQLite file path for database');
  }
  return new SqliteStore(database);
}
