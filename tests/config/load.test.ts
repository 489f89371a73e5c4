// Defaults, environment overrides, freezing, reading files and the committed JSON Schema of the config.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfigText, validateConfig } from '../../src/config/load.ts';
import { sourceDefaults } from '../../src/config/schema.ts';
import { CONFIG_JSON_SCHEMA_PATH, listPropertyPaths, renderConfigJsonSchema } from '../../src/config/json-schema.ts';
import { KEY_DESCRIPTIONS } from '../../src/config/descriptions.ts';
import { renderConfigReference } from '../../src/config/reference.ts';

const dir = mkdtempSync(join(tmpdir(), 'wiredesk-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('defaults', () => {
  it('fills every section of an empty config', () => {
    const config = parseConfigText('', 'empty.yaml');
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, base_url: 'http://localhost:8080' });
    expect(config.database).toBe('db/wiredesk.sqlite');
    expect(config.log.level).toBe('info');
    expect(config.fetch).toMatchObject({ timeout: 20_000, max_body: 15 * 1024 * 1024, concurrency: 8, per_host: 2, allow_private_networks: false });
    expect(config.schedule).toEqual({ every: 600_000, min: 300_000, max: 86_400_000, adaptive: true, timezone: 'UTC' });
    expect(config.retention.days).toBe(30);
    expect(config.sources).toEqual([]);
    expect(config.feeds).toEqual([]);
    expect(config.tagging).toEqual({ entities: true, aliases: {}, rules: [] });
  });

  it('gives a url: source its title, attribution and republish defaults', () => {
    const config = validateConfig({ sources: [{ id: 'bbc-world', url: 'https://feeds.example.org/world.rss' }] });
    expect(config.sources[0]).toMatchObject({ id: 'bbc-world', title: 'bbc-world', attribution: 'bbc-world', republish: 'summary', priority: 0, tags: [], headers: {} });
    expect(config.sources[0]?.every).toBeUndefined();
  });

  it('gives a path: source republish full and the attribution of its title', () => {
    const config = validateConfig({ sources: [{ id: 'wire', title: 'Sample Wire', path: 'config/sample-wire/', republish: undefined }] });
    expect(config.sources[0]).toMatchObject({ title: 'Sample Wire', attribution: 'Sample Wire', republish: 'full', path: 'config/sample-wire/' });
  });

  it('keeps what the user wrote over the defaults', () => {
    const config = validateConfig({ sources: [{ id: 'w', title: 'W', attribution: 'Reuters', path: 'x.xml', republish: 'title', every: '90s' }] });
    expect(config.sources[0]).toMatchObject({ attribution: 'Reuters', republish: 'title', every: 90_000 });
    expect(sourceDefaults({ id: 'x', url: 'https://e.org/' } as never)).toEqual({ title: 'x', attribution: 'x', republish: 'summary' });
  });

  it('fills a feed and its filter', () => {
    const config = validateConfig({ feeds: [{ id: 'all', title: 'Everything' }] });
    expect(config.feeds[0]).toMatchObject({
      description: '',
      limit: 50,
      related: 5,
      formats: ['rss', 'atom', 'json'],
      filter: { tags_any: null, exclude_tags: null, sources: null, query: null, max_age: null },
    });
  });

  it('reads durations, sizes and one-word conditions', () => {
    const config = validateConfig({
      fetch: { timeout: '1m30s', max_body: '512KiB' },
      feeds: [{ id: 'f', title: 'F', filter: { max_age: '7d' } }],
      tagging: { rules: [{ tag: 'topic:drugs', any: 'cocaine' }] },
    });
    expect(config.fetch.timeout).toBe(90_000);
    expect(config.fetch.max_body).toBe(512 * 1024);
    expect(config.feeds[0]?.filter.max_age).toBe(7 * 86_400_000);
    expect(config.tagging.rules[0]?.any).toEqual(['cocaine']);
  });

  it('takes a key written without a value as absent, so its default applies', () => {
    const config = parseConfigText('sources:\n  # - id: bbc\n  #   url: https://e.org/\nfeeds:\n  - id: all\n    title: All\n    limit:\n    filter:\n', 'x.yaml');
    expect(config.sources).toEqual([]);
    expect(config.feeds[0]?.limit).toBe(50);
    expect(config.feeds[0]?.filter.tags_any).toBeNull();
  });

  it('keeps relative paths as written', () => {
    const config = validateConfig({ database: './data/x.sqlite', sources: [{ id: 'w', path: '../drops/wire/' }] });
    expect(config.database).toBe('./data/x.sqlite');
    expect(config.sources[0]?.path).toBe('../drops/wire/');
  });
});

