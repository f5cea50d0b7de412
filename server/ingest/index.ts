import { fail, type Result } from '../../models/result.ts';
import { parseCsv } from './csv/parse.ts';
import { readJsonDocument } from './json/document.ts';
import { isCatalogue, litellmFromDocument } from './json/litellm.ts';
import { jsonRowsFromDocument } from './json/rows.ts';
import {
  DEFAULT_MAX_ROWS,
  type ParseContext,
  type ParsedPriceSheet,
  type PriceSheetFormat,
} from './types.ts';

export { priceColumn } from './columns.ts';
export {
  CSV_BATCH_ROWS,
  type CsvStreamHandlers,
  type CsvStreamSummary,
  parseCsv,
  parseCsvStream,
} from './csv/parse.ts';
export { detectSeparator } from './csv/separator.ts';
export { isCatalogue, LITELLM_SOURCE, parseLitellm } from './json/litellm.ts';
export { parseJsonRows } from './json/rows.ts';
export { numberText, parseLocaleDecimal, plainDecimal } from './numbers.ts';
export { MAX_ISSUES } from './rows.ts';
export type {
  ParseContext,
  ParsedPriceSheet,
  PriceRowBatch,
  PriceSheetFormat,
} from './types.ts';
export { DEFAULT_MAX_ROWS } from './types.ts';
export { DEFAULT_ZIP_LIMITS, type ZipLimits, zipProblem } from './xlsx/zip-guard.ts';

/** The media type of an XLSX workbook. */
export const XLSX_MEDIA = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SNIFF_BYTES = 1024 * 1024;

/** Whether JSON text (already known to start with "{") looks like a LiteLLM catalogue. */
function sniffCatalogue(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, SNIFF_BYTES));
  return (
    /"(litellm_provider|input_cost_per_token)"\s*:/.test(head) && !/^\s*\{\s*"rows"\s*:/.test(head)
  );
}

function sniffJson(bytes: Uint8Array): PriceSheetFormat | null {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i] ?? 0)) i++;
  if (bytes[i] === 0x5b) return 'json';
  if (bytes[i] === 0x7b) return sniffCatalogue(bytes) ? 'litellm' : 'json';
  return null;
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * The format of an upload: by media type, else by file extension, else by its first bytes
 * (zip → xlsx; `[` or `{` → json, or litellm when the object's values look like catalogue
 * entries; anything else → csv). `null` for formats we cannot read (.xls, .ods, PDF…).
 * @example detectFormat('prices.csv', bytes) //=> "csv"
 * @example detectFormat('upload', bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') //=> "xlsx"
 */
export function detectFormat(
  fileName: string,
  bytes: Uint8Array,
  mediaType?: string,
): PriceSheetFormat | null {
  const media = mediaType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === XLSX_MEDIA) return 'xlsx';
  // A zip is never CSV text: XLSX bytes sent as text/csv are read as the workbook they are.
  if (media === 'text/csv' || media === 'text/tab-separated-values')
    return isZip(bytes) ? 'xlsx' : 'csv';
  if (media === 'application/json') return sniffJson(bytes) ?? 'json';

  const ext = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  if (ext === 'json') return sniffJson(bytes) ?? 'json';
  if (ext === 'xls' || ext === 'ods' || ext === 'numbers' || ext === 'pdf') return null;

  if (isZip(bytes)) return 'xlsx';
  // An OLE2 compound file: the old binary .xls.
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return null;
  return sniffJson(bytes) ?? 'csv';
}

export interface ParseOptions {
  /** The uploaded file's name; copied into every issue. */
  readonly fileName: string;
  /** The upload's media type, when the client sent one. */
  readonly mediaType?: string | undefined;
  /** Fills ProviderName where a row has none; selects one provider in a catalogue. */
  readonly provider?: string | undefined;
  /** More price rows than this is an error (default 1 000 000). */
  readonly maxRows?: number | undefined;
}

/**
 * What every parser is told, from the upload's options: the provider trimmed (blank is none),
 * the row limit defaulted.
 * @example parseContext({ fileName: 'a.csv', provider: ' ' }) //=> { file: "a.csv", provider: undefined, maxRows: 1000000 }
 */
export function parseContext(opts: ParseOptions): ParseContext {
  const provider = opts.provider?.trim() || undefined;
  return { file: opts.fileName, provider, maxRows: opts.maxRows ?? DEFAULT_MAX_ROWS };
}

/**
 * Turns uploaded bytes into validated price rows, whatever the format (CSV in English or
 * French Excel style, JSON rows, a LiteLLM catalogue, XLSX). Any invalid row makes the whole
 * answer a list of issues (at most 1000, then "… and N more problems"), each with the file,
 * row, column, canonical field, raw value and why.
 * @example await parsePriceSheet(bytes, { fileName: 'prices.csv' }) //=> { ok: true, value: { format: 'csv', rows: [...], lines: [2, 3], skipped: 0, notes: [] } }
 */
export async function parsePriceSheet(
  bytes: Uint8Array,
  opts: ParseOptions,
): Promise<Result<ParsedPriceSheet>> {
  const ctx = parseContext(opts);
  const file = ctx.file;
  if (bytes.length === 0) return fail([{ file, message: 'is empty' }]);
  const format = detectFormat(file, bytes, opts.mediaType);
  switch (format) {
    case 'csv':
      return parseCsv(bytes, ctx);
    case 'xlsx':
      // Loaded on the first workbook: exceljs is about 30 MB that a service taking only CSV
      // and JSON never needs.
      return (await import('./xlsx/parse.ts')).parseXlsx(bytes, ctx);
    case 'json':
    case 'litellm': {
      const doc = readJsonDocument(bytes, ctx);
      if (!doc.ok) return doc;
      return isCatalogue(doc.value.tree)
        ? litellmFromDocument(doc.value, ctx)
        : jsonRowsFromDocument(doc.value, ctx);
    }
    case null:
      return fail([
        {
          file,
          message:
            'is in a format we cannot read; upload CSV, XLSX (Excel Workbook), JSON rows or a LiteLLM price catalogue',
        },
      ]);
  }
}
