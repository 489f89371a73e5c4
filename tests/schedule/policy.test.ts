// Scheduling policy: intervals, hints, back-off, failing, gone, Retry-After caps, cron, unconditional checks.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import {
  applySkipHints,
  computeAdaptiveInterval,
  computeNextCheck,
  isSourceDue,
  nextCronTime,
  planFetch,
  shouldFetchUnconditionally,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
} from '../../src/schedule/index.ts';
import type { CheckOutcome, NextCheckInput } from '../../src/schedule/index.ts';

const config = configSchema.parse({ schedule: { every: '10m', min: '5m', max: '24h', adaptive: true } });
const now = new Date('2026-11-25T12:00:00.000Z'); // a Wednesday
const ok: CheckOutcome = { ok: true, notModified: false, status: 200 };

function next(outcome: CheckOutcome, extra: Partial<NextCheckInput> = {}) {
  return computeNextCheck({
    source: {},
    state: undefined,
    outcome,
    now,
    fetch: config.fetch,
    schedule: config.schedule,
    random: () => 0.5,
    ...extra,
  });
}
const delayOf = (patch: { nextCheckAt: string | undefined }) => Date.parse(patch.nextCheckAt ?? '') - now.getTime();

describe('success', () => {
  it('uses schedule.every and resets errors and failing', () => {
    const patch = next(ok, { state: { consecutiveErrors: 7 } });
    expect(delayOf(patch)).toBe(10 * MINUTE_MS);
    expect(patch).toMatchObject({ consecutiveErrors: 0, isFailing: false, isGone: false });
  });

  it("uses the source's every:", () => {
    expect(delayOf(next(ok, { source: { every: 30 * MINUTE_MS } }))).toBe(30 * MINUTE_MS);
  });

  it('adaptive: a week divided by items seen last week, clamped to min and max', () => {
    expect(computeAdaptiveInterval(168, { min: 5 * MINUTE_MS, max: DAY_MS })).toBe(HOUR_MS);
    expect(delayOf(next(ok, { publishedLastWeek: 168 }))).toBe(HOUR_MS);
    expect(delayOf(next(ok, { publishedLastWeek: 100_000 }))).toBe(5 * MINUTE_MS);
    expect(delayOf(next(ok, { publishedLastWeek: 1 }))).toBe(DAY_MS);
    expect(delayOf(next(ok, { publishedLastWeek: 0 }))).toBe(DAY_MS);
  });

  it('adaptive off: the configured interval whatever the volume', () => {
    const fixed = configSchema.parse({ schedule: { adaptive: false } }).schedule;
    expect(delayOf(next(ok, { schedule: fixed, publishedLastWeek: 1 }))).toBe(10 * MINUTE_MS);
  });

  it('never shorter than RSS ttl', () => {
    expect(delayOf(next({ ...ok, hints: { ttlMinutes: 60 } }))).toBe(HOUR_MS);
  });

  it('never shorter than Cache-Control max-age / Expires, capped at schedule.max', () => {
    expect(delayOf(next({ ...ok, maxAgeSeconds: 1800 }))).toBe(30 * MINUTE_MS);
    expect(delayOf(next({ ...ok, maxAgeSeconds: 365 * 86400 }))).toBe(DAY_MS);
  });

  it('never shorter than a Retry-After sent with a success', () => {
    expect(delayOf(next({ ...ok, retryAfterSeconds: 7200 }))).toBe(2 * HOUR_MS);
  });

  it('skipHours (GMT) pushes the check to the first allowed hour', () => {
    const patch = next({ ...ok, hints: { skipHours: [12, 13, 14] } });
    expect(patch.nextCheckAt).toBe('2026-11-25T15:00:00.000Z');
  });

  it('skipDays pushes the check to the next allowed day', () => {
    const patch = next({ ...ok, hints: { skipDays: ['Wednesday', 'Thursday'] } });
    expect(patch.nextCheckAt).toBe('2026-11-27T00:00:00.000Z');
  });

  it('hints remembered from an earlier fetch apply on a 304', () => {
    const patch = next({ ok: true, notModified: true, status: 304 }, { lastHints: { ttlMinutes: 120 } });
    expect(delayOf(patch)).toBe(2 * HOUR_MS);
  });

  it('contradictory skip hints (every hour) are ignored', () => {
    const all = Array.from({ length: 24 }, (_, h) => h);
    expect(applySkipHints(now, { skipHours: all })).toEqual(now);
  });

  it('remembers a permanent redirect as the effective URL', () => {
    expect(next({ ...ok, permanentRedirect: 'https://new.example/feed' }).effectiveUrl).toBe('https://new.example/feed');
  });
});

describe('cron sources', () => {
  it('run at their next cron time in schedule.timezone', () => {
    const berlin = configSchema.parse({ schedule: { timezone: 'Europe/Berlin' } }).schedule;
    // 07:30 Berlin = 06:30 UTC in November (CET).
    const patch = next(ok, { source: { cron: '30 7 * * *' }, schedule: berlin });
    expect(patch.nextCheckAt).toBe('2026-11-26T06:30:00.000Z');
  });

  it('a Retry-After still delays a cron source past the cron time', () => {
    const patch = next({ ok: false, status: 429, errorCode: 'HTTP_STATUS', retryAfterSeconds: 3 * 3600 }, { source: { cron: '*/15 * * * *' } });
    expect(patch.nextCheckAt).toBe('2026-11-25T15:00:00.000Z');
  });

  it('nextCronTime is strictly after the given time', () => {
    expect(nextCronTime('0 * * * *', 'UTC', now)?.toISOString()).toBe('2026-11-25T13:00:00.000Z');
  });
});

