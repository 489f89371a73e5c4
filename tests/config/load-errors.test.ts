// Named bad configs, each with the exact messages check-config prints (file:line:col path: text).
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText, validateConfig } from '../../src/config/load.ts';

/** The errors a config text raises; fails the test when it validates. */
function errorsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(text, 'bad.yaml', env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    return (error as ConfigError).errors;
  }
  throw new Error('the config validated');
}

const cases: { name: string; yaml: string; env?: NodeJS.ProcessEnv; errors: string[] }[] = [
  {
    name: 'a duration written in words',
    yaml: 'sources:\n  - id: a\n    url: https://example.org/a.rss\n  - id: b\n    url: https://example.org/b.rss\n  - id: c\n    url: https://example.org/c.rss\n    every: "5 minutes"\n',
    errors: ['bad.yaml:8:12 sources[2].every: "5 minutes" is not a duration (use 5m)'],
  },
  {
    name: 'a misspelt key, with a suggestion',
    yaml: 'sources:\n  - id: a\n    url: https://example.org/a.rss\n    evrey: 5m\n',
    errors: ['bad.yaml:4:5 sources[0].evrey: unknown key (did you mean every?)'],
  },
  {
    name: 'an unknown top-level key far from any known key',
    yaml: 'wibble: true\n',
    errors: ['bad.yaml:1:1 wibble: unknown key'],
  },
  {
    name: 'a source with both url and path',
    yaml: 'sources:\n  - id: a\n    url: https://example.org/a.rss\n    path: feeds/a.xml\n',
    errors: ['bad.yaml:2:5 sources[0]: a source needs exactly one of url: or path:'],
  },
  {
    name: 'a source with neither url nor path',
    yaml: 'sources:\n  - id: a\n    title: A\n',
    errors: ['bad.yaml:2:5 sources[0]: a source needs exactly one of url: or path:'],
  },
  {
    name: 'an id with capitals and spaces',
    yaml: 'sources:\n  - id: Reuters World\n    url: https://example.org/a.rss\n',
    errors: ['bad.yaml:2:9 sources[0].id: "Reuters World" is not a valid source id: use lowercase letters, digits and - (like reuters-world)'],
  },
  {
    name: 'duplicate source ids',
    yaml: 'sources:\n  - id: a\n    url: https://example.org/a.rss\n  - id: a\n    path: feeds/\n',
    errors: ['bad.yaml:4:9 sources[1].id: duplicate source id "a" (also sources[0])'],
  },
  {
    name: 'a non-http url',
    yaml: 'sources:\n  - id: a\n    url: ftp://example.org/a.rss\n',
    errors: ['bad.yaml:3:10 sources[0].url: "ftp://example.org/a.rss" is not an http(s) URL'],
  },
  {
    name: 'every and cron together, and a bad cron',
    yaml: 'sources:\n  - id: a\n    url: https://example.org/a.rss\n    every: 5m\n    cron: "every day"\n',
    errors: ['bad.yaml:5:11 sources[0].cron: "every day" is not a cron expression (like "*/5 * * * *")', 'bad.yaml:5:11 sources[0].cron: use every: or cron:, not both'],
  },
  {
    name: 'a port written as text',
    yaml: 'server:\n  port: eighty\n',
    errors: ['bad.yaml:2:9 server.port: expected a number, got "eighty"'],
  },
  {
    name: 'a size without a known unit',
    yaml: 'fetch:\n  max_body: 15 megs\n',
    errors: ['bad.yaml:2:13 fetch.max_body: "15 megs" is not a size (use 15MiB)'],
  },
  {
    name: 'an unknown republish policy',
    yaml: 'sources:\n  - id: a\n    url: https://example.org/a.rss\n    republish: ful\n',
    errors: ['bad.yaml:4:16 sources[0].republish: "ful" is not one of full, summary, title (did you mean full?)'],
  },
  {
    name: 'a tag without a type',
    yaml: 'sources:\n  - id: a\n    url: https://example.org/a.rss\n    tags: [colombia]\n',
    errors: ['bad.yaml:4:12 sources[0].tags[0]: "colombia" is not a tag: write type:Name (like place:Colombia or topic:drugs)'],
  },
  {
    name: 'a feed without a title, filtering on an unknown source',
    yaml: 'sources:\n  - id: wire\n    path: wire/\nfeeds:\n  - id: latam\n    filter: { sources: [wier] }\n',
    errors: ['bad.yaml:5:5 feeds[0].title: is required', 'bad.yaml:6:25 feeds[0].filter.sources[0]: unknown source "wier" (did you mean wire?)'],
  },
  {
    name: 'an unknown output format and a zero limit',
    yaml: 'feeds:\n  - id: all\n    title: All\n    formats: [rss, html]\n    limit: 0\n',
    errors: ['bad.yaml:4:20 feeds[0].formats[1]: "html" is not one of rss, atom, json', 'bad.yaml:5:12 feeds[0].limit: 0 is too small (minimum 1)'],
  },
  {
    name: 'a rule with neither tag nor untag, and a broken regex',
    yaml: 'tagging:\n  rules:\n    - any: [cocaine]\n    - tag: topic:x\n      regex: "("\n',
    errors: ['bad.yaml:3:7 tagging.rules[0]: a rule needs exactly one of tag: or untag:', 'bad.yaml:5:14 tagging.rules[1].regex: "(" is not a valid regular expression'],
  },
  {
    name: 'schedule.min longer than schedule.max',
    yaml: 'schedule: { min: 2h, max: 1h }\n',
    errors: ['bad.yaml:1:18 schedule.min: must not be longer than schedule.max'],
  },
  {
    name: 'an unknown time zone',
    yaml: 'schedule:\n  timezone: Mars/Olympus\n',
    errors: ['bad.yaml:2:13 schedule.timezone: "Mars/Olympus" is not an IANA time zone (like UTC or Europe/Berlin)'],
  },
  {
    name: 'a list where a mapping belongs',
    yaml: 'sources: { id: a }\n',
    errors: ['bad.yaml:1:10 sources: expected a list, got a mapping'],
  },
  {
    name: 'a header variable missing from the environment',
    yaml: 'sources:\n  - id: a\n    url: https://example.org/a.rss\n    headers: { Authorization: "Bearer ${A_TOKEN}" }\n',
    errors: ['bad.yaml:4:31 sources[0].headers.Authorization: environment variable A_TOKEN is not set'],
  },
  {
    name: 'a bad environment override',
    yaml: 'server: { port: 8080 }\n',
    env: { WIREDESK_PORT: 'http', WIREDESK_LOG_LEVEL: 'loud' },
    errors: ['WIREDESK_PORT (environment) server.port: expected a number, got "http"', 'WIREDESK_LOG_LEVEL (environment) log.level: "loud" is not one of fatal, error, warn, info, debug, trace, silent'],
  },
  {
    name: 'an empty entry in a list',
    yaml: 'sources:\n  -\n  - id: a\n    url: https://example.org/a.rss\n',
    errors: ['bad.yaml:2:4 sources[0]: expected a mapping (key: value), got nothing'],
  },
  {
    name: 'a duplicate key (YAML error)',
    yaml: 'server:\n  port: 1\n  port: 2\n',
    errors: ['bad.yaml:3:3 YAML: Map keys must be unique'],
  },
  {
    name: 'a tab used as indentation (YAML error)',
    yaml: 'feeds:\n\t- id: x\n',
    errors: ['bad.yaml:2:1 YAML: Tabs are not allowed as indentation'],
  },
];

