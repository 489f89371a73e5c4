// The run mode chosen on the command line: --quick (under a minute), default (under ten), --full (up to thirty).

export interface BenchMode {
  name: 'quick' | 'default' | 'full';
  quick: boolean;
  full: boolean;
  /** Scratch directory for databases, documents and configs (removed at the end unless --keep). */
  workDir: string;
  /** Where bulk-generated databases are cached between runs (git-ignored). */
  cacheDir: string;
  root: string;
  log(line: string): void;
}
