// The real daemon on the shipped config and bundled sample wire, on a free loopback port, for the reader and browser suites.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ROOT, startWiredesk, waitFor, writeTempConfig, type DaemonProcess } from '../integration/harness.ts';

export interface SampleDaemon {
  /** `http://127.0.0.1:PORT`, which is also the config's `server.base_url`, so every link in the outputs is followable. */
  base: string;
  /** The curated feeds of the shipped config, with their formats. */
  feeds: { id: string; title: string; formats: string[]; isPrivate: boolean }[];
  dir: string;
  daemon: DaemonProcess;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the daemon needs it before start, for base_url). */
async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/**
 * Starts `wiredesk run` on config/wiredesk.yaml with only server, database and log level changed (the sample wire's
 * path: sources are relative to the project root, the daemon's working directory; `websubHub` sets server.websub_hub), and waits until every source was
 * read once and the feeds stopped changing, so validators are stable for conditional requests.
 */
export async function startSampleDaemon(options: { websubHub?: string } = {}): Promise<SampleDaemon> {
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const doc = parseDocument(readFileSync(join(ROOT, 'config/wiredesk.yaml'), 'utf8'));
  const temp = writeTempConfig((dir) => {
    doc.setIn(['server', 'host'], '127.0.0.1');
    doc.setIn(['server', 'port'], port);
    doc.setIn(['server', 'base_url'], base);
    doc.setIn(['database'], join(dir, 'wiredesk.sqlite'));
    doc.setIn(['log', 'level'], 'warn');
    if (options.websubHub) doc.setIn(['server', 'websub_hub'], options.websubHub);
    return doc.toString();
  });
  const config = doc.toJS() as { sources: { id: string }[]; feeds: { id: string; title: string; formats?: string[]; private?: boolean }[] };
  const daemon = startWiredesk(['run', '--config', temp.configPath]);
  const stop = async () => {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
      daemon.child.kill('SIGTERM');
      const timer = setTimeout(() => daemon.child.kill('SIGKILL'), 10_000);
      await daemon.exit;
      clearTimeout(timer);
    }
    rmSync(temp.dir, { recursive: true, force: true });
  };
  try {
    const url = await Promise.race([daemon.url, new Promise<never>((_, ko) => setTimeout(() => ko(new Error('the daemon did not start in 20 s')), 20_000))]);
    if (url !== base) throw new Error(`the daemon serves on ${url}, not ${base}`);
    await waitFor(async () => {
      const sources = (await (await fetch(`${base}/api/sources`)).json()) as { sourceId: string; lastSuccessAt?: string }[];
      return sources.length === config.sources.length && sources.every((s) => s.lastSuccessAt) ? true : undefined;
    }, 20_000, 'every sample-wire source read once');
    let previous = '';
    await waitFor(async () => {
      const etag = (await fetch(`${base}/feeds/world.json`, { method: 'HEAD' })).headers.get('etag') ?? '';
      const stable = etag !== '' && etag === previous;
      previous = etag;
      return stable ? true : undefined;
    }, 10_000, 'a stable ETag on /feeds/world.json');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- daemon stderr ---\n${daemon.stderr()}`);
  }
  return {
    base,
    dir: temp.dir,
    daemon,
    feeds: config.feeds.map((f) => ({ id: f.id, title: f.title, formats: f.formats ?? ['rss', 'atom', 'json'], isPrivate: f.private === true })),
    stop,
  };
}

/** Fails with an install hint when a tool the suite needs is missing: these suites never skip silently. */
export function requireTool(what: string, check: { command: string; args: string[] }, hint: string): void {
  if (!existsSync(check.command)) throw new Error(`${what} is missing: ${check.command} does not exist. ${hint}`);
  const result = spawnSync(check.command, check.args, { encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) throw new Error(`${what} is not usable (${check.command} ${check.args.join(' ')} exited ${result.status}): ${result.stderr.trim()}. ${hint}`);
}

export interface ProxiedRequest {
  method: string;
  path: string;
  status: number;
  requestHeaders: IncomingHttpHeaders;
  etag?: string;
}

/** A pass-through HTTP proxy in front of the daemon that records each request's validators and the status answered. */
export async function startRecordingProxy(target: string): Promise<{ url: string; requests: ProxiedRequest[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          status: answer.statusCode ?? 0,
          requestHeaders: req.headers,
          etag: answer.headers.etag,
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}

/** Writes a file in the suite's temp folder and returns its path. */
export function writeTempFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
