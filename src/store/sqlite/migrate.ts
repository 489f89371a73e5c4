// Opens a SQLite database and applies db/migrations/NNNN_name.sql in order, each in its own transaction.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../db/migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped with this code, in order. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(`${dir}/${file}`, 'utf8'),
    }));
}

/** Opens the database file with the pragmas Wiredesk relies on (WAL, foreign keys, a busy timeout for CLI beside daemon). */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new StoreError('STORE_OPEN', `cannot open database ${path}: ${(error as Error).message}`, { cause: error });
  }
  db.pragma('busy_timeout = 5000');
  if (!options.readonly && path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** The version recorded in the database (0 for a new file). */
export function readSchemaVersion(db: Database.Database): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Applies pending migrations. A database written by a newer Wiredesk is refused, and a failing migration is
 * rolled back whole, so the previous version stays intact.
 */
export function applyMigrations(db: Database.Database, migrations = listMigrations()): { from: number; to: number; applied: string[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const from = readSchemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new StoreError(
      'STORE_TOO_NEW',
      `the database is at schema version ${from}, newer than this Wiredesk knows (${latest}): upgrade Wiredesk or restore a backup`,
    );
  }
  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const run = db.transaction(() => {
      // re-read inside the write lock: another process may have applied it since we looked
      if (readSchemaVersion(db) >= migration.version) return false;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      return true;
    });
    try {
      if (run.immediate()) applied.push(`${String(migration.version).padStart(4, '0')}_${migration.name}`);
    } catch (error) {
      throw new StoreError(
        'STORE_MIGRATION_FAILED',
        `migration ${String(migration.version).padStart(4, '0')}_${migration.name} failed, database left at version ${readSchemaVersion(db)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return { from, to: readSchemaVersion(db), applied };
}
