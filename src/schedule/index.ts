// The schedule stage: pure policy (next check, back-off, gone, unconditional checks) and the fetch limiter.
export {
  computeNextCheck,
  computeRegularInterval,
  isSourceDue,
  planFetch,
  shouldFetchUnconditionally,
  toCheckOutcome,
} from './policy.ts';
export type { CheckOutcome, FetchPlan, NextCheckInput, NextCheckPatch } from './policy.ts';
export {
  applySkipHints,
  computeAdaptiveInterval,
  computeBackoffDelay,
  nextCronTime,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  WEEK_MS,
} from './interval.ts';
export type { PollHints } from './interval.ts';
export { createFetchLimiter, hostOf } from './limiter.ts';
export type { FetchLimiter } from './limiter.ts';
