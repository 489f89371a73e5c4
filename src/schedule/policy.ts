// Scheduling policy as pure functions: what to fetch next, and a source's next check and failure state after a fetch.
import type { Config, SourceConfig } from '../config/schema.ts';
import type { FetchResult, FetchValidators, SourceState } from '../model/fetch.ts';
import {
  DAY_MS,
  applySkipHints,
  computeAdaptiveInterval,
  computeBackoffDelay,
  nextCronTime,
} from './interval.ts';
import type { PollHints } from './interval.ts';

/** What one refresh ended with; the pipeline's RefreshOutcome fits this shape. */
export interface CheckOutcome {
  ok: boolean;
  notModified?: boolean;
  status?: number;
  errorCode?: string;
  retryAfterSeconds?: number;
  maxAgeSeconds?: number;
  hints?: PollHints;
  wasUnconditional?: boolean;
  /** A 301/308 target learned by this fetch (also on failures: FetchError.permanentRedirect). */
  permanentRedirect?: string;
}

export interface NextCheckInput {
  source: Pick<SourceConfig, 'every' | 'cron'>;
  /** The state before this fetch (undefined for a source never fetched). */
  state: Pick<SourceState, 'consecutiveErrors'> | undefined;
  outcome: CheckOutcome;
  now: Date;
  fetch: Pick<Config['fetch'], 'backoff_max' | 'failing_after' | 'retry_after_max'>;
  schedule: Config['schedule'];
  /** Items the source published in the last 7 days, for the adaptive interval; undefined = unknown (use `every`). */
  publishedLastWeek?: number;
  /** The last known hints when this fetch parsed nothing (304, error); `outcome.hints` wins when present. */
  lastHints?: PollHints;
  /** Random source for jitter, in [0, 1). */
  random?: () => number;
}

/** The SourceState fields to persist after a fetch. Every key present must be written (undefined → NULL). */
export interface NextCheckPatch {
  nextCheckAt: string | undefined;
  consecutiveErrors: number;
  isFailing: boolean;
  isGone: boolean;
  effectiveUrl?: string;
  lastUnconditionalAt?: string;
}

/**
 * Turns what fetchFeed returned or threw into a CheckOutcome. Read structurally (`code`, `status`,
 * `retryAfterSeconds`, `permanentRedirect` of a FetchError) so this stage imports only model types.
 */
export function toCheckOutcome(settled: { result: FetchResult } | { error: unknown }, extra: { wasUnconditional?: boolean; hints?: PollHints } = {}): CheckOutcome {
  if ('result' in settled) {
    const { result } = settled;
    const outcome: CheckOutcome = { ok: true, notModified: result.notModified, status: result.status, ...extra };
    if (result.retryAfterSeconds !== undefined) outcome.retryAfterSeconds = result.retryAfterSeconds;
    if (result.maxAgeSeconds !== undefined) outcome.maxAgeSeconds = result.maxAgeSeconds;
    if (result.permanentRedirect !== undefined) outcome.permanentRedirect = result.permanentRedirect;
    return outcome;
  }
  const error = (settled.error ?? {}) as { code?: unknown; status?: unknown; retryAfterSeconds?: unknown; permanentRedirect?: unknown };
  const outcome: CheckOutcome = { ok: false, errorCode: typeof error.code === 'string' ? error.code : 'FETCH_FAILED', ...extra };
  if (typeof error.status === 'number') outcome.status = error.status;
  if (typeof error.retryAfterSeconds === 'number') outcome.retryAfterSeconds = error.retryAfterSeconds;
  if (typeof error.permanentRedirect === 'string') outcome.permanentRedirect = error.permanentRedirect;
  return outcome;
}

/** The regular interval of an `every:` source before hints (the configured one, or the adaptive one). */
export function computeRegularInterval(input: Pick<NextCheckInput, 'source' | 'schedule' | 'publishedLastWeek'>): number {
  const { source, schedule, publishedLastWeek } = input;
  const every = source.every ?? schedule.every;
  if (!schedule.adaptive || publishedLastWeek === undefined) return every;
  return computeAdaptiveInterval(publishedLastWeek, schedule);
}

const secondsToMs = (seconds: number | undefined) =>
  seconds === undefined || !Number.isFinite(seconds) || seconds < 0 ? 0 : Math.min(seconds, 1e10) * 1000;

function hasHints(hints: PollHints | undefined): hints is PollHints {
  return Boolean(hints && (hints.ttlMinutes !== undefined || hints.skipHours?.length || hints.skipDays?.length));
}

/**
 * After a fetch: the next check, the error count, the failing and gone flags.
 * - success: errors reset; `every:` sources wait their (adaptive) interval but never less than the source
 *   asks for (RSS ttl, Cache-Control max-age/Expires, Retry-After), each hint capped at schedule.max;
 *   skipHours/skipDays (GMT) push the check out of the skipped hours. `cron:` sources run at their next cron
 *   time in schedule.timezone, not before a Retry-After.
 * - failure: exponential back-off with jitter from the regular interval, capped at fetch.backoff_max;
 *   a Retry-After (429/503) is honoured up to fetch.retry_after_max; failing after fetch.failing_after errors.
 * - 410 Gone: no next check until the source's config changes (the store lifts isGone on a new config hash).
 */
