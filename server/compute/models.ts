import type { Assumptions } from '../../models/assumptions.ts';
import { buildModel, type Model } from '../../models/model.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { ok, type Result } from '../../models/result.ts';

/** Built models a worker (or the in-process pool) keeps, least recently used dropped first. */
export const CACHED_MODELS = 16;

export interface ModelCache {
  /**
   * `buildModel(assumptions, sheets)`, kept when the assumptions have a key: the keys stand
   * for one content each for the life of the pool, so a what-if on a stored assumption set
   * builds (and prepares) its model once. Inline assumptions are built every time.
   */
  model(
    assumptionsKey: string | undefined,
    assumptions: Assumptions,
    sheets: readonly { readonly key: string; readonly sheet: PriceSheet }[],
  ): Result<Model>;
  /** Drops the models that use a sheet, so that a forgotten sheet is not kept alive. */
  forgetSheet(key: string): void;
}

export function modelCache(limit = CACHED_MODELS): ModelCache {
  const models = new Map<string, { readonly model: Model; readonly sheetKeys: string[] }>();
  return {
    model(assumptionsKey, assumptions, sheets) {
      const build = () =>
        buildModel(
          assumptions,
          sheets.map((s) => s.sheet),
        );
      if (assumptionsKey === undefined) return build();
      const sheetKeys = sheets.map((s) => s.key);
      // Keys hold no NUL: the pool makes them from numbers and stored ids.
      const key = [assumptionsKey, ...sheetKeys].join('\u0000');
      const hit = models.get(key);
      if (hit) {
        models.delete(key);
        models.set(key, hit);
        return ok(hit.model);
      }
      const built = build();
      if (!built.ok) return built;
      models.set(key, { model: built.value, sheetKeys });
      for (const oldest of models.keys()) {
        if (models.size <= limit) break;
        models.delete(oldest);
      }
      return built;
    },
    forgetSheet(sheetKey) {
      for (const [key, m] of models) if (m.sheetKeys.includes(sheetKey)) models.delete(key);
    },
  };
}