describe('failures', () => {
  const fail: CheckOutcome = { ok: false, status: 500, errorCode: 'HTTP_STATUS' };

  it('back-off grows exponentially with jitter, capped at fetch.backoff_max', () => {
    const delays: number[] = [];
    let state = { consecutiveErrors: 0 };
    for (let i = 0; i < 12; i++) {
      const patch = next(fail, { state, random: () => (i % 2 ? 0 : 0.999) });
      delays.push(delayOf(patch));
      state = { consecutiveErrors: patch.consecutiveErrors };
    }
    for (let i = 1; i < 8; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(config.fetch.backoff_max);
    expect(delays.at(-1)).toBeGreaterThanOrEqual(0.8 * config.fetch.backoff_max);
    expect(delays[0]).toBeGreaterThanOrEqual(0.8 * 10 * MINUTE_MS);
  });

  it('marks a source failing after fetch.failing_after errors; one success resets it', () => {
    const fourth = next(fail, { state: { consecutiveErrors: 3 } });
    expect(fourth).toMatchObject({ consecutiveErrors: 4, isFailing: false });
    const fifth = next(fail, { state: { consecutiveErrors: 4 } });
    expect(fifth).toMatchObject({ consecutiveErrors: 5, isFailing: true });
    expect(next(ok, { state: { consecutiveErrors: 5 } })).toMatchObject({ consecutiveErrors: 0, isFailing: false });
  });

  it('410 stops polling: gone, no next check', () => {
    const patch = next({ ok: false, status: 410, errorCode: 'FETCH_GONE' });
    expect(patch.isGone).toBe(true);
    expect(patch.nextCheckAt).toBeUndefined();
    expect(isSourceDue({ isGone: true, nextCheckAt: undefined }, now)).toBe(false);
  });

  it('429 honours Retry-After', () => {
    const patch = next({ ok: false, status: 429, errorCode: 'HTTP_STATUS', retryAfterSeconds: 6 * 3600 });
    expect(delayOf(patch)).toBe(6 * HOUR_MS);
  });

  it('an absurd Retry-After is capped at fetch.retry_after_max', () => {
    const capped = configSchema.parse({ fetch: { retry_after_max: '6h' } }).fetch;
    const patch = next({ ok: false, status: 503, errorCode: 'HTTP_STATUS', retryAfterSeconds: 999_999_999_999 }, { fetch: capped });
    expect(delayOf(patch)).toBe(6 * HOUR_MS);
  });
});

describe('what to fetch', () => {
  const state = { effectiveUrl: 'https://moved.example/feed', etag: '"e"', lastModified: 'Tue, 24 Nov 2026 10:00:00 GMT' };

  it('uses the remembered permanent redirect and the validators', () => {
    const plan = planFetch({ url: 'https://old.example/feed' }, { ...state, lastUnconditionalAt: now.toISOString() }, now);
    expect(plan).toEqual({ url: 'https://moved.example/feed', unconditional: false, validators: { etag: '"e"', lastModified: state.lastModified } });
  });

  it('once every 24h a source with validators and no full 200 is fetched unconditionally', () => {
    const recent = new Date(now.getTime() - 23 * HOUR_MS).toISOString();
    const old = new Date(now.getTime() - 25 * HOUR_MS).toISOString();
    expect(shouldFetchUnconditionally({ ...state, lastUnconditionalAt: recent }, now)).toBe(false);
    expect(shouldFetchUnconditionally({ ...state, lastUnconditionalAt: old }, now)).toBe(true);
    expect(shouldFetchUnconditionally({ lastUnconditionalAt: old }, now)).toBe(false); // no validators: always unconditional anyway
    expect(planFetch({ url: 'https://old.example/feed' }, { ...state, lastUnconditionalAt: old }, now)).toEqual({
      url: 'https://moved.example/feed',
      unconditional: true,
    });
  });

  it('a 200 restarts the 24h clock; a plain 304 does not', () => {
    expect(next(ok).lastUnconditionalAt).toBe(now.toISOString());
    expect(next({ ok: true, notModified: true, status: 304 }).lastUnconditionalAt).toBeUndefined();
    expect(next({ ok: true, notModified: true, status: 304, wasUnconditional: true }).lastUnconditionalAt).toBe(now.toISOString());
  });

  it('due when never checked or when the next check has passed', () => {
    expect(isSourceDue(undefined, now)).toBe(true);
    expect(isSourceDue({ isGone: false, nextCheckAt: '2026-11-25T11:59:00.000Z' }, now)).toBe(true);
    expect(isSourceDue({ isGone: false, nextCheckAt: '2026-11-25T12:01:00.000Z' }, now)).toBe(false);
  });
});
