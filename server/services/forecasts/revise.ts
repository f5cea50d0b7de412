import type { Assumptions } from '../../../models/assumptions.ts';
import type { ForecastJson } from '../../../models/forecast-json.ts';
import type { ScenariosFile } from '../../../models/scenarios.ts';
import type { ForecastRow } from '../../db/schema.ts';
import type { ForecastRequest, ReviseRequest } from './request.ts';

/**
 * The create request of a revision: the rejected forecast's pinned inputs, with the body's
 * overrides. Assumptions: the body's (inline or a stored set), else the stored set the
 * forecast named, else its pinned inline assumptions. Prices: the body's `priceSheetIds`
 * (as of the body's `asOf`, else the forecast's quarter); else the newest as of the body's
 * `asOf`; else as the forecast chose them — the same listed versions, or the newest as of
 * its quarter chosen again (so a sheet uploaded since for that quarter is taken). Name,
 * scenarios, draws, seed and staleness threshold: the body's, else the forecast's. A what-if
 * adjustment (`adjust`) the forecast was computed with goes with its stored set again; pinned
 * inline assumptions are already adjusted (and are taken as they are); new assumptions in the
 * body are taken without it.
 */
export function reviseRequest(row: ForecastRow, body: ReviseRequest): ForecastRequest {
  const assumptions =
    body.assumptions !== undefined
      ? { assumptions: body.assumptions }
      : body.assumptionsId !== undefined
        ? { assumptionsId: body.assumptionsId }
        : row.assumption_set_id !== null
          ? { assumptionsId: row.assumption_set_id, ...adjustOf(row) }
          : { assumptions: row.assumptions as Assumptions };
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
    draws: body.draws ?? row.draws,
    seed: body.seed ?? Number(row.seed),
    ...(body.staleAfterQuarters !== undefined
      ? { staleAfterQuarters: body.staleAfterQuarters }
      : row.stale_after_quarters !== null
        ? { staleAfterQuarters: row.stale_after_quarters }
        : {}),
  };
}

/** The `adjust` a stored forecast was computed with (its JSON records it), as a request field. */
const adjustOf = (row: ForecastRow) => {
  const adjust = (row.result as ForecastJson).adjust;
  return adjust ? { adjust } : {};
};
