// Bounded concurrency for fetches: at most `concurrency` tasks at once, and at most `perHost` per host.

export interface FetchLimiter {
  /** Runs `task` once both bounds allow it; tasks of one host start in the order they were queued. */
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
  /** Resolves when nothing runs and nothing waits. */
  onIdle(): Promise<void>;
}

interface Waiting {
  host: string;
  start: () => void;
}

/** The host key of a URL for per-host limits (lowercased host name; "" for what is not a URL, e.g. a path). */
export function hostOf(url: string | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * A FIFO queue with two bounds. When the head of the queue waits for a busy host, later tasks for other hosts
 * may start, so one slow host never holds the whole pass back.
 */
export function createFetchLimiter(options: { concurrency: number; perHost: number }): FetchLimiter {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const perHost = Math.max(1, Math.floor(options.perHost));
  const queue: Waiting[] = [];
  const perHostActive = new Map<string, number>();
  let active = 0;
  let idleWaiters: Array<() => void> = [];

  const drain = () => {
    for (let index = 0; index < queue.length && active < concurrency; ) {
      const waiting = queue[index];
      if (!waiting) break;
      const running = perHostActive.get(waiting.host) ?? 0;
      if (running >= perHost) {
        index++;
        continue;
      }
      queue.splice(index, 1);
      active++;
      perHostActive.set(waiting.host, running + 1);
      waiting.start();
    }
    if (active === 0 && queue.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const release = (host: string) => {
    active--;
    const left = (perHostActive.get(host) ?? 1) - 1;
    if (left <= 0) perHostActive.delete(host);
    else perHostActive.set(host, left);
    drain();
  };

  return {
    run<T>(host: string, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({
          host,
          start: () => {
            let promise: Promise<T>;
            try {
              promise = Promise.resolve(task());
            } catch (error) {
              promise = Promise.reject(error);
            }
            promise.then(resolve, reject).finally(() => release(host));
          },
        });
        drain();
      });
    },
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
    onIdle() {
      if (active === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
