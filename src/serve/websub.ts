// WebSub publisher (W3C WebSub §4, §6): tells the configured hub which topic URLs changed, with retries, never failing the daemon.
import type { FeedConfig } from '../config/schema.ts';
import { FORMAT_INFO } from '../publish/types.ts';

/** The pino-compatible logger the publisher writes to. */
export interface WebSubLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface WebSubOptions {
  /** The hub from `server.websub_hub` (the same URL the feeds advertise as rel="hub"). */
  hubUrl: string;
  logger: WebSubLogger;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Attempts per topic, the first included (default 4). */
  attempts?: number;
  /** First back-off delay; doubles each retry (default 2 s: 2, 4, 8 s). */
  backoffMs?: number;
  /** Longest wait honoured from a hub's Retry-After (default 60 s). */
  maxDelayMs?: number;
  /** Per-request time limit (default 10 s). */
  timeoutMs?: number;
}

/** How one topic's ping ended: a stable code per outcome, returned (not thrown). */
export type PingOutcome =
  | { topic: string; code: 'WEBSUB_OK'; status: number; attempts: number }
  | { topic: string; code: 'WEBSUB_REJECTED'; status: number; attempts: number }
  | { topic: string; code: 'WEBSUB_GAVE_UP'; status?: number; error?: string; attempts: number }
  | { topic: string; code: 'WEBSUB_SKIPPED_PRIVATE' | 'WEBSUB_CLOSED'; attempts: 0 };

export interface WebSubPublisher {
  /** Pings the hub once per topic URL (duplicates folded). Resolves when every ping finished; never rejects. */
  notify(topicUrls: string[]): Promise<PingOutcome[]>;
  /** Cancels pending back-off waits (at shutdown): their pings end as WEBSUB_GAVE_UP. */
  close(): void;
}

/** Stops a topic URL leaking a private feed's secret into logs: the query string is dropped. */
function redactUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : `${url.slice(0, cut)}?…`;
}

/** Private feeds carry `?token=`: a hub would learn (and might publish) the secret, so such topics are never sent. */
function isPrivateTopic(url: string): boolean {
  try {
    return new URL(url).searchParams.has('token');
  } catch {
    return true;
  }
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** 429 and 5xx may pass; other 4xx mean the hub refuses this topic, and asking again will not change that. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Waits `ms`, or less when the publisher closes; resolves false when cut short. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    timer.unref?.();
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Creates the publisher side of WebSub. The Recommendation leaves the publisher→hub ping to the hub (§6); every
 * public hub (websub.rocks, Superfeedr, Google's) takes the PubSubHubbub 0.4 form used here: a form-encoded POST of
 * `hub.mode=publish&hub.url=<topic>`, answered 2xx. One request per topic, because not every hub reads repeated
 * `hub.url` fields.
 */
export function createWebSubPublisher(options: WebSubOptions): WebSubPublisher {
  const { hubUrl, logger } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 2000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const closing = new AbortController();

  async function pingTopic(topic: string): Promise<PingOutcome> {
    const shown = redactUrl(topic);
    let lastStatus: number | undefined;
    let lastError: string | undefined;
    let made = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (closing.signal.aborted) return { topic, code: 'WEBSUB_GAVE_UP', status: lastStatus, error: 'publisher closed', attempts: attempt - 1 };
      let delay = backoffMs * 2 ** (attempt - 1);
      made = attempt;
      try {
        const response = await fetchImpl(hubUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
          redirect: 'follow',
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]),
        });
        await response.body?.cancel().catch(() => undefined); // the hub's answer body carries nothing we use
        lastStatus = response.status;
        lastError = undefined;
        if (response.ok) {
          logger.debug({ topic_url: shown, status: response.status, attempts: attempt }, 'websub hub notified');
          return { topic, code: 'WEBSUB_OK', status: response.status, attempts: attempt };
        }
        if (!isRetryableStatus(response.status)) {
          logger.warn({ topic_url: shown, status: response.status }, 'websub hub refused the publish ping');
          return { topic, code: 'WEBSUB_REJECTED', status: response.status, attempts: attempt };
        }
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        if (retryAfter !== undefined) delay = Math.max(delay, retryAfter);
      } catch (error) {
        lastStatus = undefined;
        lastError = (error as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : String((error as Error).cause ?? (error as Error).message);
      }
      if (attempt < attempts) {
        logger.debug({ topic_url: shown, status: lastStatus, error: lastError, attempt, retry_in_ms: Math.min(delay, maxDelayMs) }, 'websub ping failed, retrying');
        if (!(await sleep(Math.min(delay, maxDelayMs), closing.signal))) break;
      }
    }
    logger.error({ topic_url: shown, status: lastStatus, error: lastError, attempts: made }, 'websub ping gave up');
    return { topic, code: 'WEBSUB_GAVE_UP', status: lastStatus, error: lastError, attempts: made };
  }

  return {
    async notify(topicUrls) {
      const outcomes: PingOutcome[] = [];
      for (const topic of new Set(topicUrls)) {
        if (isPrivateTopic(topic)) {
          logger.warn({ topic_url: redactUrl(topic) }, 'websub: a private feed is never announced to the hub');
          outcomes.push({ topic, code: 'WEBSUB_SKIPPED_PRIVATE', attempts: 0 });
          continue;
        }
        if (closing.signal.aborted) {
          outcomes.push({ topic, code: 'WEBSUB_CLOSED', attempts: 0 });
          continue;
        }
        // pingTopic catches its own failures; this guard keeps a bug there from ever rejecting into the daemon
        outcomes.push(await pingTopic(topic).catch((error: unknown) => ({ topic, code: 'WEBSUB_GAVE_UP' as const, error: String(error), attempts: 0 })));
      }
      return outcomes;
    },
    close() {
      closing.abort();
    },
  };
}

