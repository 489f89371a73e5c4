// Every published path (index, curated feeds in each format, HTML pages, OPML, XSL, CSS) rendered from the store and cached until stories change.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { App } from '../app.ts';
import type { FeedConfig } from '../config/schema.ts';
import type { StoryView } from '../model/story.ts';
import { renderAtom } from '../publish/atom.ts';
import { SITE_CSS } from '../publish/css.ts';
import { renderFeedHtml, renderIndexHtml } from '../publish/html.ts';
import { renderJsonFeed } from '../publish/json.ts';
import { renderOpml } from '../publish/opml.ts';
import { renderRss } from '../publish/rss.ts';
import { buildTagFeedMeta, slugifyTagName } from '../publish/text.ts';
import { CONTENT_TYPES, FORMAT_INFO, OUTPUT_FORMATS, type FeedMeta, type OutputFormat } from '../publish/types.ts';
import { FEED_XSL } from '../publish/xsl.ts';

export const GENERATOR = 'Wiredesk 0.1.0';

/** One published file, with its validators; compressed variants are made once, on first request. */
export interface OutputFile {
  path: string;
  contentType: string;
  body: Buffer;
  /** Strong ETag of the identity body; each content-coding gets its own (RFC 9110 §8.8.3), see `etagFor`. */
  etag: string;
  lastModified: string;
  gzip(): Buffer;
  brotli(): Buffer;
}

const RENDERERS: Record<OutputFormat, (meta: FeedMeta, stories: StoryView[]) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

function makeFile(path: string, contentType: string, text: string, lastModified: string): OutputFile {
  const body = Buffer.from(text, 'utf8');
  let gz: Buffer | undefined;
  let br: Buffer | undefined;
  return {
    path,
    contentType,
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    lastModified,
    gzip: () => (gz ??= gzipSync(body, { level: 9 })),
    brotli: () => (br ??= brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })),
  };
}

