// Sections 4 and 5: rendering a 100-item curated feed (cold and cached) and serving it over HTTP against nginx.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, type App } from '../../src/app.ts';
import { Outputs } from '../../src/serve/outputs.ts';
import { startServer } from '../../src/serve/server.ts';
import { baseDatabaseCopy } from '../lib/base.ts';
import { awaitCacheBuild } from '../lib/prebuild.ts';
import { median, type Reporter } from '../lib/stats.ts';
import type { BenchMode } from '../lib/mode.ts';
import { benchConfig, smallBase } from './ingest.ts';

const FORMATS = [['rss', '/feeds/bench.rss'], ['atom', '/feeds/bench.atom'], ['json', '/feeds/bench.json'], ['html', '/feeds/bench']] as const;

async function openRenderApp(mode: BenchMode): Promise<App> {
  const path = join(mode.workDir, 'render.sqlite');
  const config = benchConfig(path, { feeds: [{ id: 'bench', title: 'Bench feed', limit: 100 }] });
  await awaitCacheBuild(mode.cacheDir, `base:${smallBase(mode)}`, mode.log);
  await baseDatabaseCopy(mode.cacheDir, path, smallBase(mode), config, mode.log);
  return openApp(config);
}

export async function runRender(mode: BenchMode, report: Reporter): Promise<void> {
  const app = await openRenderApp(mode);
  try {
    // a cold render cost 0.5–1.3 s at 10k stories (related posts completed for the feed's scope): 5 runs, 15 with --full
    const runs = mode.quick ? 2 : mode.full ? 15 : 5;
    for (const [format, path] of FORMATS) {
      const cold: number[] = [];
      const cached: number[] = [];
      let bytes = 0;
      for (let r = 0; r < runs; r++) {
        const outputs = new Outputs(app); // a new cache: the first get renders
        let t = performance.now();
        const file = await outputs.get(path);
        cold.push(performance.now() - t);
        bytes = file?.body.length ?? 0;
        t = performance.now();
        await outputs.get(path);
        cached.push(performance.now() - t);
      }
      report.add({ section: '4 render', metric: `100-item feed, ${format}, cold (query + render)`, value: median(cold), unit: 'ms', min: Math.min(...cold), max: Math.max(...cold), runs, note: `${(bytes / 1024).toFixed(0)} KB` });
      report.add({ section: '4 render', metric: `100-item feed, ${format}, cached (Outputs cache hit)`, value: median(cached), unit: 'ms', min: Math.min(...cached), max: Math.max(...cached), runs });
    }
  } finally {
    await app.close();
  }
}

interface LoadResult { rps: number; p99: number; non2xx: number; errors: number }

/** autocannon (its CLI, in its own process, so that client and server do not share an event loop). */
async function load(mode: BenchMode, url: string, headers: Record<string, string>, seconds: number): Promise<LoadResult> {
  const args = [join(mode.root, 'node_modules/autocannon/autocannon.js'), '-j', '-c', '50', '-d', String(seconds)];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  // asynchronous: the Wiredesk server under test runs in this process and must keep answering
  const { stdout: out } = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const json = JSON.parse(out) as { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number };
  return { rps: json.requests.average, p99: json.latency.p99, non2xx: json.non2xx, errors: json.errors };
}

function hasNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** nginx on a temporary prefix and a free loopback port, one worker (like the one Node process), gzip_static on. */
async function startNginx(mode: BenchMode, binary: string, files: Map<string, { body: Buffer; gzip: Buffer }>) {
  const prefix = join(mode.workDir, 'nginx');
  const root = join(prefix, 'html');
  mkdirSync(join(root, 'feeds'), { recursive: true });
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  for (const [path, file] of files) {
    writeFileSync(join(root, path), file.body);
    writeFileSync(join(root, `${path}.gz`), file.gzip);
  }
  const net = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  writeFileSync(join(prefix, 'nginx.conf'), `worker_processes 1;
user root;
error_log ${prefix}/logs/error.log warn;
pid ${prefix}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/rss+xml rss; application/atom+xml atom; application/feed+json json; text/html html; }
  default_type application/octet-stream;
  sendfile on; tcp_nopush on; keepalive_requests 100000; keepalive_timeout 30s;
  gzip_static on;
  server { listen 127.0.0.1:${port}; root ${root}; }
}
`);
  // nginx prints nothing when it is ready: probe the port
  const proc = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/feeds/bench.rss`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGQUIT');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    }),
  };
}

export async function runServe(mode: BenchMode, report: Reporter): Promise<void> {
  const app = await openRenderApp(mode);
  const outputs = new Outputs(app);
  const server = await startServer({ current: () => ({ app, outputs }) }, { host: '127.0.0.1', port: 0 });
  // 5 s per load run, two runs a server, alternated (default); 8 s with --full
  const seconds = mode.quick ? 2 : mode.full ? 8 : 5;
  const path = '/feeds/bench.rss';
  try {
    const file = await outputs.get(path);
    if (!file) throw new Error('no feed rendered');
    const nginxBinary = hasNginx();
    const nginx = nginxBinary ? await startNginx(mode, nginxBinary, new Map([['feeds/bench.rss', { body: file.body, gzip: file.gzip() }]])) : undefined;
    if (!nginx) report.note('nginx is not installed: the nginx peer is skipped (apt-get install nginx to measure it)');
    try {
      const nginxEtag = nginx ? (await fetch(`${nginx.url}${path}`)).headers.get('etag') ?? '' : '';
      const cases: { name: string; headers: Record<string, string>; nginxHeaders: Record<string, string>; goal: number }[] = [
        { name: 'gzip 200', headers: { 'accept-encoding': 'gzip' }, nginxHeaders: { 'accept-encoding': 'gzip' }, goal: 0.85 },
        { name: '304 (If-None-Match)', headers: { 'if-none-match': file.etag }, nginxHeaders: { 'if-none-match': nginxEtag }, goal: 0.6 },
      ];
      for (const c of cases) {
        // alternate the two servers, twice each, and keep the medians (the machine is shared and noisy)
        const own: LoadResult[] = [];
        const peer: LoadResult[] = [];
        for (let r = 0; r < (mode.quick ? 1 : 2); r++) {
          own.push(await load(mode, `${server.url}${path}`, c.headers, seconds));
          if (nginx) peer.push(await load(mode, `${nginx.url}${path}`, c.nginxHeaders, seconds));
        }
        const rps = median(own.map((o) => o.rps));
        const peerRps = nginx ? median(peer.map((o) => o.rps)) : undefined;
        const ratio = peerRps ? rps / peerRps : undefined;
        const bad = [...own, ...peer].reduce((n, o) => n + o.non2xx + o.errors, 0);
        report.add({
          section: '5 serve', metric: `cached ${(file.body.length / 1024).toFixed(0)} KB RSS feed, ${c.name}`, value: rps, unit: 'req/s',
          peers: peerRps ? { nginx: peerRps } : undefined, ratio: ratio ? { to: 'nginx', value: ratio } : undefined,
          goal: `≥ ${c.goal.toFixed(2)} × nginx`, met: ratio === undefined ? undefined : ratio >= c.goal,
          note: `50 connections, keep-alive, ${seconds} s × ${own.length}${bad && !c.name.startsWith('304') ? `, ${bad} non-2xx/errors` : ''}`,
        });
        report.add({ section: '5 serve', metric: `${c.name} p99 latency`, value: median(own.map((o) => o.p99)), unit: 'ms', peers: nginx ? { nginx: median(peer.map((o) => o.p99)) } : undefined });
      }
    } finally {
      await nginx?.stop();
    }
  } finally {
    await server.close();
    await app.close();
  }
}
