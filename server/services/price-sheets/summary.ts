import {
  DEFAULT_STALE_AFTER_QUARTERS,
  forecastAsOfQuarter,
  freshness,
  type SheetKind,
} from '../../../models/freshness.ts';
import type { PriceSheetRow } from '../../db/schema.ts';
import type { PriceSheetFormat } from '../../ingest/index.ts';
import type { SheetReviewState } from './reviews.ts';

/** A stored price-sheet version, as the API shows it. */
export interface SheetSummary {
  readonly id: string;
  readonly quarter: string;
  readonly fileName: string;
  readonly format: PriceSheetFormat;
  readonly mediaType: string | null;
  readonly sha256: string;
  readonly byteSize: number;
  readonly providers: string[];
  readonly rowCount: number;
  readonly skipped: number;
  readonly notes: string[];
  readonly uploadedBy: string;
  /**
   * The id of the key that uploaded it (four eyes: that key may not review it); null on
   * versions stored before keys were recorded, where the name is compared instead.
   */
  readonly uploadedByKey: string | null;
  readonly uploadedAt: string;
  /** contract > provider > catalogue: which sheet wins a SKU. */
  readonly kind: SheetKind;
  /** The as-of quarter of its prices (the quarter it was uploaded for). */
  readonly asOf: string;
  /** The quarter its age is counted to: the current quarter, or the listing's `?asOf=`. */
  readonly ageRelativeTo: string;
  /** Whole quarters from `asOf` to `ageRelativeTo`. */
  readonly ageQuarters: number;
  readonly staleAfterQuarters: number;
  /** `ageQuarters > staleAfterQuarters` (models/freshness.ts). */
  readonly stale: boolean;
  /** Its latest review (a later one supersedes an earlier); null when never reviewed. */
  readonly review: SheetReviewState | null;
}

/** The quarter a listing counts ages to, and the threshold. */
export interface AgeBasis {
  readonly quarter: string;
  readonly staleAfterQuarters: number;
}

export const sheetSummary = (
  s: PriceSheetRow,
  basis: AgeBasis,
  review: SheetReviewState | null = null,
): SheetSummary => {
  const age = freshness(s.quarter, basis.quarter, basis.staleAfterQuarters);
  return {
    id: s.id,
    quarter: s.quarter,
    fileName: s.file_name,
    format: s.format as PriceSheetFormat,
    mediaType: s.media_type,
    sha256: s.sha256,
    byteSize: s.byte_size,
    providers: s.providers,
    rowCount: s.row_count,
    skipped: s.skipped,
    notes: s.notes,
    uploadedBy: s.uploaded_by,
    uploadedByKey: s.uploaded_by_key,
    uploadedAt: s.uploaded_at.toISOString(),
    kind: s.kind,
    asOf: s.quarter,
    ageRelativeTo: basis.quarter,
    ageQuarters: age.ageQuarters ?? 0,
    staleAfterQuarters: basis.staleAfterQuarters,
    stale: age.stale ?? false,
    review,
  };
};

/** A stored version as the API shows it, its age counted to a quarter (default: the current one). */
export type Summarize = (
  row: PriceSheetRow,
  ageQuarter?: string,
  review?: SheetReviewState | null,
) => SheetSummary;

/** {@link sheetSummary} with the server's threshold and clock. */
export function summarizer(opts: {
  /** The server's staleness threshold (COSTCAST_STALE_AFTER_QUARTERS). */
  readonly staleAfterQuarters?: number | undefined;
  /** The clock, for the current quarter. */
  readonly now?: (() => Date) | undefined;
}): Summarize {
  const staleAfterQuarters = opts.staleAfterQuarters ?? DEFAULT_STALE_AFTER_QUARTERS;
  const now = opts.now ?? (() => new Date());
  return (row, ageQuarter, review) =>
    sheetSummary(
      row,
      { quarter: ageQuarter ?? forecastAsOfQuarter(undefined, now()), staleAfterQuarters },
      review ?? null,
    );
}
