import { randomUUID } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { inferSheetKind, type SheetKind } from '../../../models/freshness.ts';
import type { InputIssue } from '../../../models/result.ts';
import { validate } from '../../../models/validate.ts';
import type { Database, PriceSheetRow } from '../../db/schema.ts';
import {
  DEFAULT_MAX_ROWS,
  detectFormat,
  parseContext,
  parsePriceSheet,
  XLSX_MEDIA,
} from '../../ingest/index.ts';
import { failure, type Outcome, success } from '../outcome.ts';
import { type Spooled, spool, TooLarge } from '../spool.ts';
import { type FormPart, type PartHeaders, type PartProblem, readFormFile } from './form-parts.ts';
import {
  type PriceSheetsRepository,
  priceSheetsRepository,
  type VersionTotals,
} from './repository.ts';
import { type BlockHandlers, csvBlocks, xlsxBlocks } from './streamed.ts';
import type { SheetSummary, Summarize } from './summary.ts';
import { uploadQuerySchema } from './upload-query.ts';

/** Media types an upload may be sent as, raw, and the extension recorded when it has no name. */
export const UPLOAD_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/json': 'json',
  [XLSX_MEDIA]: 'xlsx',
};

/** The form fields of an upload (`UPLOAD_FIELDS`), also accepted as query parameters. */
type Fields = { [K in (typeof UPLOAD_FIELDS)[number]]?: string | undefined };
const UPLOAD_FIELDS = ['quarter', 'provider', 'fileName', 'kind'] as const;

export type { FormPart } from './form-parts.ts';

/** An upload as it arrives: a multipart form, or the file as the raw body. */
export type UploadBody =
  | {
      readonly form: AsyncIterable<FormPart>;
      /** The parts' headers as they passed, to explain a part the reader skipped. */
      readonly partHeaders?: PartHeaders | undefined;
    }
  | {
      /** The body stream (undefined or not a stream when no parser gave one). */
      readonly raw: unknown;
      readonly contentType: string | undefined;
      readonly contentLength: string | undefined;
    };

export interface UploadInput {
  readonly file: Spooled;
  readonly fileName: string;
  /** The media type the client declared, when it is one we read. */
  readonly mediaType: string | undefined;
  readonly quarter: string;
  readonly provider: string | undefined;
  /** Told by the uploader; else inferred (a catalogue by its format, a contract by its prices). */
  readonly kind?: SheetKind | undefined;
  readonly uploadedBy: string;
  /** The uploader's key id (four eyes: that key may not review the version); none for the sample. */
  readonly uploadedByKey?: string | null | undefined;
}

export interface UploadResult {
  /** True when an identical file (same sha256) was already stored: nothing new was. */
  readonly duplicate: boolean;
  readonly sheet: SheetSummary;
}

/** What was received: the stored (or already stored) version and the quarter it was sent for. */
export interface Received extends UploadResult {
  readonly quarter: string;
}

/** Why an upload stored nothing; the route tells the client in its own words and status. */
export type UploadFailure =
  /** A second file, or a file in another field than "file". */
  | { readonly reason: 'not_one_file' }
  | { readonly reason: 'unknown_field'; readonly field: string }
  /** Reading the form failed; `cause` is what the multipart reader threw. */
  | { readonly reason: 'malformed_form'; readonly cause: unknown }
  | { readonly reason: 'no_file' }
  /** A part for the file that the reader skipped: its header is malformed (`problem`). */
  | { readonly reason: 'unreadable_part'; readonly part: number; readonly problem: string }
  /** A raw body of a media type we do not read. */
  | { readonly reason: 'unsupported_body' }
  | { readonly reason: 'too_large'; readonly limit: number }
  | { readonly reason: 'invalid_fields'; readonly issues: readonly InputIssue[] }
  | { readonly reason: 'quarter_required'; readonly issues: readonly InputIssue[] }
  | { readonly reason: 'empty'; readonly issues: readonly InputIssue[] }
  /** A file in none of the formats we read. */
  | { readonly reason: 'unreadable_format'; readonly fileName: string }
  | {
      readonly reason: 'invalid_rows';
      readonly fileName: string;
      readonly issues: readonly InputIssue[];
    };

