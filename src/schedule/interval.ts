// Interval arithmetic for polling: cron times, adaptive intervals, source hints (ttl, skipHours, skipDays), back-off.
import { Cron } from 'croner';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** The polling hints a feed may publish (RSS 2.0 `<ttl>`, `<skipHours>`, `<skipDays>`). */
export interface PollHints {
  ttlMinutes?: number;
  skipHours?: readonly number[];
  skipDays?: readonly string[];
}

/** The first time strictly after `after` that `expression` fires in `timezone`, or undefined if it never does. */
export function nextCronTime(expression: string, timezone: string, after: Date): Date | undefined {
  // Without a callback croner only evaluates the pattern; it starts no timer.
  const cron = new Cron(expression, { timezone });
  return cron.nextRun(after) ?? undefined;
}

/**
 * Adaptive interval: a week divided by the items the source published in the last week (so a source with
 * 2,016 items a week is polled every 5 minutes, one with 7 once a day), clamped to [min, max]. A source
 * that published nothing in a week is polled at `max`.
 */
export function computeAdaptiveInterval(publishedLastWeek: number, bounds: { min: number; max: number }): number {
  const raw = publishedLastWeek > 0 ? WEEK_MS / publishedLastWeek : bounds.max;
  return Math.min(bounds.max, Math.max(bounds.min, Math.round(raw)));
}

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * Moves `at` forward to the first whole hour that is neither a skipped hour nor on a skipped day. RSS 2.0
 * (RSS Advisory Board spec, skipHours/skipDays) states both in GMT. When every hour is skipped the hints
 * are contradictory and ignored.
 */
export function applySkipHints(at: Date, hints: PollHints | undefined): Date {
  const hours = new Set((hints?.skipHours ?? []).filter((h) => Number.isInteger(h) && h >= 0 && h <= 23));
  const days = new Set((hints?.skipDays ?? []).map((d) => d.trim().toLowerCase()).filter((d) => DAY_NAMES.includes(d)));
  if (hours.size === 0 && days.size === 0) return at;
  const isSkipped = (date: Date) => hours.has(date.getUTCHours()) || days.has(DAY_NAMES[date.getUTCDay()] ?? '');
  if (!isSkipped(at)) return at;
  const candidate = new Date(at.getTime());
  candidate.setUTCMinutes(0, 0, 0);
  for (let step = 0; step < 24 * 7; step++) {
    candidate.setTime(candidate.getTime() + HOUR_MS);
    if (!isSkipped(candidate)) return candidate;
  }
  return at;
}

/**
 * Exponential back-off with jitter: base × 2^(errors−1), capped, then scaled by a random factor in
 * [0.8, 1.0] so sources that failed together (one host down) do not retry in lockstep. The cap is never
 * exceeded, and each step still grows (2 × 0.8 > 1).
 */
export function computeBackoffDelay(consecutiveErrors: number, baseMs: number, capMs: number, random: () => number): number {
  const exponent = Math.max(0, Math.min(consecutiveErrors - 1, 40));
  const capped = Math.min(capMs, baseMs * 2 ** exponent);
  const factor = 1 - 0.2 * Math.min(1, Math.max(0, random()));
  return Math.round(capped * factor);
}
