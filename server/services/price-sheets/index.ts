import type { Kysely } from 'kysely';
import type { PriceRow, PriceSheet } from '../../../models/price-sheet.ts';
import { decodeBlock } from '../../db/row-blocks.ts';
import type { Database, PriceSource, SheetReviewDecision, SourceReview } from '../../db/schema.ts';
import type { Principal } from '../keys.ts';
import { failure, type Outcome, success } from '../outcome.ts';
import { sheetLoader } from './cache.ts';
import { type CataloguePrice, effectivePrices } from './catalogue.ts';
import { diffSheets, type SheetDiff } from './diff.ts';
import { priceSheetsRepository } from './repository.ts';
import {
  type SheetReview,
  type SheetReviewFailure,
  type SheetReviewState,
  sheetReviews,
} from './reviews.ts';
import { type SheetSummary, summarizer } from './summary.ts';
import type { UploadBody, UploadInput } from './upload.ts';
import {
  DEFAULT_UPLOAD_LIMITS,
  receiveUpload,
  storeUpload,
  type UploadLimits,
  type UploadStore,
} from './upload.ts';

export type { CataloguePrice } from './catalogue.ts';
export type { DiffEntry, DiffSide, SheetDiff } from './diff.ts';
export {
  type SheetReview,
  type SheetReviewFailure,
  type SheetReviewState,
  type UnreviewedSource,
  unreviewedSources,
} from './reviews.ts';
export { type AgeBasis, type SheetSummary, sheetSummary } from './summary.ts';
export {
  type FormPart,
  type Received,
  UPLOAD_MEDIA_TYPES,
  type UploadBody,
  type UploadFailure,
  type UploadInput,
  type UploadLimits,
  type UploadLog,
  type UploadOutcome,
  type UploadResult,
} from './upload.ts';

/** A version refused in review, which prices no forecast. */
export interface RefusedVersion {
  readonly id: string;
  readonly fileName: string;
  readonly providers: readonly string[];
  readonly review: SheetReviewState;
}

/** A price row as the API lists it: the FOCUS columns and the file line it came from. */
export type ListedRow = PriceRow & { readonly line: number };

export type PriceSheetsService = ReturnType<typeof priceSheetsService>;

/**
 * Price-sheet versions: immutable uploads with their rows, listed, paged and compared. Each
 * method answers a value — `null` for a version that is not stored, an `Outcome` for an
 * upload — and the routes decide what the client is told.
 */
