// Benchmark arithmetic and reporting: seeded randomness, medians and percentiles, rows of the results table.

/** mulberry32: a small seeded PRNG, so every run generates the same corpus. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pickOne = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** One line of the results table; `value` is the median, `peers` the same measurement of other tools in the same run. */
export interface ResultRow {
  section: string;
  metric: string;
  value: number | null;
  unit: string;
  /** Spread of repeated runs, when there were several. */
  min?: number;
  max?: number;
  runs?: number;
  peers?: Record<string, number | null>;
  /** ratio of Wiredesk to the named peer (or to the goal) */
  ratio?: { to: string; value: number };
  goal?: string;
  met?: boolean;
  note?: string;
}

export interface Reporter {
  rows: ResultRow[];
  notes: string[];
  add(row: ResultRow): void;
  note(text: string): void;
}

export function createReporter(log: (line: string) => void): Reporter {
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  return {
    rows,
    notes,
    add(row) {
      rows.push(row);
      log(`  ${formatRow(row)}`);
    },
    note(text) {
      notes.push(text);
      log(`  note: ${text}`);
    },
  };
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

function formatRow(row: ResultRow): string {
  const peers = row.peers ? Object.entries(row.peers).map(([k, v]) => `${k} ${formatNumber(v)}`).join(', ') : '';
  const ratio = row.ratio ? ` ratio ${row.ratio.value.toFixed(2)} of ${row.ratio.to}` : '';
  const goal = row.goal ? ` goal ${row.goal}: ${row.met === undefined ? '?' : row.met ? 'met' : 'MISSED'}` : '';
  return `${row.section} | ${row.metric}: ${formatNumber(row.value)} ${row.unit}${peers ? ` [${peers}]` : ''}${ratio}${goal}${row.note ? ` (${row.note})` : ''}`;
}

/** The whole table as Markdown, peers side by side. */
export function formatTable(rows: readonly ResultRow[]): string {
  const lines = ['| section | metric | Wiredesk | unit | peers (same run) | ratio | goal | met |', '|---|---|---:|---|---|---:|---|---|'];
  for (const row of rows) {
    const peers = row.peers ? Object.entries(row.peers).map(([k, v]) => `${k}: ${formatNumber(v)}`).join('; ') : '';
    const spread = row.runs && row.runs > 1 && row.min !== undefined ? ` (${formatNumber(row.min)}–${formatNumber(row.max)}, n=${row.runs})` : '';
    lines.push(
      `| ${row.section} | ${row.metric}${row.note ? ` — ${row.note}` : ''} | ${formatNumber(row.value)}${spread} | ${row.unit} | ${peers} | ${row.ratio ? `${row.ratio.value.toFixed(2)} × ${row.ratio.to}` : ''} | ${row.goal ?? ''} | ${row.met === undefined ? '' : row.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}

/** Runs `task` `runs` times and returns each duration in ms. */
export async function timeRuns(runs: number, task: () => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  return times;
}