describe('bad configs', () => {
  it.each(cases)('$name', ({ yaml, env, errors }) => {
    expect(errorsOf(yaml, env)).toEqual(errors);
  });

  it('reports every error of a file at once, in file order', () => {
    const yaml = 'server:\n  port: x\n  hots: a\nsources:\n  - id: A\n    url: https://example.org/a.rss\n    every: soon\nfeeds:\n  - id: f\n';
    expect(errorsOf(yaml)).toEqual([
      'bad.yaml:2:9 server.port: expected a number, got "x"',
      'bad.yaml:3:3 server.hots: unknown key (did you mean host?)',
      'bad.yaml:5:9 sources[0].id: "A" is not a valid source id: use lowercase letters, digits and - (like reuters-world)',
      'bad.yaml:7:12 sources[0].every: "soon" is not a duration (use 5m)',
      'bad.yaml:9:5 feeds[0].title: is required',
    ]);
  });

  it('names the path without a position when the config did not come from a file', () => {
    expect(() => validateConfig({ database: '' })).toThrow(ConfigError);
    try {
      validateConfig({ database: '', log: { level: 'loud' } }, 'inline');
    } catch (error) {
      expect((error as ConfigError).errors).toEqual(['inline: database: must not be empty', 'inline: log.level: "loud" is not one of fatal, error, warn, info, debug, trace, silent']);
    }
    try {
      validateConfig({ retention: { days: 0 } });
    } catch (error) {
      expect((error as ConfigError).errors).toEqual(['retention.days: 0 is too small (minimum 1)']);
    }
  });
});