/**
 * Remembers each topic's last ETag and returns the topics whose ETag changed since the previous call: what the
 * daemon pings after a refresh. The first sighting of a topic is its baseline, not a change (no ping storm at start).
 */
export function createTopicTracker(): { findChangedTopics(current: ReadonlyMap<string, string>): string[] } {
  const seen = new Map<string, string>();
  return {
    findChangedTopics(current) {
      const changed: string[] = [];
      for (const [topic, etag] of current) {
        const previous = seen.get(topic);
        if (previous !== undefined && previous !== etag) changed.push(topic);
        seen.set(topic, etag);
      }
      return changed;
    },
  };
}

/** The ETag of each published feed file, by its topic URL (the feed's rel="self"); private feeds left out. */
export async function collectTopicEtags(
  outputs: { get(path: string): Promise<{ etag: string } | undefined> },
  feeds: readonly Pick<FeedConfig, 'id' | 'formats' | 'private'>[],
  baseUrl: string,
): Promise<Map<string, string>> {
  const base = baseUrl.replace(/\/+$/, '');
  const etags = new Map<string, string>();
  for (const feed of feeds) {
    if (feed.private) continue;
    for (const format of feed.formats) {
      const path = `/feeds/${feed.id}.${FORMAT_INFO[format].extension}`;
      const file = await outputs.get(path);
      if (file) etags.set(`${base}${path}`, file.etag);
    }
  }
  return etags;
}

export interface WebSubNotifier {
  /** Call after a refresh stored new or changed items: pings the hub for the curated feeds whose files changed. */
  feedsMayHaveChanged(): Promise<void>;
  close(): void;
}

/**
 * What the daemon wires in: a publisher, a tracker and the collection above, run one check at a time (checks asked
 * for while one runs fold into a single follow-up). The first check records the baseline and pings nothing.
 */
export function createWebSubNotifier(options: WebSubOptions & {
  outputs: Parameters<typeof collectTopicEtags>[0];
  feeds: Parameters<typeof collectTopicEtags>[1];
  baseUrl: string;
}): WebSubNotifier {
  const publisher = createWebSubPublisher(options);
  const tracker = createTopicTracker();
  let running: Promise<void> | undefined;
  let again = false;
  const check = async (): Promise<void> => {
    do {
      again = false;
      try {
        const changed = tracker.findChangedTopics(await collectTopicEtags(options.outputs, options.feeds, options.baseUrl));
        if (changed.length > 0) await publisher.notify(changed);
      } catch (error) {
        options.logger.error({ error: (error as Error).message }, 'websub: could not check the feeds for changes');
      }
    } while (again);
  };
  const feedsMayHaveChanged = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = check().finally(() => {
      running = undefined;
      if (again) void feedsMayHaveChanged(); // asked for between the loop's last test and here
    });
    return running;
  };
  return { feedsMayHaveChanged, close: () => publisher.close() };
}
