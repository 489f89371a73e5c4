// `wiredesk migrate`, `backup FILE`, `purge` and `stats`: database maintenance from the command line.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runRetention } from '../pipeline/retention.ts';
import { applyMigrations, openDatabase } from '../store/sqlite/migrate.ts';
import { isDaemonRunning } from './lock.ts';
import { CommandError, formatTable, loadConfigOrFail, print, withApp } from './shared.ts';

export async function migrateCommand(options: { config: string }): Promise<number> {
  const config = loadConfigOrFail(options.config);
  const pid = isDaemonRunning(config.database);
  if (pid !== undefined) throw new CommandError(`the daemon (pid ${pid}) is running on ${config.database}: stop it before migrating`, 3);
  const db = openDatabase(config.database);
  try {
    const result = applyMigrations(db);
    print(result.applied.length ? `migrated ${config.database} from version ${result.from} to ${result.to}: ${result.applied.join(', ')}` : `${config.database} is up to date (version ${result.to})`);
    return 0;
  } finally {
    db.close();
  }
}

export async function backupCommand(options: { config: string }, file: string): Promise<number> {
  const target = resolve(file);
  if (existsSync(target)) throw new CommandError(`${target} exists: a backup never overwrites a file`);
  return withApp(options.config, async (app) => {
    await app.store.backupTo(target);
    print(`backed up ${app.config.database} to ${target} (${statSync(target).size} bytes)`);
    return 0;
  });
}

export async function purgeCommand(options: { config: string }): Promise<number> {
  return withApp(options.config, async (app) => {
    const purged = await runRetention(app);
    print(`purged ${purged} stories older than their retention`);
    return 0;
  });
}

export async function statsCommand(options: { config: string; json?: boolean }): Promise<number> {
  return withApp(options.config, async (app) => {
    const counts = await app.store.counts();
    const statuses = await app.store.sourceStatuses();
    const size = app.config.database === ':memory:' || !existsSync(app.config.database) ? 0 : statSync(app.config.database).size;
    const stats = {
      database: app.config.database,
      database_bytes: size,
      schema_version: await app.store.schemaVersion(),
      sources: counts.sources,
      failing_sources: statuses.filter((s) => s.isFailing).length,
      items: counts.items,
      stories: counts.stories,
      duplicates_merged: Math.max(0, counts.items - counts.stories),
      last_change: (await app.store.lastChange()) ?? null,
    };
    if (options.json) print(JSON.stringify(stats, null, 2));
    else print(formatTable(['stat', 'value'], Object.entries(stats).map(([k, v]) => [k, v ?? '-'])));
    return 0;
  });
}
