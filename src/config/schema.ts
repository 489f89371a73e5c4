// The one schema of wiredesk.yaml: every key, its default and its check; the config types are inferred from it.
import { z } from 'zod';
import { validate as validateCron } from 'node-cron';
import { parseDuration, parseSize } from './units.ts';
import { suggest } from './suggest.ts';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const TAG = /^(person|place|org|topic|source|[a-z][a-z0-9-]*):\S.*$/;

// Messages that start with "is " get the offending value put in front of them by load.ts
// ("\"5 minutes\" is not a duration (use 5m)"), so they read the same for every key.

/** A human duration ("5m", "24h") → milliseconds. Numbers are taken as seconds. */
const duration = z
  .union([z.string(), z.number().min(0)], { error: 'is not a duration (use 5m)' })
  .transform((value, ctx) => {
    if (typeof value === 'number') return Math.round(value * 1000);
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is not a duration (use 5m)', input: value });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'a duration like 90s, 5m, 24h or 7d; a bare number counts seconds' });

/** A human size ("15MiB") → bytes. Numbers are taken as bytes. */
const size = z
  .union([z.string(), z.number().int().min(0)], { error: 'is not a size (use 15MiB)' })
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const bytes = parseSize(value);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is not a size (use 15MiB)', input: value });
      return z.NEVER;
    }
    return bytes;
  })
  .meta({ description: 'a size like 512KiB or 15MiB; a bare number counts bytes' });

const id = (what: string) =>
  z.string().regex(ID, { message: `is not a valid ${what} id: use lowercase letters, digits and - (like reuters-world)` });

const tag = z.string().regex(TAG, { message: 'is not a tag: write type:Name (like place:Colombia or topic:drugs)' });

const cron = z.string().refine((value) => validateCron(value), {
  message: 'is not a cron expression (like "*/5 * * * *")',
});

const timezone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not an IANA time zone (like UTC or Europe/Berlin)' },
);

const urlString = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'is not an http(s) URL' },
);

export const serverSchema = z
  .strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    base_url: urlString.default('http://localhost:8080'),
    admin_token: z.string().min(16).optional(),
    websub_hub: urlString.optional(),
  })
  .prefault({});

export const fetchSchema = z
  .strictObject({
    user_agent: z.string().min(1).default('Wiredesk/1.0 (+https://example.org/wiredesk)'),
    timeout: duration.prefault('20s'),
    connect_timeout: duration.prefault('10s'),
    max_body: size.prefault('15MiB'),
    concurrency: z.number().int().min(1).max(256).default(8),
    per_host: z.number().int().min(1).max(64).default(2),
    allow_private_networks: z.union([z.boolean(), z.array(z.string().min(1))]).default(false),
    max_redirects: z.number().int().min(0).max(10).default(5),
    backoff_max: duration.prefault('24h'),
    failing_after: z.number().int().min(1).default(5),
    retry_after_max: duration.prefault('24h'),
  })
  .prefault({});

export const scheduleSchema = z
  .strictObject({
    every: duration.prefault('10m'),
    min: duration.prefault('5m'),
    max: duration.prefault('24h'),
    adaptive: z.boolean().default(true),
    timezone: timezone.default('UTC'),
  })
  .prefault({});

