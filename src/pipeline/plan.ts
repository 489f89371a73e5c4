// Glue between a refresh and the schedule stage: gathers what the policy needs (publishing rate, hints) and returns the state to store.
import type { Config } from '../config/schema.ts';
import type { SourceState } from '../model/fetch.ts';
import { computeNextCheck, WEEK_MS } from '../schedule/index.ts';
import type { Store } from '../store/types.ts';
import type { PlanInput } from './refresh.ts';

/** The next check, error count and failing/gone flags after a refresh (policy in src/schedule/policy.ts). */
export async function planNextCheck(config: Config, store: Store, input: PlanInput): Promise<Partial<Omit<SourceState, 'sourceId'>>> {
  const { source, state, outcome, now } = input;
  const adaptive = config.schedule.adaptive && !source.cron;
  const publishedLastWeek = adaptive ? await store.countPublishedSince(source.id, new Date(now.getTime() - WEEK_MS), now) : undefined;
  return computeNextCheck({
    source,
    state,
    outcome,
    now,
    fetch: config.fetch,
    schedule: config.schedule,
    publishedLastWeek,
    lastHints: state?.pollHints,
  });
}
