// Entry: parses argv, runs one command, and turns expected failures into a message and an exit code.
import { Command, CommanderError } from 'commander';
import { checkConfigCommand } from './commands/check-config.ts';
import { explainCommand } from './commands/explain.ts';
import { fetchCommand } from './commands/fetch.ts';
import { backupCommand, migrateCommand, purgeCommand, statsCommand } from './commands/maintenance.ts';
import { exportOpmlCommand, importOpmlCommand } from './commands/opml.ts';
import { renderCommand } from './commands/render.ts';
import { retagCommand } from './commands/retag.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { CommandError, DEFAULT_CONFIG } from './commands/shared.ts';
import { sourcesCommand } from './commands/sources.ts';
import { storiesCommand } from './commands/stories.ts';

type Action = (options: never, ...rest: never[]) => Promise<number>;

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

  add('run', 'Run the daemon: fetch sources on their schedules and serve the curated feeds over HTTP. SIGHUP reloads the config.', runCommand as Action, (c) =>
    c.option('-w, --watch', 'reload the config when the file changes'),
  );
  add('fetch', 'Fetch the sources that are due (or one named source, now) once, then exit. Works beside a running daemon.', fetchCommand as Action, (c) =>
    c.option('-s, --source <id>', 'fetch only this source, now, ignoring its schedule').option('-a, --all', 'fetch every source now'),
  );
  add('serve', 'Serve the curated feeds from the database without fetching.', serveCommand as Action);
  add('render', 'Write every published path (feeds, pages, OPML) as static files.', renderCommand as Action, (c) =>
    c.requiredOption('-o, --out <dir>', 'the folder to write into'),
  );
  add('sources', "Show each source's state: last fetch, status, consecutive errors, next check, effective URL.", sourcesCommand as Action, (c) =>
    c.option('--json', 'print JSON'),
  );
  add('check-config', 'Validate the config; print every problem as file:line:column and exit non-zero on any.', checkConfigCommand as Action);
  add('stories', 'List stored stories, newest first; or record an editorial decision: merge A B, split ITEM, hide STORY, unhide STORY.', storiesCommand as Action, (c) =>
    c
      .argument('[action]', 'merge | split | hide | unhide (none: list)')
      .argument('[ids...]', 'story ids (s_…), or for split an item id, guid or URL')
      .option('-t, --tag <tag...>', 'only stories with all these tags (type:Name)')
      .option('-f, --feed <id>', "only the stories of this curated feed, by its filter")
      .option('-n, --limit <n>', 'how many', '50')
      .option('--all', 'include hidden and withdrawn stories')
      .option('--json', 'print JSON'),
  );
  add('explain', 'Explain a story or item: why it joined its story and where each tag came from.', explainCommand as Action, (c) =>
    c.argument('<story-or-item>', 'a story id (s_…), an item id, a guid or a URL'),
  );
  add('retag', 'Recompute the tags of stored items after rules, aliases or the gazetteer changed.', retagCommand as Action, (c) =>
    c.option('--since <duration>', 'only items first seen within this duration (like 7d)'),
  );
  add('stats', 'Print counts: sources, items, stories, duplicates merged, database size.', statsCommand as Action, (c) => c.option('--json', 'print JSON'));
  add('migrate', 'Apply pending database migrations (refused while the daemon runs).', migrateCommand as Action);
  add('backup', 'Write a consistent copy of the database to FILE, also while the daemon runs.', backupCommand as Action, (c) =>
    c.argument('<file>', 'the backup file to create (must not exist)'),
  );
  add('import-opml', "Add an OPML file's feeds to the config as url: sources (comments kept; ids from titles; known URLs skipped).", importOpmlCommand as Action, (c) => c.argument('<file>', 'the OPML file').option('-n, --dry-run', 'print what would be added; write nothing'));
  add('export-opml', 'Print the url: sources as OPML 2.0, to move them to another feed reader.', exportOpmlCommand as Action);
  add('purge', 'Purge stories older than retention.days now (the daemon does this every hour).', purgeCommand as Action);
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
    process.stderr.write(`wiredesk: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
