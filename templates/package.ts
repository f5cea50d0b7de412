import yauzl from 'yauzl';
import yazl from 'yazl';
import { type ChartSpec, placeCharts } from './charts/index.ts';
import type { Parts } from './charts/opc.ts';

export type { ChartSpec } from './charts/index.ts';

export interface FinalizeOptions {
  readonly charts: readonly ChartSpec[];
  /** The generation time: every zip entry's date and the document's created/modified. */
  readonly date: Date;
}

/** Fixed so that the same parts always compress to the same bytes. */
const DEFLATE_LEVEL = 6;
const CONTENT_TYPES = '[Content_Types].xml';

/**
 * Finishes the package exceljs wrote: adds the native charts it cannot write, then re-packs
 * the zip deterministically (entries in a fixed order, all dated `date`, fixed compression),
 * so the same workbook and the same date give byte-identical files.
 * @example
 * const xlsx = await finalizeXlsx(await wb.xlsx.writeBuffer(), { charts, date });
 * //=> <Buffer 50 4b 03 04 …>
 */
export async function finalizeXlsx(xlsx: Uint8Array, opts: FinalizeOptions): Promise<Buffer> {
  const { date } = opts;
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1980) {
    throw new Error('finalizeXlsx: date must be a valid date from 1980 on (zip time stamps)');
  }
  const parts = await readParts(xlsx);
  placeCharts(parts, opts.charts);
  stampCoreDates(parts, date);
  return writeParts(parts, date);
}

const isXml = (name: string) => name.endsWith('.xml') || name.endsWith('.rels');

/** Every file entry of the package, XML parts as text, read with Node's zlib (yauzl). */
function readParts(xlsx: Uint8Array): Promise<Parts> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      Buffer.from(xlsx.buffer, xlsx.byteOffset, xlsx.byteLength),
      { lazyEntries: true },
      (err, zip) => {
        if (err) return reject(err);
        const parts: Parts = new Map();
        zip.on('error', reject);
        zip.on('end', () => resolve(parts));
        zip.on('entry', (entry: yauzl.Entry) => {
          if (entry.fileName.endsWith('/')) return zip.readEntry();
          zip.openReadStream(entry, (e, stream) => {
            if (e) return reject(e);
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('error', reject);
            stream.on('end', () => {
              const bytes = Buffer.concat(chunks);
              parts.set(
                entry.fileName,
                isXml(entry.fileName) ? bytes.toString('utf8') : new Uint8Array(bytes),
              );
              zip.readEntry();
            });
          });
        });
        zip.readEntry();
      },
    );
  });
}

/** docProps/core.xml's created and modified become the generation time. */
function stampCoreDates(parts: Parts, date: Date): void {
  const name = 'docProps/core.xml';
  const xml = parts.get(name);
  if (typeof xml !== 'string') return;
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  parts.set(
    name,
    xml.replace(
      /(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g,
      (_, open: string, _tag: string, close: string) => open + iso + close,
    ),
  );
}

/**
 * yazl writes DOS timestamps from a date's local-time fields; this date has, in local time,
 * the UTC fields of `date`, so the file does not depend on the machine's time zone.
 */
function dosDate(date: Date): Date {
  return new Date(
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  );
}

/** Re-packs with Node's zlib (yazl): fixed entry order, dates and compression level. */
function writeParts(parts: Parts, date: Date): Promise<Buffer> {
  const entries = [...parts].sort(([a], [b]) =>
    a === CONTENT_TYPES ? -1 : b === CONTENT_TYPES ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const zip = new yazl.ZipFile();
  const mtime = dosDate(date);
  for (const [name, content] of entries) {
    zip.addBuffer(
      typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content),
      name,
      {
        mtime,
        forceDosTimestamp: true,
        compressionLevel: DEFLATE_LEVEL,
      },
    );
  }
  zip.end();
  return buffer(zip.outputStream);
}

async function buffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
