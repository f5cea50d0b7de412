import { openBook } from '../xlsx/book-reader.ts';
import { sheetName } from '../xlsx/sheet-name.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits, zipProblem } from '../xlsx/zip-guard.ts';

/** The most rows of the Inputs sheet read: 5 000 workloads and every other block fit. */
export const MAX_INPUT_ROWS = 20_000;
/** Columns kept per row: the Inputs sheet uses 13; a few spare for a moved table. */
const MAX_INPUT_COLUMNS = 40;

/** One worksheet's cells as exceljs reads them: `cells.get(row)?.[column]`, both 1-based. */
export interface Grid {
  readonly sheet: string;
  readonly cells: ReadonlyMap<number, readonly unknown[]>;
  /** Every sheet of the workbook, in tab order. */
  readonly sheets: readonly string[];
}

/** Why a workbook's sheet could not be read, said of the whole file. */
export type GridFailure =
  | { readonly reason: 'unreadable'; readonly message: string }
  | { readonly reason: 'no_sheet'; readonly sheets: readonly string[] }
  | { readonly reason: 'too_many_rows'; readonly sheet: string };

const norm = (s: string) => s.normalize('NFC').trim().toLowerCase();

/**
 * Reads one sheet of an XLSX workbook into memory: the first whose name is one of `names`
 * (any case), else the only sheet of a one-sheet workbook (an Inputs sheet saved alone). The
 * zip is checked for bombs first (server/ingest/xlsx/zip-guard.ts), then streamed with
 * exceljs like a price sheet; other sheets are skipped unread.
 * @example await readSheet(bytes, ['Inputs', 'Hypothèses']) //=> { ok: true, value: { sheet: 'Inputs', cells, sheets } }
 */
export async function readSheet(
  bytes: Uint8Array,
  names: readonly string[],
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<{ ok: true; value: Grid } | ({ ok: false } & GridFailure)> {
  const problem = await zipProblem(bytes, limits);
  if (problem) return { ok: false, reason: 'unreadable', message: problem };
  const reader = openBook(bytes);
  const wanted = new Set(names.map(norm));
  const cells = new Map<number, unknown[]>();
  let sheets: string[] = [];
  let found: string | undefined;
  let tooMany = false;
  try {
    for await (const sheet of reader) {
      sheets = reader.model?.sheets?.map((s) => s.name) ?? [];
      const target =
        sheets.find((n) => wanted.has(norm(n))) ?? (sheets.length === 1 ? sheets[0] : undefined);
      const reading =
        found === undefined && target !== undefined && sheetName(reader, sheet) === target;
      if (reading) found = target;
      for await (const row of sheet) {
        if (!reading || tooMany) continue;
        if (row.number > MAX_INPUT_ROWS) {
          tooMany = true;
          continue;
        }
        cells.set(row.number, (row.values as unknown[]).slice(0, MAX_INPUT_COLUMNS + 1));
      }
    }
  } catch (e) {
    return {
      ok: false,
      reason: 'unreadable',
      message: `could not be read as an XLSX workbook (${e instanceof Error ? e.message : String(e)})`,
    };
  }
  if (found === undefined) return { ok: false, reason: 'no_sheet', sheets };
  if (tooMany) return { ok: false, reason: 'too_many_rows', sheet: found };
  return { ok: true, value: { sheet: found, cells, sheets } };
}
