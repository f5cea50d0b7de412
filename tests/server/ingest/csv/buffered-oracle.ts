// The buffered CSV parser as it was before the streaming one replaced it (git history), kept
// as the oracle the streaming parser is checked against: same rows, same issues, same notes.
import { setImmediate as nextTick } from 'node:timers/promises';
import { type Info, parse } from 'csv-parse';
import type { Result } from '../../../../models/result.ts';
import { PRICE_VALUE_COLUMNS, type PriceColumn } from '../../../../server/ingest/columns.ts';
import { mapHeader } from '../../../../server/ingest/header.ts';
import { parseLocaleDecimal } from '../../../../server/ingest/numbers.ts';
import {
  type Cell,
  cellIssue,
  finish,
  issueLog,
  type SourceRecord,
  tooManyRows,
  validateRecords,
} from '../../../../server/ingest/rows.ts';
import { decodeText } from '../../../../server/ingest/text.ts';
import type { ParseContext, ParsedPriceSheet } from '../../../../server/ingest/types.ts';

type Separator = ',' | ';' | '\t';

/** Bytes handed to the CSV parser at a time; the event loop runs between chunks. */
const CHUNK = 256 * 1024;

/**
 * The field separator of a CSV text: whichever of `;`, `,` and tab is most frequent outside
 * quotes on the first non-blank line (`,` when none is).
 * @example detectSeparator('ProviderName;SkuId;ListUnitPrice\n') //=> ";"
 */
function detectSeparator(text: string): Separator {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  let started = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') {
      if (started) break;
      continue;
    } else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
    if (ch.trim() !== '') started = true;
  }
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return counts[';'] > counts[','] ? ';' : ',';
}

interface RawRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * The 1-based line a record starts on: the line it ends on less the line breaks inside its
 * quoted fields (the text has LF line ends only).
 */
function startLine(info: Info, fields: readonly string[]): number {
  let breaks = 0;
  for (const f of fields)
    for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) breaks += 1;
  return info.lines - breaks;
}

/** The line of the quote left open at the end of a CSV text, if one is. */
function unclosedQuoteLine(text: string, delimiter: Separator): number | null {
  let open = -1;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (open !== -1) {
      if (c !== '"') continue;
      if (text[i + 1] === '"') i++;
      else {
        open = -1;
        fieldStart = false;
      }
    } else if (c === '"' && fieldStart) open = i;
    else fieldStart = c === delimiter || c === '\n';
  }
  if (open === -1) return null;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < open; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/** Reads the records of a CSV text (LF line ends), stopping after `limit` of them. */
async function readRecords(
  text: string,
  delimiter: Separator,
  limit: number,
): Promise<{ records: RawRecord[]; error?: { line?: number; message: string } }> {
  const records: RawRecord[] = [];
  let error: { line?: number; message: string } | undefined;
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  parser.on('readable', () => {
    for (let r = parser.read(); r !== null; r = parser.read()) {
      const { record, info } = r as { record: string[]; info: Info };
      if (record.every((f) => f.trim() === '')) continue;
      records.push({ line: startLine(info, record), fields: record });
      if (records.length >= limit) parser.destroy();
    }
  });
  const done = new Promise<void>((resolve) => {
    parser.on('error', (e: Error & { lines?: number; code?: string }) => {
      const opened = e.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(text, delimiter) : null;
      error =
        opened === null
          ? {
              ...(e.lines === undefined ? {} : { line: e.lines }),
              message: `is not valid CSV: ${e.message}`,
            }
          : {
              line: opened,
              message: `is not valid CSV: the quote opened on line ${opened} is never closed`,
            };
      resolve();
    });
    parser.on('end', resolve);
    parser.on('close', resolve);
  });
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length && !parser.destroyed; i += CHUNK) {
    parser.write(bytes.subarray(i, i + CHUNK));
    await nextTick();
  }
  if (!parser.destroyed) parser.end();
  await done;
  return error ? { records, error } : { records };
}

