import yauzl from 'yauzl';

export interface ZipLimits {
  /** Total uncompressed bytes allowed (default 200 MB). */
  readonly maxTotalBytes: number;
  /** Largest uncompressed ÷ compressed size allowed for one entry (default 100). */
  readonly maxRatio: number;
  /** Most entries allowed (default 10 000). */
  readonly maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 10_000,
};

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const DATA_DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A zip in memory, opened by yauzl through its central directory (entries read on demand). */
export function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => (err || !zip ? reject(err ?? new Error('no zip')) : resolve(zip)),
    ),
  );
}

/** The zip's entries, from its central directory; fails past `max` of them. */
export function zipEntries(
  zip: yauzl.ZipFile,
  max = Number.POSITIVE_INFINITY,
): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const found: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      found.push(e);
      if (found.length > max) reject(new Error(`has more than ${max} entries`));
      else zip.readEntry();
    });
    zip.on('end', () => resolve(found));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Inflates one entry, counting bytes; yauzl fails if there are more than it declares. */
function inflatedSize(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<number> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('cannot read entry'));
      let n = 0;
      stream.on('data', (chunk: Buffer) => {
        n += chunk.length;
      });
      stream.on('end', () => resolve(n));
      stream.on('error', reject);
    }),
  );
}

/**
 * Checks that the local entries are exactly the central directory's, back to back, so that a
 * streaming unzipper (which reads local headers in order, as exceljs's does) sees the same
 * entries whose sizes were checked.
 */
function layoutProblem(buffer: Buffer, list: readonly yauzl.Entry[]): string | null {
  const sorted = [...list].sort(
    (a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader,
  );
  let next = 0;
  for (const e of sorted) {
    const at = e.relativeOffsetOfLocalHeader;
    if (at !== next || at + 30 > buffer.length || buffer.readUInt32LE(at) !== LOCAL_HEADER)
      return `entry "${e.fileName}" is not where the zip's directory says`;
    const flags = buffer.readUInt16LE(at + 6);
    const localCompressed = buffer.readUInt32LE(at + 18);
    const nameLength = buffer.readUInt16LE(at + 26);
    const extraLength = buffer.readUInt16LE(at + 28);
    if (!buffer.subarray(at + 30, at + 30 + nameLength).equals(e.fileNameRaw))
      return `entry "${e.fileName}" has a different name in its local header`;
    const dataEnd = at + 30 + nameLength + extraLength + e.compressedSize;
    if (dataEnd > buffer.length) return `entry "${e.fileName}" runs past the end of the file`;
    if (!(flags & 0x08) || localCompressed > 0) {
      if (localCompressed !== e.compressedSize)
        return `entry "${e.fileName}" has a different size in its local header`;
      next = dataEnd;
    } else {
      if (buffer.indexOf(DATA_DESCRIPTOR, at + 30 + nameLength + extraLength) !== dataEnd)
        return `entry "${e.fileName}" has a misplaced data descriptor`;
      next = dataEnd + 16;
    }
  }
  if (next + 4 > buffer.length || buffer.readUInt32LE(next) !== CENTRAL_HEADER)
    return 'has data between its last entry and its directory';
  return null;
}

/**
 * Refuses a zip (an XLSX file) before it is unpacked when it would unpack to more than
 * `maxTotalBytes`, when an entry is compressed more than `maxRatio` times (a decompression
 * bomb), or when it is not a well-formed zip. Returns the reason, or `null` when it is safe.
 * Declared sizes are checked first, then verified by inflating each entry once.
 * @example await zipProblem(Buffer.from('hello')) //=> "is not an XLSX workbook (not a zip file) …"
 */
export async function zipProblem(
  bytes: Uint8Array,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<string | null> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(buffer);
  } catch (e) {
    return `is not an XLSX workbook (not a zip file: ${e instanceof Error ? e.message : String(e)}); save it from Excel as "Excel Workbook (.xlsx)"`;
  }
  try {
    const list = await zipEntries(zip, limits.maxEntries);
    if (list.length === 0)
      return 'is an empty zip archive (no files in it), not an XLSX workbook; save it from Excel as "Excel Workbook (.xlsx)"';
    let total = 0;
    for (const e of list) {
      total += e.uncompressedSize;
      if (total > limits.maxTotalBytes)
        return `unpacks to more than ${mb(limits.maxTotalBytes)}; refused as a possible zip bomb`;
      const ratio = e.uncompressedSize / Math.max(e.compressedSize, 1);
      if (ratio > limits.maxRatio)
        return `entry "${e.fileName}" is compressed ${Math.round(ratio)} times (${mb(e.uncompressedSize)} from ${e.compressedSize} bytes), more than ${limits.maxRatio}; refused as a possible zip bomb`;
    }
    const layout = layoutProblem(buffer, list);
    if (layout) return `is not a well-formed zip: ${layout}`;
    for (const e of list) {
      if (e.fileName.endsWith('/')) continue;
      await inflatedSize(zip, e);
    }
    return null;
  } catch (e) {
    return `is not a readable zip file (${e instanceof Error ? e.message : String(e)}); refused`;
  } finally {
    zip.close();
  }
}