export type UploadOutcome = Outcome<UploadResult, UploadFailure>;

/** Where the upload tells what it does (a pino logger fits). */
export interface UploadLog {
  info(data: object, message: string): void;
}

export interface UploadLimits {
  /** The most bytes of one file. */
  readonly maxBytes: number;
  readonly maxRows: number;
  /** Where files are spooled while they are read (default: the system's temp folder). */
  readonly spoolDir?: string | undefined;
}

/** The server's defaults (server/config.ts). */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxRows: DEFAULT_MAX_ROWS,
};

const SNIFF = 1024 * 1024;

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/** The media type without its parameters, lowercase. */
const essence = (contentType: string | undefined) =>
  contentType?.split(';')[0]?.trim().toLowerCase() ?? '';

/** The first bytes of a file, enough to tell its format. */
async function head(path: string): Promise<Buffer> {
  const file = await open(path);
  try {
    const buf = Buffer.alloc(SNIFF);
    const { bytesRead } = await file.read(buf, 0, SNIFF, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Thrown inside a version's transaction to roll it back; caught outside as its failure. */
class Rejected extends Error {
  readonly failure: UploadFailure;
  constructor(f: UploadFailure) {
    super(f.reason);
    this.failure = f;
  }
}

interface Spool {
  file?: Spooled;
  mediaType?: string;
}

/** The spooled file, or why the body could not be read; `into` holds the file either way. */
type Reading = Outcome<Spooled, UploadFailure>;

/** Reads a multipart form: one file in the field "file", and the upload's fields. */
async function readForm(
  parts: AsyncIterable<FormPart>,
  fields: Fields,
  into: Spool,
  limits: UploadLimits,
  headers?: PartHeaders,
): Promise<Reading> {
  const read = await readFormFile(parts, UPLOAD_FIELDS, fields, into, limits, headers);
  if (into.mediaType !== undefined && !(into.mediaType in UPLOAD_MEDIA_TYPES))
    delete into.mediaType;
  if (read.ok) return read;
  return read.reason === 'no_file' ? failure(whyNoFile(fields, read.skipped)) : read;
}

/**
 * Why a form brought no file, when its headers tell: a part for the file the reader skipped,
 * its file name checked as the fileName field (a line break, say), or its malformed header.
 */
function whyNoFile(fields: Fields, skipped: PartProblem | null): UploadFailure {
  if (!skipped) return { reason: 'no_file' };
  if ('problem' in skipped) return { reason: 'unreadable_part', ...skipped };
  const checked = checkFields({ ...fields, fileName: skipped.fileName });
  return checked.ok
    ? {
        reason: 'unreadable_part',
        part: skipped.part,
        problem: `the file name of part ${skipped.part} could not be read`,
      }
    : checked;
}

/** Reads a raw body of a media type we read into a spooled file. */
async function readRaw(
  body: Extract<UploadBody, { raw: unknown }>,
  into: Spool,
  limits: UploadLimits,
): Promise<Reading> {
  const type = essence(body.contentType);
  const stream = body.raw as Readable | undefined;
  if (!(type in UPLOAD_MEDIA_TYPES) || !stream || typeof stream.pipe !== 'function')
    return failure({ reason: 'unsupported_body' });
  const declared = Number(body.contentLength);
  if (Number.isFinite(declared) && declared > limits.maxBytes)
    return failure({ reason: 'too_large', limit: limits.maxBytes });
  try {
    into.file = await spool(stream, limits.maxBytes, limits.spoolDir);
  } catch (e) {
    if (e instanceof TooLarge) return failure({ reason: 'too_large', limit: e.limit });
    throw e;
  }
  into.mediaType = type;
  return success(into.file);
}

/** The upload's fields checked by their schema; the as-of quarter is required. */
function checkFields(fields: Fields) {
  const checked = validate(uploadQuerySchema, fields);
  if (!checked.ok) return failure({ reason: 'invalid_fields', issues: checked.issues });
  const { quarter, ...rest } = checked.value;
  if (quarter === undefined)
    return failure({
      reason: 'quarter_required',
      issues: [{ field: 'quarter', message: 'is required, e.g. 2026-Q3' }],
    });
  return success({ quarter, ...rest });
}

/** Where uploads are stored, and how a stored version is shown. */
export interface UploadStore {
  readonly db: Kysely<Database>;
  readonly summarize: Summarize;
}

type StoreOptions = { readonly maxRows: number; readonly log?: UploadLog | undefined };

/** The version stored first when `e` says another request stored the same file. */
async function duplicateOf(store: UploadStore, e: unknown, sha256: string): Promise<UploadOutcome> {
  if (!isUniqueViolation(e)) throw e;
  const first = await priceSheetsRepository(store.db).bySha(sha256);
  if (!first) throw e;
  return success({ duplicate: true, sheet: store.summarize(first) });
}

/**
 * Stores a version in one transaction: its row first (so that a concurrent upload of the
 * same file waits here), then its rows as `fill` stores them, then the totals `fill`
 * returns; a failure of `fill` rolls it all back. The same file stored meanwhile by another
 * request is a duplicate of that version.
 */
async function storeVersion(
  store: UploadStore,
  input: UploadInput,
  format: string,
  log: UploadLog | undefined,
  fill: (tx: PriceSheetsRepository, id: string) => Promise<Outcome<VersionTotals, UploadFailure>>,
): Promise<UploadOutcome> {
  const id = randomUUID();
  log?.info({ sheetId: id, sha256: input.file.sha256 }, 'storing a price-sheet version');
  let sheet: PriceSheetRow;
  try {
    sheet = await store.db.transaction().execute(async (trx) => {
      const tx = priceSheetsRepository(trx);
      await tx.insert({
        id,
        quarter: input.quarter,
        file_name: input.fileName,
        format,
        media_type: input.mediaType ?? null,
        sha256: input.file.sha256,
        byte_size: input.file.size,
        uploaded_by: input.uploadedBy,
        uploaded_by_key: input.uploadedByKey ?? null,
      });
      const totals = await fill(tx, id);
      if (!totals.ok) throw new Rejected(totals);
      return tx.finish(id, totals.value);
    });
  } catch (e) {
    if (e instanceof Rejected) return failure(e.failure);
    return duplicateOf(store, e, input.file.sha256);
  }
  log?.info({ sheetId: id, rows: sheet.row_count }, 'stored a price-sheet version');
  return success({ duplicate: false, sheet: store.summarize(sheet) });
}

/** A CSV or XLSX upload, stored block by block as it is parsed. */
function storeStreamed(
  store: UploadStore,
  input: UploadInput,
  format: 'csv' | 'xlsx',
  opts: StoreOptions,
): Promise<UploadOutcome> {
  const ctx = parseContext({
    fileName: input.fileName,
    provider: input.provider,
    maxRows: opts.maxRows,
  });
  return storeVersion(store, input, format, opts.log, async (tx, id) => {
    const providers = new Set<string>();
    let contracted = false;
    const handlers: BlockHandlers = {
      async onBlock(block) {
        for (const p of block.providers) providers.add(p);
        contracted ||= block.contracted;
        await tx.storeBlock(id, block);
      },
      async onRestart() {
        providers.clear();
        contracted = false;
        await tx.dropBlocks(id);
      },
    };
    const parsed =
      format === 'csv'
        ? await csvBlocks(input.file.path, ctx, handlers)
        : await xlsxBlocks(input.file.path, ctx, handlers);
    if (!parsed.ok)
      return failure({ reason: 'invalid_rows', fileName: input.fileName, issues: parsed.issues });
    return success({
      providers: [...providers].sort(),
      kind: input.kind ?? (contracted ? 'contract' : 'provider'),
      row_count: parsed.value.rowCount,
      skipped: parsed.value.skipped,
      notes: [...parsed.value.notes],
    });
  });
}

/** A JSON upload (rows or a LiteLLM catalogue), parsed whole, then stored. */
async function storeWhole(
  store: UploadStore,
  input: UploadInput,
  opts: StoreOptions,
): Promise<UploadOutcome> {
  let bytes: Buffer | null = await readFile(input.file.path);
  const parsed = await parsePriceSheet(bytes, {
    fileName: input.fileName,
    mediaType: input.mediaType,
    provider: input.provider,
    maxRows: opts.maxRows,
  });
  bytes = null;
  if (!parsed.ok)
    return failure({ reason: 'invalid_rows', fileName: input.fileName, issues: parsed.issues });
  const { rows, lines, format } = parsed.value;
  return storeVersion(store, input, format, opts.log, async (tx, id) => {
    await tx.storeRows(id, rows, lines);
    return success({
      providers: [...new Set(rows.map((r) => r.ProviderName))].sort(),
      kind: input.kind ?? inferSheetKind(format, rows),
      row_count: rows.length,
      skipped: parsed.value.skipped,
      notes: [...parsed.value.notes],
    });
  });
}

/**
 * Parses and stores a spooled file as a new version, in one transaction: either the
 * version and all its rows exist afterwards, or nothing does. An identical file (same
 * sha256) is reported as a duplicate of the stored version.
 */
export async function storeUpload(
  store: UploadStore,
  input: UploadInput,
  opts: StoreOptions,
): Promise<UploadOutcome> {
  const existing = await priceSheetsRepository(store.db).bySha(input.file.sha256);
  if (existing) return success({ duplicate: true, sheet: store.summarize(existing) });
  if (input.file.size === 0)
    return failure({ reason: 'empty', issues: [{ file: input.fileName, message: 'is empty' }] });
  const format = detectFormat(input.fileName, await head(input.file.path), input.mediaType);
  if (format === null) return failure({ reason: 'unreadable_format', fileName: input.fileName });
  if (format === 'csv' || format === 'xlsx') return storeStreamed(store, input, format, opts);
  return storeWhole(store, input, opts);
}

/**
 * An upload as it arrives — a multipart form (field "file", plus quarter, provider, fileName,
 * kind) or the file as the raw body with those as `query` — spooled to a temporary file
 * within the byte limit, checked, parsed and stored ({@link storeUpload}). The spooled file
 * is gone afterwards, whatever happened.
 */
export async function receiveUpload(
  store: UploadStore,
  limits: UploadLimits,
  body: UploadBody,
  request: {
    readonly query: Fields;
    readonly uploadedBy: string;
    readonly uploadedByKey?: string | null | undefined;
    readonly log?: UploadLog | undefined;
  },
): Promise<Outcome<Received, UploadFailure>> {
  const fields: Fields = { ...request.query };
  const into: Spool = {};
  try {
    const read =
      'form' in body
        ? await readForm(body.form, fields, into, limits, body.partHeaders)
        : await readRaw(body, into, limits);
    if (!read.ok) return read;
    const checked = checkFields(fields);
    if (!checked.ok) return checked;
    const { quarter, provider, fileName, kind } = checked.value;
    const stored = await storeUpload(
      store,
      {
        file: read.value,
        fileName: fileName ?? `upload.${UPLOAD_MEDIA_TYPES[into.mediaType ?? ''] ?? 'csv'}`,
        mediaType: into.mediaType,
        quarter,
        provider,
        kind,
        uploadedBy: request.uploadedBy,
        uploadedByKey: request.uploadedByKey,
      },
      { maxRows: limits.maxRows, log: request.log },
    );
    return stored.ok ? success({ ...stored.value, quarter }) : stored;
  } finally {
    if ('form' in body) body.partHeaders?.stop();
    await into.file?.remove();
  }
}