const FEED_PATH = /^\/feeds\/([a-z0-9][a-z0-9-]*)(?:\.(rss|atom|json|html))?$/;
const TAG_PATH = /^\/tags\/([a-z][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*)\.(rss|atom|json)$/;
/** Tag feeds (DESIGN.md, Output): the newest 50 stories of one tag. */
const TAG_FEED_LIMIT = 50;

export class Outputs {
  private readonly cache = new Map<string, { version: string; file: OutputFile }>();
  private readonly baseUrl: string;
  private readonly feeds: Map<string, FeedConfig>;
  private readonly started = new Date().toISOString();
  /** A feed's stories (with related posts) per store version: the RSS, Atom, JSON and HTML renders of one change share them. */
  private readonly feedStoriesCache = new Map<string, { version: string; stories: Promise<StoryView[]> }>();
  /** slug → tag per type, rebuilt when stories change. */
  private tagSlugs: { version: string; byPath: Map<string, string> } | undefined;

  constructor(
    private readonly app: App,
    private readonly onRender?: (path: string, seconds: number) => void,
  ) {
    this.baseUrl = app.config.server.base_url.replace(/\/+$/, '');
    this.feeds = new Map(app.config.feeds.map((feed) => [feed.id, feed]));
  }

  /** The token a private feed's paths require (`?token=`), or undefined for public paths. */
  tokenFor(path: string): string | undefined {
    const feed = this.feeds.get(FEED_PATH.exec(path)?.[1] ?? '');
    return feed?.private ? feed.token : undefined;
  }

  /** Curated feeds listed on the index page and in the OPML: private feeds are not advertised. */
  private publicFeeds(): FeedConfig[] {
    return [...this.feeds.values()].filter((feed) => !feed.private);
  }

  /** Every path that `render --out` writes and the server serves (private feeds left out: they need their token). */
  async paths(): Promise<string[]> {
    const paths = ['/', '/feeds.opml', '/feed.xsl', '/site.css'];
    for (const feed of this.publicFeeds()) {
      paths.push(`/feeds/${feed.id}`);
      for (const format of feed.formats) paths.push(`/feeds/${feed.id}.${FORMAT_INFO[format].extension}`);
    }
    for (const { tag } of await this.app.store.listTags()) {
      const colon = tag.indexOf(':');
      const stem = `/tags/${slugifyTagName(tag.slice(0, colon))}/${slugifyTagName(tag.slice(colon + 1))}`;
      for (const format of OUTPUT_FORMATS) paths.push(`${stem}.${FORMAT_INFO[format].extension}`);
    }
    return paths;
  }

  meta(feed: FeedConfig, stories: StoryView[]): FeedMeta {
    const stem = `${this.baseUrl}/feeds/${feed.id}`;
    const secret = feed.private && feed.token ? `?token=${encodeURIComponent(feed.token)}` : '';
    const updated = stories.reduce<string | undefined>((max, s) => (max === undefined || s.updated > max ? s.updated : max), undefined);
    return {
      id: feed.id,
      title: feed.title,
      description: feed.description,
      baseUrl: this.baseUrl,
      selfUrl: secret ? `${stem}.${feed.formats[0] ?? 'rss'}${secret}` : stem,
      htmlUrl: `${stem}${secret}`,
      updated: updated ?? this.started,
      hubUrl: this.app.config.server.websub_hub,
      generator: GENERATOR,
      formats: [...feed.formats],
      ttlMinutes: Math.max(1, Math.round(this.app.config.schedule.every / 60_000)),
      language: this.feedLanguage(stories),
    };
  }

  /** The feed's language when all its stories agree on one (RSS `<language>`, Atom `xml:lang`, JSON Feed `language`). */
  private feedLanguage(stories: StoryView[]): string | undefined {
    const languages = new Set(stories.map((s) => s.shown.language?.toLowerCase()).filter(Boolean));
    return languages.size === 1 ? stories.find((s) => s.shown.language)?.shown.language : undefined;
  }

  private async storiesOf(feed: FeedConfig): Promise<StoryView[]> {
    const version = `${await this.app.store.changeVersion()}|${feed.filter.max_age === null ? '' : Math.floor(Date.now() / 60_000)}`;
    const cached = this.feedStoriesCache.get(feed.id);
    if (cached?.version === version) return cached.stories;
    const stories = this.app.feedStories(feed);
    this.feedStoriesCache.set(feed.id, { version, stories });
    stories.catch(() => this.feedStoriesCache.delete(feed.id));
    return stories;
  }

  /** The tag behind `/tags/{type}/{slug}`, looked up among stored tags (never joined into a file path). */
  private async tagForPath(type: string, slug: string, version: string): Promise<string | undefined> {
    if (this.tagSlugs?.version !== version) {
      const byPath = new Map<string, string>();
      for (const { tag } of await this.app.store.listTags()) {
        const colon = tag.indexOf(':');
        byPath.set(`${slugifyTagName(tag.slice(0, colon))}/${slugifyTagName(tag.slice(colon + 1))}`, tag);
      }
      this.tagSlugs = { version, byPath };
    }
    return this.tagSlugs.byPath.get(`${type}/${slug}`);
  }

  /** The file at `path`, rendered now or taken from the cache when no story changed since; undefined for unknown paths. */
  async get(path: string): Promise<OutputFile | undefined> {
    const version = await this.version(path);
    if (version === undefined) return undefined;
    const cached = this.cache.get(path);
    if (cached && cached.version === version) return cached.file;
    const started = performance.now();
    const file = await this.render(path);
    this.onRender?.(path, (performance.now() - started) / 1000);
    if (file) this.cache.set(path, { version, file });
    return file;
  }

  /** Changes whenever the file's content may change: a story changed, or (for feeds with max_age) time passed. */
  private async version(path: string): Promise<string | undefined> {
    if (path === '/feed.xsl' || path === '/site.css') return 'static';
    const last = await this.app.store.changeVersion();
    const match = FEED_PATH.exec(path);
    if (match) {
      const feed = this.feeds.get(match[1] as string);
      if (!feed || (match[2] && match[2] !== 'html' && !feed.formats.includes(match[2] as OutputFormat))) return undefined;
      // a max_age window moves with the clock: let it re-check at most once a minute
      return feed.filter.max_age === null ? last : `${last}|${Math.floor(Date.now() / 60_000)}`;
    }
    const tag = TAG_PATH.exec(path);
    if (tag) return (await this.tagForPath(tag[1] as string, tag[2] as string, last)) ? last : undefined;
    return path === '/' || path === '/feeds.opml' ? `${last}|${Math.floor(Date.now() / 60_000)}` : undefined;
  }

  private async render(path: string): Promise<OutputFile | undefined> {
    if (path === '/feed.xsl') return makeFile(path, CONTENT_TYPES.xsl, FEED_XSL, this.started);
    if (path === '/site.css') return makeFile(path, CONTENT_TYPES.css, SITE_CSS, this.started);
    const site = { title: 'Wiredesk', baseUrl: this.baseUrl };
    if (path === '/' || path === '/feeds.opml') {
      const entries = [];
      for (const feed of this.publicFeeds()) {
        const stories = await this.storiesOf(feed);
        entries.push({ meta: this.meta(feed, stories), itemCount: stories.length, formats: [...feed.formats] });
      }
      const updated = entries.reduce((max, e) => (e.meta.updated > max ? e.meta.updated : max), this.started);
      return path === '/'
        ? makeFile(path, CONTENT_TYPES.html, renderIndexHtml(entries, site), updated)
        : makeFile(path, CONTENT_TYPES.opml, renderOpml(entries.map((e) => e.meta), { title: 'Wiredesk feeds', dateCreated: updated }), updated);
    }
    const tagMatch = TAG_PATH.exec(path);
    if (tagMatch) return this.renderTagFeed(path, tagMatch[1] as string, tagMatch[2] as string, tagMatch[3] as OutputFormat);
    const match = FEED_PATH.exec(path);
    const feed = match ? this.feeds.get(match[1] as string) : undefined;
    if (!match || !feed) return undefined;
    const stories = await this.storiesOf(feed);
    const meta = this.meta(feed, stories);
    const format = match[2];
    if (!format || format === 'html') {
      return makeFile(path, CONTENT_TYPES.html, renderFeedHtml(meta, stories, [...feed.formats]), meta.updated);
    }
    const outputFormat = format as OutputFormat;
    return makeFile(path, FORMAT_INFO[outputFormat].contentType, RENDERERS[outputFormat](meta, stories), meta.updated);
  }

  private async renderTagFeed(path: string, type: string, slug: string, format: OutputFormat): Promise<OutputFile | undefined> {
    const tag = await this.tagForPath(type, slug, await this.app.store.changeVersion());
    if (!tag) return undefined;
    const stories = await this.app.tagStories(tag, TAG_FEED_LIMIT);
    const updated = stories.reduce((max, s) => (s.updated > max ? s.updated : max), stories[0]?.updated ?? this.started);
    const meta = {
      ...buildTagFeedMeta(tag, { baseUrl: this.baseUrl, updated, hubUrl: this.app.config.server.websub_hub, generator: GENERATOR }),
      formats: [...OUTPUT_FORMATS],
      language: this.feedLanguage(stories),
    };
    return makeFile(path, FORMAT_INFO[format].contentType, RENDERERS[format](meta, stories), updated);
  }
}
