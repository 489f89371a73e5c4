// The fetch limiter: global and per-host bounds, FIFO per host, no head-of-line blocking, errors passed through.
import { describe, expect, it } from 'vitest';
import { createFetchLimiter, hostOf } from '../../src/schedule/index.ts';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createFetchLimiter', () => {
  it('never exceeds concurrency nor perHost', async () => {
    const limiter = createFetchLimiter({ concurrency: 3, perHost: 2 });
    let running = 0;
    let peak = 0;
    const perHost = new Map<string, number>();
    let peakPerHost = 0;
    const hosts = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'd'];
    await Promise.all(
      hosts.map((host) =>
        limiter.run(host, async () => {
          running++;
          perHost.set(host, (perHost.get(host) ?? 0) + 1);
          peak = Math.max(peak, running);
          peakPerHost = Math.max(peakPerHost, perHost.get(host)!);
          await tick();
          running--;
          perHost.set(host, perHost.get(host)! - 1);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(peakPerHost).toBe(2);
    expect(limiter.active).toBe(0);
    expect(limiter.pending).toBe(0);
  });

  it('a busy host does not block other hosts queued behind it', async () => {
    const limiter = createFetchLimiter({ concurrency: 4, perHost: 1 });
    const started: string[] = [];
    let releaseSlow!: () => void;
    const slow = limiter.run('slow', () => new Promise<void>((resolve) => (started.push('slow-1'), (releaseSlow = resolve))));
    const slow2 = limiter.run('slow', async () => void started.push('slow-2'));
    const fast = limiter.run('fast', async () => void started.push('fast'));
    await fast;
    expect(started).toEqual(['slow-1', 'fast']);
    releaseSlow();
    await Promise.all([slow, slow2]);
    expect(started).toEqual(['slow-1', 'fast', 'slow-2']);
  });

  it('passes results and errors through and frees the slot after an error', async () => {
    const limiter = createFetchLimiter({ concurrency: 1, perHost: 1 });
    await expect(limiter.run('x', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(limiter.run('x', async () => 42)).resolves.toBe(42);
    await limiter.onIdle();
  });

  it('onIdle waits for queued work', async () => {
    const limiter = createFetchLimiter({ concurrency: 1, perHost: 1 });
    let done = 0;
    for (let i = 0; i < 3; i++) void limiter.run('h', async () => (await tick(), done++));
    await limiter.onIdle();
    expect(done).toBe(3);
  });

  it('hostOf keys by lowercased host name', () => {
    expect(hostOf('https://Feeds.Example.org:8443/a.rss')).toBe('feeds.example.org');
    expect(hostOf('config/sample-wire/')).toBe('');
    expect(hostOf(undefined)).toBe('');
  });
});