describe('environment', () => {
  const yaml = 'server: { port: 9000 }\ndatabase: db/a.sqlite\nlog: { level: warn }\n';

  it('overrides server.port, database and log.level', () => {
    const config = parseConfigText(yaml, 'x.yaml', { WIREDESK_PORT: '9999', WIREDESK_DATABASE: ':memory:', WIREDESK_LOG_LEVEL: 'debug' });
    expect(config.server.port).toBe(9999);
    expect(config.database).toBe(':memory:');
    expect(config.log.level).toBe('debug');
  });

  it('leaves the file alone when the variables are unset or empty', () => {
    const config = parseConfigText(yaml, 'x.yaml', { WIREDESK_PORT: '' });
    expect(config.server.port).toBe(9000);
    expect(config.database).toBe('db/a.sqlite');
  });

  it('sets an override for a section the file does not have', () => {
    expect(parseConfigText('', 'x.yaml', { WIREDESK_PORT: '0' }).server.port).toBe(0);
  });

  it('expands ${VAR} in source headers', () => {
    const config = parseConfigText('sources:\n  - id: a\n    url: https://e.org/a\n    headers: { Authorization: "Bearer ${TOKEN}" }\n', 'x.yaml', { TOKEN: 's3cret' });
    expect(config.sources[0]?.headers).toEqual({ Authorization: 'Bearer s3cret' });
  });
});

describe('the result', () => {
  it('is frozen all the way down', () => {
    const config = validateConfig({ sources: [{ id: 'a', url: 'https://e.org/a', tags: ['topic:world'] }], feeds: [{ id: 'f', title: 'F' }] });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.sources[0]?.tags)).toBe(true);
    expect(Object.isFrozen(config.feeds[0]?.filter)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('loadConfigFile', () => {
  it('reads a file and names it in errors', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'log:\n  level: loud\n');
    expect(() => loadConfigFile(file, {})).toThrow(`${file}:2:10 log.level: "loud" is not one of fatal, error, warn, info, debug, trace, silent`);
  });

  it('reports a missing file as CONFIG_UNREADABLE', () => {
    const file = join(dir, 'missing.yaml');
    try {
      loadConfigFile(file, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('CONFIG_UNREADABLE');
      expect((error as ConfigError).errors).toEqual([`${file}: cannot read the config file (ENOENT)`]);
    }
  });

  it('refuses alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    expect(() => parseConfigText(bomb, 'bomb.yaml')).toThrow(ConfigError);
  });
});

describe('the JSON Schema for editors', () => {
  it('is up to date (run npm run config:schema)', () => {
    expect(readFileSync(CONFIG_JSON_SCHEMA_PATH, 'utf8')).toBe(renderConfigJsonSchema());
  });

  it('describes every key of the schema, and only those (src/config/descriptions.ts)', () => {
    const paths = listPropertyPaths();
    expect(paths.filter((path) => KEY_DESCRIPTIONS[path] === undefined)).toEqual([]);
    expect(Object.keys(KEY_DESCRIPTIONS).filter((path) => !paths.includes(path))).toEqual([]);
  });

  it('gives the README reference one row per key, with its default', () => {
    const reference = renderConfigReference();
    for (const path of Object.keys(KEY_DESCRIPTIONS)) expect(reference).toContain(`| \`${path}\` |`);
    expect(reference).toContain('| `fetch.timeout` | duration | `20s` |');
    expect(reference).toContain('| `sources[].republish` | full \\| summary \\| title | `summary` (url:), `full` (path:) |');
  });

  it('describes keys, human defaults and rejects unknown keys', () => {
    const schema = JSON.parse(renderConfigJsonSchema()) as { properties: Record<string, { properties: Record<string, { default?: unknown }>; additionalProperties?: boolean }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties['fetch']?.properties['timeout']?.default).toBe('20s');
    expect(schema.properties['schedule']?.properties['every']?.default).toBe('10m');
    expect(schema.properties['server']?.additionalProperties).toBe(false);
    expect((schema.properties['fetch']?.properties['timeout'] as { description?: string }).description).toBe(
      'Limit for a whole request, body included. Written as a duration like 90s, 5m, 24h or 7d; a bare number counts seconds.',
    );
  });
});
