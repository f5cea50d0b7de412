import type { Kysely } from 'kysely';
import type {
  Acknowledgement,
  ApprovalBlocker,
  Database,
  ForecastRow,
  ForecastStatus,
} from '../../db/schema.ts';
import { failure, type Outcome, success } from '../outcome.ts';
import { approvalBlockers } from './blockers.ts';
import type { Actor, ForecastsRepository, Move } from './repository.ts';

/**
 * Review transitions: from which status each action moves a forecast, and where to. A
 * rejected forecast is never submitted again: it is revised into a new draft (`revise`).
 */
export const TRANSITIONS = {
  submit: { from: ['draft'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  reject: { from: ['in_review'], to: 'rejected' },
} as const satisfies Record<string, { from: readonly ForecastStatus[]; to: ForecastStatus }>;
export type Transition = keyof typeof TRANSITIONS;

/** Why a review action did not apply. */
export type ReviewFailure =
  | { readonly reason: 'not_found' }
  | {
      readonly reason: 'conflict';
      /** The forecast's status now. */
      readonly status: ForecastStatus;
      /** The statuses the action moves a forecast from. */
      readonly from: readonly ForecastStatus[];
    }
  /** The key that created (or revised into) the forecast may not approve or reject it. */
  | { readonly reason: 'four_eyes'; readonly createdBy: string }
  /** Approving needs `acknowledge: { reason }`: these price sheets are stale or unreviewed. */
  | { readonly reason: 'acknowledgement_required'; readonly blockers: readonly ApprovalBlocker[] };

/** What the caller sent with the action. */
export interface ReviewInput {
  readonly note?: string | undefined;
  readonly acknowledge?: { readonly reason: string } | undefined;
}

/**
 * Whether `actor` created the forecast: by key id; by name for a forecast stored before
 * migration 0005, which recorded no key id.
 */
export const isCreator = (row: ForecastRow, actor: Actor): boolean =>
  row.created_by_key !== null ? row.created_by_key === actor.keyId : row.created_by === actor.name;

/**
 * Moves a forecast through review (`TRANSITIONS`) and appends the event, in one transaction.
 * Approve and reject: four eyes (not by the key that created or revised it, whatever its
 * role); approve: an acknowledgement when it has blockers (`approvalBlockers`), recorded in
 * the event with the blockers at that time.
 * @example review(repo, id, 'approve', actor, {}, now) //=> { ok: false, reason: 'conflict', status: 'draft', from: ['in_review'] }
 */
export async function review(
  repo: ForecastsRepository,
  id: string,
  action: Transition,
  actor: Actor,
  input: ReviewInput,
  at: Date,
): Promise<Outcome<ForecastRow, ReviewFailure>> {
  const t = TRANSITIONS[action];
  type Refusal = Exclude<ReviewFailure, { reason: 'not_found' }>;
  const decide = async (row: ForecastRow, trx: Kysely<Database>): Promise<Move | Refusal> => {
    if (!(t.from as readonly ForecastStatus[]).includes(row.status))
      return { reason: 'conflict', status: row.status, from: t.from };
    if (action !== 'submit' && isCreator(row, actor))
      return { reason: 'four_eyes', createdBy: row.created_by };
    let acknowledgement: Acknowledgement | null = null;
    if (action === 'approve') {
      const blockers = await approvalBlockers(row, trx);
      if (blockers.length > 0) {
        if (!input.acknowledge) return { reason: 'acknowledgement_required', blockers };
        acknowledgement = { reason: input.acknowledge.reason, blockers };
      }
    }
    return {
      kind: 'move',
      action,
      to: t.to,
      actor,
      at,
      note: input.note ?? null,
      review: action !== 'submit',
      acknowledgement,
    };
  };
  const done = await repo.transition(id, decide, (d): d is Move => 'kind' in d);
  if (!done) return failure({ reason: 'not_found' });
  if ('kind' in done.decision) return success(done.row);
  return failure(done.decision);
}
