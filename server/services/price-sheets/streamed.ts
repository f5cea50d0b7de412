// A spooled upload (CSV or XLSX) turned into the row blocks the price-sheets service stores.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Result } from '../../../models/result.ts';
import { BLOCK_ROWS, encodeBlockBytes } from '../../db/row-blocks.ts';
import { type CsvStreamSummary, parseCsvStream } from '../../ingest/csv/parse.ts';
import type { ParseContext, PriceRowBatch } from '../../ingest/types.ts';
import type { XlsxStreamSummary } from '../../ingest/xlsx/parse.ts';

/**
 * Bytes read from the spooled file at a time. Reads of 1 MB were no faster, and their
 * buffers (each one a new allocation) added 30–60 MB to the peak of a 1M-row upload before
 * the garbage collector freed them.
 */
const READ_CHUNK = 64 * 1024;

/** Consecutive valid rows of the upload, encoded as stored. */
export interface RowBlock {
  /** The sheet's row number (0-based) of the block's first row. */
  readonly first: number;
  readonly count: number;
  /** The providers the block's rows name. */
  readonly providers: readonly string[];
  /** Whether any row has a ContractedUnitPrice (the sheet is then a contract). */
  readonly contracted: boolean;
  /** The rows as `encodeBlockBytes` writes them. */
  readonly bytes: Uint8Array;
}

export interface BlockHandlers {
  /** Stores the next block; the block after it waits for the promise. */
  readonly onBlock: (block: RowBlock) => Promise<void>;
  /** Drops every block handed over so far: the file is being read again from the start. */
  readonly onRestart: () => Promise<void>;
}

const blockOf = (batch: PriceRowBatch): RowBlock => ({
  first: batch.first,
  count: batch.rows.length,
  providers: [...new Set(batch.rows.map((r) => r.ProviderName))],
  contracted: batch.rows.some((r) => r.ContractedUnitPrice !== undefined),
  bytes: encodeBlockBytes(batch.rows, batch.lines),
});

/**
 * Parses the CSV at `path` with the rules of `parseCsvStream`, handing its valid rows over
 * block by block. The answer is what counts: when it is not ok, every block handed over must
 * be dropped (the service rolls back its transaction).
 */
export function csvBlocks(
  path: string,
  ctx: ParseContext,
  handlers: BlockHandlers,
): Promise<Result<CsvStreamSummary>> {
  return parseCsvStream(() => createReadStream(path, { highWaterMark: READ_CHUNK }), ctx, {
    batchRows: BLOCK_ROWS,
    onBatch: (batch) => handlers.onBlock(blockOf(batch)),
    onRestart: handlers.onRestart,
  });
}

/**
 * Parses the XLSX workbook at `path` with the rules of `parseXlsxStream`, handing its valid
 * rows over block by block; the same rule holds for the answer. The workbook's own bytes
 * are read whole (the zip is checked before it is unpacked); its rows are not kept.
 */
export async function xlsxBlocks(
  path: string,
  ctx: ParseContext,
  handlers: Pick<BlockHandlers, 'onBlock'>,
): Promise<Result<XlsxStreamSummary>> {
  // exceljs loads on the first XLSX: about 30 MB a service taking only CSV never needs.
  const { parseXlsxStream } = await import('../../ingest/xlsx/parse.ts');
  return parseXlsxStream(await readFile(path), ctx, {
    onBatch: (batch) => handlers.onBlock(blockOf(batch)),
  });
}