export const contentSchema = z
  .strictObject({
    /** Hosts whose iframes (video embeds) survive sanitizing; every other iframe is removed. */
    iframe_hosts: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

export const retentionSchema = z.strictObject({ days: z.number().int().min(1).default(30) }).prefault({});

export const relatedSchema = z
  .strictObject({
    /** Recency: a story this much older or newer than another counts half as related. */
    half_life: duration.prefault('3d'),
    /** Stories up to this much older than a new one may gain it in their related posts. */
    refresh_window: duration.prefault('7d'),
    /** At most this many such stories' lists are updated per stored batch (ingest stays fast). */
    max_refresh: z.number().int().min(0).max(10000).default(100),
  })
  .prefault({});

export const dedupeSchema = z
  .strictObject({
    window: duration.prefault('3d'),
    /** Estimated Jaccard similarity of word shingles above which two texts are the same story. */
    text_threshold: z.number().min(0).max(1).default(0.5),
    /** Headline similarity above which two short (headline-only) items are the same story. */
    title_threshold: z.number().min(0).max(1).default(0.8),
  })
  .prefault({});

const sourceBase = {
  id: id('source'),
  title: z.string().min(1).optional(),
  attribution: z.string().min(1).optional(),
  priority: z.number().int().default(0),
  every: duration.optional(),
  cron: cron.optional(),
  tags: z.array(tag).default([]),
  republish: z.enum(['full', 'summary', 'title']).optional(),
  headers: z.record(z.string(), z.string()).default({}),
  retention_days: z.number().int().min(1).optional(),
  categories: z.boolean().default(true),
};

export const sourceSchema = z
  .strictObject({
    ...sourceBase,
    url: urlString.optional(),
    path: z.string().min(1).optional(),
  })
  .superRefine(
    (source, ctx) => {
      // Runs even when other keys of the source failed, so that every error is reported at once.
      if (typeof source !== 'object' || source === null) return;
      if (!source.url === !source.path) {
        ctx.addIssue({ code: 'custom', message: 'a source needs exactly one of url: or path:', path: [] });
      }
      if (source.every !== undefined && source.cron !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'use every: or cron:, not both', path: ['cron'] });
      }
    },
    { when: () => true },
  )
  .transform((source) => ({ ...source, ...sourceDefaults(source) }));

/**
 * The per-source defaults that depend on other keys (DESIGN.md, Configuration): title defaults to the id,
 * attribution to the title, republish to `summary` for url: sources and `full` for path: sources (our own files).
 */
export function sourceDefaults(source: {
  id: string;
  title?: string | undefined;
  attribution?: string | undefined;
  republish?: 'full' | 'summary' | 'title' | undefined;
  path?: string | undefined;
}): { title: string; attribution: string; republish: 'full' | 'summary' | 'title' } {
  const title = source.title ?? source.id;
  return {
    title,
    attribution: source.attribution ?? title,
    republish: source.republish ?? (source.path !== undefined ? 'full' : 'summary'),
  };
}

const words = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const ruleSchema = z
  .strictObject({
    tag: tag.optional(),
    untag: tag.optional(),
    any: words.optional(),
    all: words.optional(),
    regex: z
      .string()
      .refine(
        (value) => {
          try {
            new RegExp(value, 'iu');
            return true;
          } catch {
            return false;
          }
        },
        { message: 'is not a valid regular expression' },
      )
      .optional(),
    places: words.optional(),
    people: words.optional(),
    orgs: words.optional(),
    sources: z.array(z.string()).optional(),
    categories: words.optional(),
    unless: words.optional(),
  })
  .superRefine(
    (rule, ctx) => {
      if (typeof rule !== 'object' || rule === null) return;
      if (!rule.tag === !rule.untag) ctx.addIssue({ code: 'custom', message: 'a rule needs exactly one of tag: or untag:', path: [] });
    },
    { when: () => true },
  );

export const taggingSchema = z
  .strictObject({
    entities: z.boolean().default(true),
    aliases: z.record(z.string(), z.string()).default({}),
    rules: z.array(ruleSchema).default([]),
  })
  .prefault({});

export const filterSchema = z
  .strictObject({
    tags_any: z.array(tag).nullable().default(null),
    tags_all: z.array(tag).nullable().default(null),
    exclude_tags: z.array(tag).nullable().default(null),
    sources: z.array(z.string()).nullable().default(null),
    query: z
      .string()
      .min(1)
      .refine((q) => q.split(/\s+/).some((t) => t !== '' && t !== 'OR' && !t.startsWith('-')), {
        message: 'needs at least one word to look for (words, "quoted phrases", OR, -word)',
      })
      .nullable()
      .default(null),
    max_age: duration.nullable().default(null),
  })
  .prefault({});

