// Operating the real daemon: single instance, migrate/backup beside it, SIGHUP reloads, stop with a hanging upstream, crash safety, retention.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runWiredesk, startFixtureServer, startWiredesk, waitFor, writeTempConfig, type DaemonProcess } from './harness.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function rssWith(count: number, prefix = 'Item', date = '2026-11-24T10:00:00Z'): string {
  const items = Array.from({ length: count }, (_, i) => {
    const pub = new Date(Date.parse(date) - i * 60_000).toUTCString();
    return `<item><title>${prefix} ${i}: council votes on budget line ${i * 7}</title><link>https://example.test/${prefix.toLowerCase()}/${i}</link><guid isPermaLink="false">${prefix}-${i}</guid><pubDate>${pub}</pubDate><description>Story number ${i} about topic ${i % 97} with distinct words alpha${i} beta${i * 3} gamma${i * 11}.</description></item>`;
  }).join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title><link>https://example.test/</link><description>t</description>${items}</channel></rss>`;
}

function daemon(args: string[]): DaemonProcess {
  const proc = startWiredesk(args);
  cleanups.push(() => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  });
  return proc;
}

function tempConfig(yaml: (dir: string) => string) {
  const temp = writeTempConfig(yaml);
  cleanups.push(() => rmSync(temp.dir, { recursive: true, force: true }));
  return temp;
}

