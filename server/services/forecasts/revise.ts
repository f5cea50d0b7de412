import type { Assumptions } from '../../../models/assumptions.ts';
import type { ForecastJson } from '../../../models/forecast-json.ts';
import type { ScenariosFile } from '../../../models/scenarios.ts';
import type { ForecastRow } from '../../db/schema.ts';
import type { ForecastInput } from './compute.ts';
import type { ReviseRequest } from './request.ts';

/**
 * The create request of a revision: the rejected forecast's pinned inputs, with the body's
 * overrides. Assumptions: the body's (inline or a stored set), else the stored set the
 * forecast named, else its pinned inline assumptions. Prices: the body's `priceSheetIds`
 * (as of the body's `asOf`, else the forecast's quarter); else the newest as of the body's
 * `asOf`; else as the forecast chose them — the same listed versions, or the newest as of
 * its quarter chosen again (so a sheet uploaded since for that quarter is taken). Name,
 * scenarios, draws, seed and staleness threshold: the body's, else the forecast's.
 *
 * A what-if adjustment the forecast was computed with is carried with its assumptions: on
 * its stored set, applied again; in its pinned inline assumptions, already applied (taken as
 * they are). Either way it is recorded again, so the revision says what was adjusted. New
 * assumptions in the body are taken without it. The body's own `adjust` multiplies the
 * assumptions the revision is computed from — the forecast's, adjusted as they were, or the
 * body's — and is recorded composed with the carried one (× 1.2 then × 1.5: × 1.8).
 */
export function reviseRequest(row: ForecastRow, body: ReviseRequest): ForecastInput {
  const adjust = (row.result as ForecastJson).adjust;
  const carried = (applied: boolean) =>
    adjust ? { carried: { adjustment: adjust, applied } } : {};
  const assumptions =
    body.assumptions !== undefined
      ? { assumptions: body.assumptions }
      : body.assumptionsId !== undefined
        ? { assumptionsId: body.assumptionsId }
        : row.assumption_set_id !== null
          ? { assumptionsId: row.assumption_set_id, ...carried(false) }
          : { assumptions: row.assumptions as Assumptions, ...carried(true) };
  const latest = row.price_sources.some((s) => s.latest);
  const prices =
    body.priceSheetIds !== undefined
      ? { priceSheetIds: body.priceSheetIds, asOf: body.asOf ?? row.quarter }
      : body.asOf !== undefined
        ? { asOf: body.asOf }
        : latest
          ? { asOf: row.quarter }
          : { priceSheetIds: row.price_sources.map((s) => s.sheetId), asOf: row.quarter };
  const scenarios = body.scenarios ?? (row.scenarios as ScenariosFile | null) ?? undefined;
  return {
    name: body.name ?? row.name,
    ...assumptions,
    ...prices,
    ...(scenarios === undefined ? {} : { scenarios }),
    ...(body.adjust === undefined ? {} : { adjust: body.adjust }),
    draws: body.draws ?? row.draws,
    seed: body.seed ?? Number(row.seed),
    ...(body.staleAfterQuarters !== undefined
      ? { staleAfterQuarters: body.staleAfterQuarters }
      : row.stale_after_quarters !== null
        ? { staleAfterQuarters: row.stale_after_quarters }
        : {}),
  };
}
