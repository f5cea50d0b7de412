import type { PriceRow } from '../../models/price-sheet.ts';

export type PriceSheetFormat = 'csv' | 'json' | 'litellm' | 'xlsx';

/** What a parser hands back: validated rows and where each came from. */
export interface ParsedPriceSheet {
  readonly format: PriceSheetFormat;
  readonly rows: readonly PriceRow[];
  /** `lines[i]` is the 1-based file line (CSV, JSON) or sheet row (XLSX) of `rows[i]`. */
  readonly lines: readonly number[];
  /** Catalogue entries left out because they are not models or carry no usable token price. */
  readonly skipped: number;
  /** What the parser decided on its own, e.g. `decoded as Windows-1252`. */
  readonly notes: readonly string[];
}

/** Valid rows of a sheet, in file order, as the streaming parsers hand them over. */
export interface PriceRowBatch {
  /** Index in the sheet of `rows[0]`: the number of rows handed over before. */
  readonly first: number;
  readonly rows: readonly PriceRow[];
  /** `lines[i]` is the 1-based file line (CSV) or sheet row (XLSX) of `rows[i]`. */
  readonly lines: readonly number[];
}

/** What every format parser is told about the upload. */
export interface ParseContext {
  /** The uploaded file's name, copied into every issue. */
  readonly file: string;
  /** Fills `ProviderName` where a row has none; selects that provider's models in a catalogue. */
  readonly provider?: string | undefined;
  /** More data rows than this is an error. */
  readonly maxRows: number;
}

export const DEFAULT_MAX_ROWS = 1_000_000;