/** The decimal separator of a tab-separated file: "," when some price only reads that way. */
function tabDecimal(records: readonly RawRecord[], priceIndexes: readonly number[]): ',' | '.' {
  for (const r of records)
    for (const j of priceIndexes) {
      const v = r.fields[j]?.trim() ?? '';
      if (v !== '' && parseLocaleDecimal(v, '.') === null && parseLocaleDecimal(v, ',') !== null)
        return ',';
    }
  return '.';
}

/**
 * Parses a price sheet saved as CSV by Excel in English (`,`, decimal point) or French
 * (`;`, decimal comma, thousands grouped by spaces), with or without BOM, in UTF-8 or
 * Windows-1252. Every row must be valid, or the answer is the list of issues.
 * @example await parseCsv(bytes, { file: 'prices.csv', maxRows: 1_000_000 })
 */
export async function parseCsvBuffered(
  bytes: Uint8Array,
  ctx: ParseContext,
): Promise<Result<ParsedPriceSheet>> {
  const log = issueLog(ctx.file);
  const notes: string[] = [];
  const decoded = decodeText(bytes);
  if (decoded.note) notes.push(decoded.note);
  let text = decoded.text.replace(/\r\n?/g, '\n');

  // Excel reads, and some tools write, a first line "sep=;" naming the separator.
  let shift = 0;
  let separator: Separator;
  const sep = /^sep=([,;\t])\n/i.exec(text);
  if (sep) {
    separator = sep[1] as Separator;
    text = text.slice(sep[0].length);
    shift = 1;
  } else separator = detectSeparator(text);

  const read = await readRecords(text, separator, ctx.maxRows + 2);
  if (read.error) {
    log.add({ row: (read.error.line ?? 0) + shift, message: read.error.message });
    return finish('csv', { rows: [], lines: [] }, log);
  }
  const [header, ...data] = read.records.map((r) => ({ ...r, line: r.line + shift }));
  if (!header) {
    log.add({ message: 'is empty: no header line and no price rows' });
    return finish('csv', { rows: [], lines: [] }, log);
  }
  const columns = mapHeader(header.fields, header.line, ctx, log, (j) => `column ${j + 1}`);
  if (!columns) return finish('csv', { rows: [], lines: [] }, log);
  if (data.length > ctx.maxRows) {
    log.add(tooManyRows(ctx, data[ctx.maxRows]?.line ?? 0));
    return finish('csv', { rows: [], lines: [] }, log);
  }

  const priceIndexes = columns.flatMap((c, j) => (c && PRICE_VALUE_COLUMNS.includes(c) ? [j] : []));
  const decimal =
    separator === ';' ? ',' : separator === ',' ? '.' : tabDecimal(data, priceIndexes);
  if (separator === ';') notes.push('French locale: ";" separator, decimal comma');
  if (separator === '\t')
    notes.push(`tab separator, decimal ${decimal === ',' ? 'comma' : 'point'}`);
  const example = decimal === ',' ? '2,50 or 1 250,50' : '2.50 or 1,250.50';

  const records: SourceRecord[] = [];
  for (const r of data) {
    const width = header.fields.length;
    const extra = r.fields.slice(width).some((f) => f.trim() !== '');
    if (r.fields.length < width || extra) {
      log.add({
        row: r.line,
        message: `has ${r.fields.length} fields but the header has ${width}; check the separators and quotes on this line`,
      });
      continue;
    }
    const values: SourceRecord['values'] = {};
    const cells: Partial<Record<PriceColumn, Cell>> = {};
    const issues: ReturnType<typeof cellIssue>[] = [];
    columns.forEach((c, j) => {
      if (c === null) return;
      const raw = r.fields[j] ?? '';
      const cell: Cell = { row: r.line, column: j + 1, raw };
      cells[c] = cell;
      const t = raw.trim();
      // FOCUS exports write a missing value as NULL.
      if (t === '' || t === 'NULL') return;
      if (!PRICE_VALUE_COLUMNS.includes(c)) {
        values[c] = t;
        return;
      }
      const n = parseLocaleDecimal(t, decimal);
      if (n === null)
        issues.push(cellIssue(c, cell, `"${t}" is not a number (write it like ${example})`));
      else values[c] = n;
    });
    records.push({ at: { row: r.line }, values, cells, issues });
  }
  const result = await validateRecords(records, ctx, log);
  return finish('csv', result, log, { notes });
}
