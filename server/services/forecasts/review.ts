import type { ForecastStatus } from '../../db/schema.ts';
import { failure, type Outcome, success } from '../outcome.ts';
import type { ForecastsRepository } from './repository.ts';
import { type ForecastSummary, forecastSummary } from './summary.ts';

/** Review transitions: from which statuses each action moves a forecast, and where to. */
export const TRANSITIONS = {
  submit: { from: ['draft', 'rejected'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  reject: { from: ['in_review'], to: 'rejected' },
} as const satisfies Record<string, { from: readonly ForecastStatus[]; to: ForecastStatus }>;
export type Transition = keyof typeof TRANSITIONS;

/** Why a review action did not apply: no such forecast, or its status does not allow it. */
export type ReviewFailure =
  | { readonly reason: 'not_found' }
  | {
      readonly reason: 'conflict';
      /** The forecast's status now. */
      readonly status: ForecastStatus;
      /** The statuses the action moves a forecast from. */
      readonly from: readonly ForecastStatus[];
    };

/**
 * Moves a forecast through review (`TRANSITIONS`), recording who did it, when, and why.
 * @example review(repo, id, 'approve', 'cfo', undefined) //=> { ok: false, reason: 'conflict', status: 'draft', from: ['in_review'] }
 */
export async function review(
  repo: ForecastsRepository,
  id: string,
  action: Transition,
  by: string,
  note: string | undefined,
): Promise<Outcome<ForecastSummary, ReviewFailure>> {
  const t = TRANSITIONS[action];
  const updated = await repo.review(id, t.from, t.to, by, note ?? null);
  if (updated) return success(forecastSummary(updated));
  const current = await repo.byId(id);
  if (!current) return failure({ reason: 'not_found' });
  return failure({ reason: 'conflict', status: current.status, from: t.from });
}
