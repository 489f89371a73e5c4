// Entry: parses argv, runs one command, and turns expected failures into a message and an exit code.
import { Command, CommanderError } from 'commander';
import { CommandError, DEFAULT_CONFIG } from './commands/shared.ts';

type Action = (options: never, ...rest: never[]) => Promise<number>;

/** Loads a command's module only when it runs: `check-config` need not load the HTTP, parsing and tagging stacks. */
function lazy<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string): Action {
  return (async (...args: unknown[]) => {
    const command = (await load())[name] as (...a: unknown[]) => Promise<number>;
    return command(...args);
  }) as Action;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('wiredesk')
    .description('News syndication feed aggregator: sources in YAML, deduplicated stories, republished as RSS, Atom and JSON Feed.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();

  const add = (name: string, description: string, action: Action, configure?: (command: Command) => void) => {
    const command = program
      .command(name)
      .description(description)
      .option('-c, --config <path>', 'the YAML config file', DEFAULT_CONFIG);
    configure?.(command);
    command.action(async (...args: unknown[]) => {
      // commander passes positional arguments first, then the options object and the command
      const positional = args.slice(0, -2);
      const options = args.at(-2);
      setExit(await (action as (o: unknown, ...p: unknown[]) => Promise<number>)(options, ...positional));
    });
    return command;
  };

  add('run', 'Run the daemon: fetch sources on their schedules and serve the curated feeds over HTTP. SIGHUP reloads the config.', lazy(() => import('./commands/run.ts'), 'runCommand'), (c) =>
    c.option('-w, --watch', 'reload the config when the file changes'),
  );
  add('fetch', 'Fetch the sources that are due (or one named source, now) once, then exit. Works beside a running daemon.', lazy(() => import('./commands/fetch.ts'), 'fetchCommand'), (c) =>
    c.option('-s, --source <id>', 'fetch only this source, now, ignoring its schedule').option('-a, --all', 'fetch every source now'),
  );
  add('serve', 'Serve the curated feeds from the database without fetching.', lazy(() => import('./commands/serve.ts'), 'serveCommand'));
  add('render', 'Write every published path (feeds, pages, OPML) as static files.', lazy(() => import('./commands/render.ts'), 'renderCommand'), (c) =>
    c.requiredOption('-o, --out <dir>', 'the folder to write into'),
  );
  add('sources', "Show each source's state: last fetch, status, consecutive errors, next check, effective URL.", lazy(() => import('./commands/sources.ts'), 'sourcesCommand'), (c) =>
    c.option('--json', 'print JSON'),
  );
  add('check-config', 'Validate the config; print every problem as file:line:column and exit non-zero on any.', lazy(() => import('./commands/check-config.ts'), 'checkConfigCommand'));
  add('stories', 'List stored stories, newest first; or record an editorial decision: merge A B, split ITEM, hide STORY, unhide STORY.', lazy(() => import('./commands/stories.ts'), 'storiesCommand'), (c) =>
    c
      .argument('[action]', 'merge | split | hide | unhide (none: list)')
      .argument('[ids...]', 'story ids (s_…), or for split an item id, guid or URL')
      .option('-t, --tag <tag...>', 'only stories with all these tags (type:Name)')
      .option('-f, --feed <id>', "only the stories of this curated feed, by its filter")
      .option('-n, --limit <n>', 'how many', '50')
      .option('--all', 'include hidden and withdrawn stories')
      .option('--json', 'print JSON'),
  );
  add('explain', 'Explain a story or item: why it joined its story and where each tag came from.', lazy(() => import('./commands/explain.ts'), 'explainCommand'), (c) =>
    c.argument('<story-or-item>', 'a story id (s_…), an item id, a guid or a URL'),
  );
  add('retag', 'Recompute the tags of stored items after rules, aliases or the gazetteer changed.', lazy(() => import('./commands/retag.ts'), 'retagCommand'), (c) =>
    c.option('--since <duration>', 'only items first seen within this duration (like 7d)'),
  );
  add('stats', 'Print counts: sources, items, stories, duplicates merged, database size.', lazy(() => import('./commands/maintenance.ts'), 'statsCommand'), (c) => c.option('--json', 'print JSON'));
  add('migrate', 'Apply pending database migrations (refused while the daemon runs).', lazy(() => import('./commands/maintenance.ts'), 'migrateCommand'));
  add('backup', 'Write a consistent copy of the database to FILE, also while the daemon runs.', lazy(() => import('./commands/maintenance.ts'), 'backupCommand'), (c) =>
    c.argument('<file>', 'the backup file to create (must not exist)'),
  );
  add('import-opml', "Add an OPML file's feeds to the config as url: sources (comments kept; ids from titles; known URLs skipped).", lazy(() => import('./commands/opml.ts'), 'importOpmlCommand'), (c) => c.argument('<file>', 'the OPML file').option('-n, --dry-run', 'print what would be added; write nothing'));
  add('export-opml', 'Print the url: sources as OPML 2.0, to move them to another feed reader.', lazy(() => import('./commands/opml.ts'), 'exportOpmlCommand'));
  add('purge', 'Purge stories older than retention.days now (the daemon does this every hour).', lazy(() => import('./commands/maintenance.ts'), 'purgeCommand'));
  return program;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CommandError) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    const coded = error as { code?: unknown; stage?: unknown; message?: string };
    if (typeof coded.code === 'string' && typeof coded.stage === 'string') {
      // an expected failure with a stable code (a newer database, a failed migration...): its message says it all
      process.stderr.write(`wiredesk: ${coded.message} (${coded.code})\n`);
      return 1;
    }
    process.stderr.write(`wiredesk: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