export function priceSheetsService(
  db: Kysely<Database>,
  opts: {
    /** The server's staleness threshold (COSTCAST_STALE_AFTER_QUARTERS). */
    readonly staleAfterQuarters?: number;
    /** The clock, for the current quarter. */
    readonly now?: () => Date;
    /** Byte and row limits of an upload, and where it is spooled. */
    readonly uploads?: UploadLimits;
  } = {},
) {
  const repo = priceSheetsRepository(db);
  const summarize = summarizer(opts);
  const loader = sheetLoader(repo);
  const store: UploadStore = { db, summarize };
  const limits = opts.uploads ?? DEFAULT_UPLOAD_LIMITS;
  const reviews = sheetReviews(db);

  /** A version, its age counted to `asOf` (default: the current quarter); null if not stored. */
  async function get(id: string, asOf?: string): Promise<SheetSummary | null> {
    const row = await repo.byId(id);
    if (!row) return null;
    return summarize(row, asOf, (await reviews.latest([id])).get(id) ?? null);
  }

  /** An upload's answer, with the review of the version it was a duplicate of. */
  async function withReview<
    R extends { ok: boolean; value?: { duplicate: boolean; sheet: SheetSummary } },
  >(r: R): Promise<R> {
    if (!r.ok || !r.value?.duplicate) return r;
    const review = (await reviews.latest([r.value.sheet.id])).get(r.value.sheet.id) ?? null;
    return { ...r, value: { ...r.value, sheet: { ...r.value.sheet, review } } };
  }

  /**
   * The price sources "as of" a quarter: every price of `providers` (any case) at its
   * newest. Each provider, SKU and region is priced by the newest version, uploaded for
   * that quarter or an earlier one, that lists it, so a provider whose prices are split
   * across several sheets keeps them all, and a newer sheet replaces only what it lists.
   * The sources run newest first, each with the providers it still prices; versions left
   * with nothing to price are not among them, nor versions whose latest review refused them.
   */
  async function latestAsOf(quarter: string, providers: readonly string[]): Promise<PriceSource[]> {
    const wanted = new Set(providers.map((p) => p.trim().toLowerCase()));
    const candidates = await repo.asOf(quarter, [...wanted]);
    // Every candidate for the wanted providers, newest first; the selection leaves out what
    // a newer one prices, and a version left with no rows is not a source.
    const selected = await loader.select(
      candidates.map((c) => ({
        sheetId: c.id,
        providers: c.providers.filter((p) => wanted.has(p.trim().toLowerCase())),
        latest: true as const,
      })),
    );
    return candidates.flatMap((candidate, i) => {
      const sheet = selected[i];
      if (!sheet)
        throw new Error(`${candidates.length} sheets selected from gave ${selected.length}`);
      const taken = [...new Set(sheet.rows.map((r) => r.ProviderName))].sort();
      if (taken.length === 0) return [];
      const all = taken.length === candidate.providers.length;
      return [{ sheetId: candidate.id, providers: all ? null : taken, latest: true }];
    });
  }

  return {
    get,
    upload: async (input: UploadInput, o: Parameters<typeof storeUpload>[2]) =>
      withReview(await storeUpload(store, input, o)),
    receive: async (body: UploadBody, request: Parameters<typeof receiveUpload>[3]) =>
      withReview(await receiveUpload(store, limits, body, request)),

    /**
     * Records a review of a version (`accepted` or `refused`, with a note), four eyes against
     * its uploader: `not_found`, or `four_eyes` when the reviewer's key uploaded it.
     */
    review: (
      id: string,
      reviewer: Principal,
      decision: SheetReviewDecision,
      note: string | null,
    ): Promise<Outcome<SheetReview, SheetReviewFailure>> =>
      reviews.record(id, reviewer, decision, note),

    /** Every review of a version, oldest first; null when the version is not stored. */
    async reviews(id: string): Promise<SheetReview[] | null> {
      if (!(await repo.byId(id))) return null;
      return reviews.history(id);
    },

    /** The latest review of each of these versions that has one. */
    reviewStates: (ids: readonly string[]) => reviews.latest(ids),

    /**
     * The review state now of each sheet of `sources`, in their order: what a forecast pins
     * when it is created (`unreviewedSources` reads it).
     */
    async sourceReviews(sources: readonly PriceSource[]): Promise<SourceReview[]> {
      const ids = [...new Set(sources.map((s) => s.sheetId))];
      const quarters = await repo.quarters(ids);
      return reviews.sources(sources, quarters);
    },

    /** Versions, newest first, optionally of one provider (any case) and one quarter. */
    async list(filter: {
      readonly provider?: string | undefined;
      readonly quarter?: string | undefined;
      /** Ages count to this quarter; default the current one. */
      readonly asOf?: string | undefined;
      readonly limit: number;
      readonly offset: number;
    }): Promise<{ items: SheetSummary[]; total: number }> {
      const { rows, total } = await repo.page(filter);
      const states = await reviews.latest(rows.map((r) => r.id));
      return {
        items: rows.map((r) => summarize(r, filter.asOf, states.get(r.id) ?? null)),
        total,
      };
    },

    /** One page of a version's rows, in file order; null when the version is not stored. */
    async rows(
      id: string,
      page: { readonly limit: number; readonly offset: number; readonly asOf?: string | undefined },
    ): Promise<{ sheet: SheetSummary; rows: ListedRow[]; total: number } | null> {
      const sheet = await get(id, page.asOf);
      if (!sheet) return null;
      // The blocks the page falls in, then the page's rows out of them.
      const blocks = await repo.blocksBetween(id, page.offset, page.offset + page.limit);
      const rows: PriceRow[] = [];
      const lines: number[] = [];
      for (const b of blocks) decodeBlock(b.rows, rows, lines);
      const from = page.offset - (blocks[0]?.first_idx ?? page.offset);
      const listed: ListedRow[] = [];
      for (let k = from; k < Math.min(rows.length, from + page.limit); k++) {
        const row = rows[k];
        const line = lines[k];
        if (row === undefined || line === undefined)
          throw new Error(`price sheet ${id}: its stored blocks gave fewer lines than rows`);
        listed.push({ ...row, line });
      }
      return { sheet, rows: listed, total: sheet.rowCount };
    },

    /**
     * What changed from one version to another (`diffSheets`); when one of the two is not
     * stored, `not_found` with its id (`fromId` when neither is).
     */
    async diff(
      fromId: string,
      toId: string,
      limit: number,
    ): Promise<Outcome<SheetDiff, { readonly reason: 'not_found'; readonly id: string }>> {
      const [from, to] = await Promise.all([get(fromId), get(toId)]);
      if (!from) return failure({ reason: 'not_found', id: fromId });
      if (!to) return failure({ reason: 'not_found', id: toId });
      return success(await diffSheets(db, from, to, limit));
    },

    latestAsOf,

    /**
     * The prices a forecast "as of" `quarter` would use, one per provider, SKU and region
     * (`effectivePrices`): the same sources as {@link latestAsOf} — of every provider stored
     * for that quarter or before, or of `provider` — loaded as a forecast loads them.
     */
    async catalogue(
      quarter: string,
      filter: {
        readonly provider?: string | undefined;
        readonly q?: string | undefined;
        readonly limit: number;
      },
    ): Promise<{ items: CataloguePrice[]; total: number; ambiguous: number }> {
      const providers = filter.provider ? [filter.provider] : await repo.providersAsOf(quarter);
      if (providers.length === 0) return { items: [], total: 0, ambiguous: 0 };
      const sources = await latestAsOf(quarter, providers);
      return effectivePrices(await loader.load(sources), filter);
    },

    /**
     * The versions `latestAsOf` left out for `providers` because review refused them, newest
     * first, each with its file name, providers and refusal.
     */
    async refusedAsOf(quarter: string, providers: readonly string[]): Promise<RefusedVersion[]> {
      const rows = await repo.refusedAsOf(quarter, [
        ...new Set(providers.map((p) => p.trim().toLowerCase())),
      ]);
      const states = await reviews.latest(rows.map((r) => r.id));
      return rows.flatMap((r) => {
        const review = states.get(r.id);
        return review ? [{ id: r.id, fileName: r.file_name, providers: r.providers, review }] : [];
      });
    },

    /**
     * The sheets of a forecast, with only the chosen rows, in source order. Versions are
     * immutable, so the same sources give the same sheet objects back while they are cached
     * (the compute pool then sends a worker each sheet once, not with every request).
     */
    load: (sources: readonly PriceSource[]): Promise<readonly PriceSheet[]> => loader.load(sources),

    /** Which of these ids are not stored versions. */
    async missing(ids: readonly string[]): Promise<string[]> {
      const unknown = ids.filter((id) => !loader.has(id));
      if (unknown.length === 0) return [];
      const have = await repo.existing(unknown);
      return unknown.filter((id) => !have.has(id));
    },
  };
}