export const feedSchema = z.strictObject({
  id: id('feed'),
  title: z.string().min(1),
  description: z.string().default(''),
  filter: filterSchema,
  limit: z.number().int().min(1).max(1000).default(50),
  related: z.number().int().min(0).max(20).default(5),
  related_scope: z.enum(['feed', 'all']).default('feed'),
  formats: z.array(z.enum(['rss', 'atom', 'json'])).min(1).default(['rss', 'atom', 'json']),
  private: z.boolean().default(false),
  token: z.string().min(16).optional(),
});

export const configSchema = z
  .strictObject({
    server: serverSchema,
    database: z.string().min(1).default('db/wiredesk.sqlite'),
    database_max_size: size.optional(),
    log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
    fetch: fetchSchema,
    schedule: scheduleSchema,
    retention: retentionSchema,
    related: relatedSchema,
    dedupe: dedupeSchema,
    content: contentSchema,
    sources: z.array(sourceSchema).default([]),
    tagging: taggingSchema,
    feeds: z.array(feedSchema).default([]),
  })
  .superRefine(checkReferences, { when: () => true });

/** Cross-key checks (unique ids, known source ids, ranges). Runs even when other keys failed, so it reads defensively. */
function checkReferences(config: unknown, ctx: z.RefinementCtx): void {
  if (typeof config !== 'object' || config === null) return;
  const { sources, feeds, tagging, schedule } = config as Record<string, unknown>;
  const seen = new Map<string, number>();
  listOf(sources).forEach((source, index) => {
    const sourceId = source['id'];
    if (typeof sourceId !== 'string') return;
    if (seen.has(sourceId)) {
      ctx.addIssue({ code: 'custom', message: `duplicate source id "${sourceId}" (also sources[${seen.get(sourceId)}])`, path: ['sources', index, 'id'] });
    } else {
      seen.set(sourceId, index);
    }
  });
  const checkSourceIds = (ids: unknown, path: (string | number)[]) => {
    if (!Array.isArray(ids)) return;
    ids.forEach((sourceId, index) => {
      if (typeof sourceId === 'string' && !seen.has(sourceId)) {
        ctx.addIssue({ code: 'custom', message: `unknown source "${sourceId}"${suggest(sourceId, [...seen.keys()])}`, path: [...path, index] });
      }
    });
  };
  const feedIds = new Map<string, number>();
  listOf(feeds).forEach((feed, index) => {
    const feedId = feed['id'];
    if (typeof feedId === 'string') {
      if (feedIds.has(feedId)) {
        ctx.addIssue({ code: 'custom', message: `duplicate feed id "${feedId}" (also feeds[${feedIds.get(feedId)}])`, path: ['feeds', index, 'id'] });
      } else {
        feedIds.set(feedId, index);
      }
    }
    const filter = feed['filter'];
    if (typeof filter === 'object' && filter !== null) {
      checkSourceIds((filter as Record<string, unknown>)['sources'], ['feeds', index, 'filter', 'sources']);
    }
    if (feed['private'] === true && !feed['token']) {
      ctx.addIssue({ code: 'custom', message: 'a private feed needs a token', path: ['feeds', index, 'private'] });
    }
  });
  if (typeof tagging === 'object' && tagging !== null) {
    listOf((tagging as Record<string, unknown>)['rules']).forEach((rule, index) => {
      checkSourceIds(rule['sources'], ['tagging', 'rules', index, 'sources']);
    });
  }
  if (typeof schedule === 'object' && schedule !== null) {
    const { min, max } = schedule as Record<string, unknown>;
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      ctx.addIssue({ code: 'custom', message: 'must not be longer than schedule.max', path: ['schedule', 'min'] });
    }
  }
}

/** The mapping entries of a list that may be malformed. */
function listOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null) : [];
}

/** The config as written (before defaults). */
export type ConfigInput = z.input<typeof configSchema>;
/** The validated config, defaults applied, durations in ms and sizes in bytes. */
export type Config = z.output<typeof configSchema>;
export type SourceConfig = Config['sources'][number];
export type FeedConfig = Config['feeds'][number];
export type RuleConfig = Config['tagging']['rules'][number];
export type TaggingConfig = Config['tagging'];
export type FetchConfig = Config['fetch'];
export type DedupeConfig = Config['dedupe'];
export type RelatedConfig = Config['related'];