describe('operating the daemon', () => {
  it('refuses a second daemon on the same database; migrate is refused beside it, backup works', async () => {
    const temp = tempConfig((dir) => {
      writeFileSync(join(dir, 'a.rss'), rssWith(5));
      return `server: { port: 0 }\ndatabase: ${dir}/wiredesk.sqlite\nsources: [{ id: a, path: ${dir}/a.rss }]\nfeeds: [{ id: all, title: All }]\n`;
    });
    const first = daemon(['run', '--config', temp.configPath]);
    await first.url;
    const second = await runWiredesk(['run', '--config', temp.configPath]);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/another wiredesk daemon \(pid \d+\) is running on .*wiredesk\.sqlite/);
    const migrate = await runWiredesk(['migrate', '--config', temp.configPath]);
    expect(migrate.code).toBe(3);
    expect(migrate.stderr).toMatch(/stop it before migrating/);
    const backup = await runWiredesk(['backup', join(temp.dir, 'copy.sqlite'), '--config', temp.configPath]);
    expect(backup.code).toBe(0);
    const copy = new Database(join(temp.dir, 'copy.sqlite'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);
    expect(existsSync(`${temp.database}.lock`)).toBe(false);
  }, 60_000);

  it('SIGHUP with a bad config keeps the running one; with a good one adds the new feed', async () => {
    const good = (dir: string, extraFeed: string) =>
      `server: { port: 0 }\ndatabase: ${dir}/wiredesk.sqlite\nsources: [{ id: a, path: ${dir}/a.rss }]\nfeeds:\n  - { id: all, title: All }\n${extraFeed}`;
    const temp = tempConfig((dir) => {
      writeFileSync(join(dir, 'a.rss'), rssWith(3));
      return good(dir, '');
    });
    const proc = daemon(['run', '--config', temp.configPath]);
    const base = await proc.url;
    writeFileSync(temp.configPath, `${good(temp.dir, '')}schedule: { every: "5 minutes" }\n`);
    proc.child.kill('SIGHUP');
    await waitFor(async () => (proc.stderr().includes('config reload rejected') ? true : undefined), 15_000, 'the rejection');
    expect(proc.stderr()).toMatch(/schedule\.every: \\"5 minutes\\" is not a duration/);
    expect((await fetch(`${base}/feeds/all.rss`)).status).toBe(200);
    writeFileSync(temp.configPath, good(temp.dir, '  - { id: second, title: Second }\n'));
    proc.child.kill('SIGHUP');
    await waitFor(async () => ((await fetch(`${base}/feeds/second.json`)).status === 200 ? true : undefined), 15_000, 'the new feed');
    proc.child.kill('SIGTERM');
    expect((await proc.exit).code).toBe(0);
  }, 60_000);

  it('stops within 10 s on SIGTERM while an upstream hangs', async () => {
    const hanging: Server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((ok) => hanging.listen(0, '127.0.0.1', ok));
    cleanups.push(() => new Promise<void>((ok) => {
      hanging.closeAllConnections();
      hanging.close(() => ok());
    }));
    const port = (hanging.address() as AddressInfo).port;
    const temp = tempConfig((dir) => `server: { port: 0 }\ndatabase: ${dir}/wiredesk.sqlite\nfetch: { allow_private_networks: ["127.0.0.1"], timeout: 60s }\nsources: [{ id: slow, url: "http://127.0.0.1:${port}/feed" }]\n`);
    const proc = daemon(['run', '--config', temp.configPath]);
    await proc.url;
    await new Promise((ok) => setTimeout(ok, 500)); // the fetch is in flight
    const started = Date.now();
    proc.child.kill('SIGTERM');
    expect((await proc.exit).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);

  it('SIGKILL during ingest never corrupts the database, and the next fetch stores exactly the feed', async () => {
    const count = 2000;
    const upstream = await startFixtureServer({ '/big.rss': { body: rssWith(count, 'Big'), type: 'application/rss+xml' } });
    cleanups.push(() => upstream.close());
    const temp = tempConfig((dir) => `server: { port: 0 }\ndatabase: ${dir}/wiredesk.sqlite\nfetch: { allow_private_networks: ["127.0.0.1"] }\nsources: [{ id: big, url: "${upstream.url}/big.rss" }]\n`);
    for (const delay of [300, 1500, 3000]) {
      const proc = daemon(['run', '--config', temp.configPath]);
      await proc.url;
      await waitFor(async () => (upstream.requests.length > 0 ? true : undefined), 15_000, 'the fetch');
      await new Promise((ok) => setTimeout(ok, delay));
      proc.child.kill('SIGKILL');
      await proc.exit;
      const db = new Database(temp.database); // read-write: opening recovers the WAL the killed process left
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const items = (db.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n;
      expect([0, count]).toContain(items); // one transaction per source batch: all or nothing
      db.close();
      upstream.requests.length = 0;
    }
    const fetched = await runWiredesk(['fetch', '--source', 'big', '--config', temp.configPath]);
    expect(fetched.code).toBe(0);
    const db = new Database(temp.database, { readonly: true });
    const row = db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT identity) AS ids FROM items').get() as { n: number; ids: number };
    expect(row).toEqual({ n: count, ids: count });
    db.close();
  }, 120_000);

  it('retention purges old stories except those a feed still lists, and tombstones keep them from coming back', async () => {
    const temp = tempConfig((dir) => {
      writeFileSync(join(dir, 'old.rss'), rssWith(6, 'Old', '2025-01-10T10:00:00Z'));
      return `database: ${dir}/wiredesk.sqlite\nretention: { days: 30 }\nsources: [{ id: old, path: ${dir}/old.rss }]\nfeeds: [{ id: recent, title: Recent, limit: 2 }]\n`;
    });
    expect((await runWiredesk(['fetch', '--config', temp.configPath])).code).toBe(0);
    const purge = await runWiredesk(['purge', '--config', temp.configPath]);
    expect(purge.stdout).toContain('purged 4 stories');
    const refetch = await runWiredesk(['fetch', '--source', 'old', '--config', temp.configPath]);
    expect(refetch.code).toBe(0);
    const listed = await runWiredesk(['stories', '--json', '--config', temp.configPath]);
    expect((JSON.parse(listed.stdout) as { shown: { title: string } }[]).map((s) => s.shown.title.split(':')[0])).toEqual(['Old 0', 'Old 1']);
  }, 60_000);
});

describe('a full disk (database_max_size)', () => {
  it('rolls the batch back and records the failure, keeps serving what it has, and stores the batch once space returns', async () => {
    const temp = tempConfig((dir) => {
      writeFileSync(join(dir, 'small.rss'), rssWith(3, 'Small'));
      writeFileSync(join(dir, 'big.rss'), rssWith(900, 'Big'));
      return '';
    });
    const config = (cap: string, withBig: boolean) =>
      `server: { port: 0 }\ndatabase: ${temp.dir}/wiredesk.sqlite\n${cap}schedule: { every: 1s, min: 1s, adaptive: false }\nfetch: { backoff_max: 2s }\n` +
      `sources:\n  - { id: small, path: ${temp.dir}/small.rss }\n${withBig ? `  - { id: big, path: ${temp.dir}/big.rss }\n` : ''}feeds: [{ id: all, title: All, limit: 1000 }]\n`;
    writeFileSync(temp.configPath, config('', false));
    expect((await runWiredesk(['fetch', '--config', temp.configPath])).code).toBe(0);
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(temp.database));
    writeFileSync(temp.configPath, config(`database_max_size: ${size + 64 * 1024}\n`, true));
    const proc = daemon(['run', '--config', temp.configPath]);
    const base = await proc.url;
    const failed = await waitFor(async () => {
      const sources = (await (await fetch(`${base}/api/sources`)).json()) as { sourceId: string; lastErrorCode?: string }[];
      return sources.find((s) => s.sourceId === 'big' && s.lastErrorCode) ? sources : undefined;
    }, 30_000, 'the failed write');
    expect(failed.find((s) => s.sourceId === 'big')?.lastErrorCode).toBe('STORE_WRITE_FAILED');
    const served = (await (await fetch(`${base}/feeds/all.json`)).json()) as { items: unknown[] };
    expect(served.items).toHaveLength(3);
    writeFileSync(temp.configPath, config('', true)); // space returns
    proc.child.kill('SIGHUP');
    await waitFor(async () => {
      const sources = (await (await fetch(`${base}/api/sources`)).json()) as { sourceId: string; itemsTotal?: number; lastErrorCode?: string }[];
      const big = sources.find((s) => s.sourceId === 'big');
      return big?.itemsTotal === 900 && !big.lastErrorCode ? true : undefined;
    }, 60_000, 'the batch stored after space returned');
    expect(((await (await fetch(`${base}/feeds/all.json`)).json()) as { items: unknown[] }).items.length).toBeGreaterThan(3);
    proc.child.kill('SIGTERM');
    expect((await proc.exit).code).toBe(0);
    const db = new Database(temp.database);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 120_000);
});

describe('a database from a newer Wiredesk', () => {
  it('is refused by the daemon with a clear message, and left untouched', async () => {
    const temp = tempConfig((dir) => `server: { port: 0 }\ndatabase: ${dir}/wiredesk.sqlite\n`);
    const db = new Database(temp.database);
    db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES (9999, 'future', 'x')");
    db.close();
    const run = await runWiredesk(['run', '--config', temp.configPath]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/schema version 9999, newer than this Wiredesk knows .*\(STORE_TOO_NEW\)/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    const after = new Database(temp.database, { readonly: true });
    expect(after.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 9999 });
    after.close();
    expect(existsSync(`${temp.database}.lock`)).toBe(false);
  }, 60_000);
});