export function computeNextCheck(input: NextCheckInput): NextCheckPatch {
  const { source, outcome, now, fetch, schedule } = input;
  const random = input.random ?? Math.random;
  const nowMs = now.getTime();
  const hints = hasHints(outcome.hints) ? outcome.hints : input.lastHints;
  const retryAfterMs = Math.min(secondsToMs(outcome.retryAfterSeconds), fetch.retry_after_max);
  const patch: NextCheckPatch = { nextCheckAt: undefined, consecutiveErrors: 0, isFailing: false, isGone: false };
  if (outcome.permanentRedirect) patch.effectiveUrl = outcome.permanentRedirect;

  if (outcome.ok) {
    // A full 200 proves the validators work as well as an unconditional fetch would: restart the 24h clock.
    if (outcome.wasUnconditional || !outcome.notModified) patch.lastUnconditionalAt = now.toISOString();
    if (source.cron) {
      const next = nextCronTime(source.cron, schedule.timezone, new Date(nowMs + Math.max(0, retryAfterMs - 1)));
      patch.nextCheckAt = (next ?? new Date(nowMs + schedule.max)).toISOString();
      return patch;
    }
    const floors = [
      Math.min(secondsToMs((hints?.ttlMinutes ?? 0) * 60), schedule.max),
      Math.min(secondsToMs(outcome.maxAgeSeconds), schedule.max),
      retryAfterMs,
    ];
    const interval = Math.max(computeRegularInterval(input), ...floors);
    patch.nextCheckAt = applySkipHints(new Date(nowMs + interval), hints).toISOString();
    return patch;
  }

  const errors = (input.state?.consecutiveErrors ?? 0) + 1;
  patch.consecutiveErrors = errors;
  patch.isFailing = errors >= fetch.failing_after;
  // RFC 9110 §15.5.11: 410 is permanent; polling stops until the configuration changes.
  if (outcome.errorCode === 'FETCH_GONE' || outcome.status === 410) {
    patch.isGone = true;
    return patch;
  }
  const base = source.cron ? schedule.min : computeRegularInterval(input);
  const delay = Math.max(computeBackoffDelay(errors, base, fetch.backoff_max, random), retryAfterMs);
  if (source.cron) {
    const next = nextCronTime(source.cron, schedule.timezone, new Date(nowMs + delay - 1));
    patch.nextCheckAt = (next ?? new Date(nowMs + delay)).toISOString();
    return patch;
  }
  patch.nextCheckAt = applySkipHints(new Date(nowMs + delay), hints).toISOString();
  return patch;
}

/**
 * The daily check on broken validators: a source that holds validators but has not delivered a full body
 * (200) in 24 hours gets one fetch without If-None-Match/If-Modified-Since.
 */
export function shouldFetchUnconditionally(
  state: Pick<SourceState, 'etag' | 'lastModified' | 'lastUnconditionalAt'> | undefined,
  now: Date,
): boolean {
  if (!state || (!state.etag && !state.lastModified)) return false;
  const last = state.lastUnconditionalAt ? Date.parse(state.lastUnconditionalAt) : Number.NaN;
  return Number.isNaN(last) || now.getTime() - last >= DAY_MS;
}

export interface FetchPlan {
  /** The URL to fetch: the remembered permanent redirect, else the configured URL. */
  url: string;
  validators?: FetchValidators;
  unconditional: boolean;
}

/** What to send for an `url:` source: the effective URL, and validators unless today's unconditional check is due. */
export function planFetch(
  source: Pick<SourceConfig, 'url'>,
  state: Pick<SourceState, 'effectiveUrl' | 'etag' | 'lastModified' | 'lastUnconditionalAt'> | undefined,
  now: Date,
  options: { force?: boolean } = {},
): FetchPlan {
  const configured = source.url ?? '';
  const effective = state?.effectiveUrl && /^https?:/i.test(state.effectiveUrl) ? state.effectiveUrl : configured;
  const unconditional = Boolean(options.force) || shouldFetchUnconditionally(state, now);
  const validators: FetchValidators = {};
  if (state?.etag) validators.etag = state.etag;
  if (state?.lastModified) validators.lastModified = state.lastModified;
  const hasValidators = validators.etag !== undefined || validators.lastModified !== undefined;
  return { url: effective, unconditional, ...(unconditional || !hasValidators ? {} : { validators }) };
}

/** Is the source due at `now`? Never while gone; at once when never checked. */
export function isSourceDue(state: Pick<SourceState, 'isGone' | 'nextCheckAt'> | undefined, now: Date): boolean {
  if (!state) return true;
  if (state.isGone) return false;
  return !state.nextCheckAt || Date.parse(state.nextCheckAt) <= now.getTime();
}
