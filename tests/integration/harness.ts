// Test harness: a loopback fixture server with validators, temporary configs, and the real daemon as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/wiredesk.js');

export interface FixtureServer {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders; status: number }[];
  /** Replaces the body served at `path`. */
  set(path: string, body: string, contentType: string): void;
  close(): Promise<void>;
}

/** Serves fixture bodies on 127.0.0.1 with ETag/Last-Modified and 304 on revalidation, recording every request. */
export async function startFixtureServer(files: Record<string, { body: string; type: string }>): Promise<FixtureServer> {
  const served = new Map(Object.entries(files));
  const requests: FixtureServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const file = served.get(path);
    if (!file) {
      res.writeHead(404).end();
      requests.push({ path, headers: req.headers, status: 404 });
      return;
    }
    const etag = `"${createHash('sha1').update(file.body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag }).end();
      requests.push({ path, headers: req.headers, status: 304 });
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, ETag: etag, 'Last-Modified': 'Tue, 24 Nov 2026 12:00:00 GMT' }).end(file.body);
    requests.push({ path, headers: req.headers, status: 200 });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set: (path, body, type) => void served.set(path, { body, type }),
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}

export function fixture(name: string): string {
  return readFileSync(join(ROOT, 'tests/fixtures/integration', name), 'utf8');
}

/** A temp folder holding `wiredesk.yaml` with the given text; the database goes beside it. */
export function writeTempConfig(yaml: (dir: string) => string): { dir: string; configPath: string; database: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wiredesk-it-'));
  const configPath = join(dir, 'wiredesk.yaml');
  writeFileSync(configPath, yaml(dir));
  return { dir, configPath, database: join(dir, 'wiredesk.sqlite') };
}

export interface DaemonProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The URL the daemon printed when it started serving. */
  url: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `wiredesk <args>` as a child process, as a user would. */
export function startWiredesk(args: string[], env: Record<string, string> = {}): DaemonProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let announce: (url: string) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const url = new Promise<string>((ok, ko) => {
    announce = ok;
    fail = ko;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const match = /serving on (http:\/\/\S+)/.exec(out);
    if (match) announce(match[1] as string);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => {
    child.on('exit', (code, signal) => {
      fail(new Error(`wiredesk exited (${code ?? signal}) before serving:\n${err}`));
      ok({ code, signal });
    });
  });
  return { child, stdout: () => out, stderr: () => err, url, exit };
}

/** Runs a wiredesk command to completion. */
export async function runWiredesk(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = startWiredesk(args, env);
  proc.url.catch(() => {});
  const { code } = await proc.exit;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

/** Polls `check` until it returns a value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}
