// Cached databases built in a second process (bench/build-bulk.ts) while the first sections run: on a cold default run
// the 1M-story bulk database (3–7 minutes of one core here, with the load) overlaps the measurements.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { baseCachePath } from './base.ts';
import { BULK_VERSION } from './bulk.ts';

/** `base:N`: a base of N stories (bench/lib/base.ts); `bulk:N`: the bulk database of N stories (bench/lib/bulk.ts). */
export type CacheTarget = `${'base' | 'bulk'}:${number}`;

const pending = new Map<string, Promise<void>>();
const keyOf = (cacheDir: string, target: CacheTarget) => `${cacheDir}|${target}`;

export function isCacheBuilt(cacheDir: string, target: CacheTarget): boolean {
  const [kind, n] = target.split(':') as ['base' | 'bulk', string];
  if (kind === 'base') return existsSync(baseCachePath(cacheDir, Number(n)));
  return existsSync(cacheDir) && readdirSync(cacheDir).some((f) => f.startsWith(`bulk-v${BULK_VERSION}-${n}-`) && f.endsWith('.sqlite'));
}

/**
 * Starts one child process that builds the missing `targets` in order, printing `ready TARGET` after each; returns
 * the targets it builds. A section calls awaitCacheBuild before it opens one of them.
 */
export function startCacheBuild(root: string, cacheDir: string, targets: readonly CacheTarget[], log: (line: string) => void): CacheTarget[] {
  const missing = targets.filter((t) => !isCacheBuilt(cacheDir, t) && !pending.has(keyOf(cacheDir, t)));
  if (missing.length === 0) return [];
  const resolvers = new Map<string, () => void>();
  for (const target of missing) pending.set(keyOf(cacheDir, target), new Promise((resolve) => resolvers.set(target, resolve)));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/build-bulk.ts'), cacheDir, ...missing], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const ready = /^ready (\S+)$/.exec(line.trim());
    if (ready) resolvers.get(ready[1] as string)?.();
    else log(`  [background build] ${line.trim()}`);
  });
  child.once('exit', (code) => {
    if (code !== 0) log(`  [background build] exited with ${code}: ${stderr} (each section builds what is still missing)`);
    for (const resolve of resolvers.values()) resolve();
  });
  return missing;
}

/** Waits for the background build of `target` started by this run, if any. */
export async function awaitCacheBuild(cacheDir: string, target: CacheTarget, log: (line: string) => void): Promise<void> {
  const build = pending.get(keyOf(cacheDir, target));
  if (!build) return;
  const started = performance.now();
  await build;
  const waited = (performance.now() - started) / 1000;
  if (waited >= 1) log(`    waited ${waited.toFixed(0)} s for the background build of ${target}`);
}
