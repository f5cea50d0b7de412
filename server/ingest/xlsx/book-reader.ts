import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type yauzl from 'yauzl';
import type { StreamBook } from './sheet-name.ts';
import { openZip, zipEntries } from './zip-guard.ts';

/** The reader options the price sheets and the workbook round trip use. */
const OPTIONS = {
  sharedStrings: 'cache',
  hyperlinks: 'ignore',
  styles: 'ignore',
  worksheets: 'emit',
} as const;

/** What this file calls of exceljs's WorkbookReader, beyond its typings. */
interface ReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<unknown>;
}

/** An entry's text as a stream of strings: UTF-8 decoded across chunk boundaries. */
function openText(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error(`cannot read ${entry.fileName}`));
      stream.setEncoding('utf8');
      resolve(stream);
    }),
  );
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * exceljs's streaming workbook reader, with the zip read through its central directory
 * (yauzl) instead of exceljs's one streaming pass (unzipper): the relationships, the
 * workbook, the shared strings, then each worksheet in the order of its file's number, its
 * rows still parsed as they are inflated.
 *
 * exceljs's own pass loses, at random, entries after the first ones (exceljs issues 3064 and
 * 2790, unzipper 0.10 on Node 20): of 1 000 reads of one small workbook openpyxl wrote, 171
 * named no sheet or read the wrong one. And exceljs decodes each inflated chunk alone, so a
 * letter whose UTF-8 bytes two chunks split (`é` in a long sheet) came out as U+FFFD; the
 * streams here hand it text decoded across chunks.
 *
 * Call it on a zip that `zipProblem` accepted (sizes and ratios checked).
 * @example for await (const sheet of openBook(bytes)) …
 */
export function openBook(bytes: Uint8Array): StreamBook {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The input is never read: parse() below takes the zip from `buffer`.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    buffer as never,
    OPTIONS,
  ) as unknown as ReaderInternals & { parse: () => AsyncGenerator<unknown> };
  reader.parse = async function* parse() {
    const zip = await openZip(buffer);
    try {
      const entries = await zipEntries(zip);
      const named = (name: string) => entries.find((e) => e.fileName === name);
      const rels = named('xl/_rels/workbook.xml.rels');
      if (rels) await reader._parseRels(await openText(zip, rels));
      const book = named('xl/workbook.xml');
      if (book) await reader._parseWorkbook(await openText(zip, book));
      const strings = named('xl/sharedStrings.xml');
      if (strings) yield* reader._parseSharedStrings(await openText(zip, strings));
      const sheets = entries
        .map((e) => ({ entry: e, no: SHEET.exec(e.fileName)?.[1] }))
        .filter((s): s is { entry: yauzl.Entry; no: string } => s.no !== undefined)
        .sort((a, b) => Number(a.no) - Number(b.no));
      for (const { entry, no } of sheets) {
        const stream = await openText(zip, entry);
        try {
          yield* reader._parseWorksheet(stream, no);
        } finally {
          stream.destroy();
        }
      }
    } finally {
      zip.close();
    }
  };
  return reader as unknown as StreamBook;
}
