import type { Kysely } from 'kysely';
import type { ForecastJson } from '../../../models/forecast-json.ts';
import type { ApprovalBlocker, Database, ForecastRow } from '../../db/schema.ts';
import { sheetReviews } from '../price-sheets/reviews.ts';

export type { ApprovalBlocker } from '../../db/schema.ts';

/**
 * The price sheets the forecast used that were stale for it, as it pinned them: the
 * freshness computed with the forecast (models/freshness.ts, its `staleAfterQuarters`), so
 * the answer never changes for a stored forecast.
 */
export function staleBlockers(forecast: ForecastRow): ApprovalBlocker[] {
  const json = forecast.result as ForecastJson;
  return (json.priceSheets ?? [])
    .filter((s) => s.stale === true)
    .map((s) => ({ sheetId: s.id, quarter: s.asOfQuarter, reason: 'stale' as const }));
}

/**
 * The price sheets the forecast used that are not accepted in a price-sheet review at the
 * time of the approval — never reviewed, or refused since the forecast was made — as their
 * latest review stands now (a sheet accepted after the forecast was made no longer needs an
 * acknowledgement). `db` is the approval's transaction; query through it, never another
 * connection (PGlite has one).
 */
export async function unreviewedBlockers(
  forecast: ForecastRow,
  db: Kysely<Database>,
): Promise<ApprovalBlocker[]> {
  const used = (forecast.result as ForecastJson).priceSheets ?? [];
  const states = await sheetReviews(db).latest(used.map((s) => s.id));
  return used
    .filter((s) => states.get(s.id)?.status !== 'accepted')
    .map((s) => ({ sheetId: s.id, quarter: s.asOfQuarter, reason: 'unreviewed' as const }));
}

/**
 * Why approving this forecast needs an explicit acknowledgement: each price sheet it used
 * that was stale for it or is unreviewed; none when it can be approved plainly. Sorted by
 * sheet id then reason, so that an acknowledgement records them in a stable order.
 */
export async function approvalBlockers(
  forecast: ForecastRow,
  db: Kysely<Database>,
): Promise<ApprovalBlocker[]> {
  const all = [...staleBlockers(forecast), ...(await unreviewedBlockers(forecast, db))];
  return all.sort((a, b) =>
    a.sheetId === b.sheetId ? a.reason.localeCompare(b.reason) : a.sheetId.localeCompare(b.sheetId),
  );
}
