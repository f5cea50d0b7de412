import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Assumptions, assumptionsSchema } from '../../models/assumptions.ts';
import { inferSheetKind } from '../../models/freshness.ts';
import type { PriceSheet } from '../../models/price-sheet.ts';
import { joinProblems } from '../../models/problems.ts';
import type { RangesInput } from '../../models/ranges.ts';
import { fail, type InputIssue, ok, type Result } from '../../models/result.ts';
import { type Scenario, scenariosFileSchema } from '../../models/scenarios.ts';
import { DEFAULT_MAX_ROWS, parsePriceSheet } from '../ingest/index.ts';
import { type JsonDocument, readJsonDocument } from '../ingest/json/document.ts';
import { locateIssue, locateIssues, parseJsonDocument } from '../ingest/json/located.ts';
import { assumptionsFromWorkbook } from '../ingest/workbook/inputs.ts';

export interface InputFiles {
  readonly assumptions: string;
  readonly prices: readonly string[];
  readonly scenarios?: string | undefined;
}

export interface LoadedInputs {
  readonly assumptions: Assumptions;
  readonly sheets: readonly PriceSheet[];
  readonly scenarios?: readonly Scenario[];
  readonly ranges?: RangesInput;
  /** The parsed documents, to place later issues (a SKU no sheet has…) at their line and column. */
  readonly docs: {
    /** The assumptions' JSON document; absent when they came from a workbook. */
    readonly assumptions?: JsonDocument;
    readonly scenarios?: JsonDocument;
    /** Places an issue at the workbook cell its field was read from (assumptions from a workbook). */
    readonly workbook?: (issue: InputIssue) => InputIssue;
  };
}

/** An XLSX file (a zip), by its first bytes: a costcast workbook given as the assumptions. */
const isZip = (bytes: Buffer) => bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

async function read(path: string): Promise<Result<Buffer>> {
  try {
    return ok(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail([
      {
        file: path,
        message: code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(e)})`,
      },
    ]);
  }
}

/** A `--prices` argument: a file, or a folder whose files (sorted, hidden ones skipped) are all sheets. */
async function expand(path: string): Promise<string[]> {
  try {
    if (!(await stat(path)).isDirectory()) return [path];
  } catch {
    return [path];
  }
  const names = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
  return names.map((n) => join(path, n));
}

/**
 * Reads and validates every input file of a forecast; all files are checked and all their
 * issues reported together, located by file, row and column.
 */
export async function loadInputs(files: InputFiles): Promise<Result<LoadedInputs>> {
  const issues: InputIssue[] = [];
  const aBytes = await read(files.assumptions);
  let assumptions: { value: Assumptions; doc: JsonDocument } | undefined;
  // Assumptions that failed the schema but are JSON: their valid workloads are joined too.
  let invalid: { raw: unknown; doc: JsonDocument } | undefined;
  // Assumptions read back from a workbook's Inputs sheet (server/ingest/workbook).
  let workbook: { value: Assumptions; locate: (issue: InputIssue) => InputIssue } | undefined;
  if (!aBytes.ok) issues.push(...aBytes.issues);
  else if (isZip(aBytes.value)) {
    const read = await assumptionsFromWorkbook(aBytes.value, { file: files.assumptions });
    if (read.ok) workbook = { value: read.value.assumptions, locate: read.value.locate };
    else issues.push(...read.issues);
  } else {
    const parsed = parseJsonDocument(aBytes.value, files.assumptions, assumptionsSchema);
    if (parsed.ok) assumptions = parsed.value;
    else {
      issues.push(...parsed.issues);
      const doc = readJsonDocument(aBytes.value, {
        file: files.assumptions,
        maxRows: DEFAULT_MAX_ROWS,
      });
      if (doc.ok) invalid = { raw: JSON.parse(doc.value.text), doc: doc.value };
    }
  }

  let scenarios: Scenario[] | undefined;
  let ranges: RangesInput | undefined;
  let sDoc: JsonDocument | undefined;
  if (files.scenarios) {
    const sBytes = await read(files.scenarios);
    if (!sBytes.ok) issues.push(...sBytes.issues);
    else {
      const parsed = parseJsonDocument(sBytes.value, files.scenarios, scenariosFileSchema);
      if (parsed.ok) {
        scenarios = parsed.value.value.scenarios;
        ranges = parsed.value.value.sensitivity;
        sDoc = parsed.value.doc;
      } else issues.push(...parsed.issues);
    }
  }

  const sheets: PriceSheet[] = [];
  if (files.prices.length === 0) issues.push({ message: 'at least one --prices file is needed' });
  const pricePaths = (await Promise.all(files.prices.map(expand))).flat();
  let sheetsValid = pricePaths.length > 0;
  for (const path of pricePaths) {
    const bytes = await read(path);
    if (!bytes.ok) {
      issues.push(...bytes.issues);
      sheetsValid = false;
      continue;
    }
    const parsed = await parsePriceSheet(bytes.value, { fileName: path });
    if (!parsed.ok) {
      issues.push(...parsed.issues);
      sheetsValid = false;
    } else
      sheets.push({
        id: basename(path),
        name: path,
        rows: parsed.value.rows,
        lines: parsed.value.lines,
        kind: inferSheetKind(parsed.value.format, parsed.value.rows),
      });
  }
  // With every sheet read, the SKUs, units and rates of the valid workloads are checked
  // now, beside the schema problems, not after they are fixed. (A sheet that failed could
  // hold the missing SKU: then they wait.)
  const joined = invalid ?? (assumptions && { raw: assumptions.value, doc: assumptions.doc });
  if (joined && sheetsValid && issues.length > 0)
    issues.push(...locateIssues(joined.doc, joinProblems(joined.raw, sheets), files.assumptions));
  if (workbook && sheetsValid && issues.length > 0)
    issues.push(...joinProblems(workbook.value, sheets).map(workbook.locate));
  const loaded = assumptions?.value ?? workbook?.value;
  if (issues.length > 0 || !loaded) return fail(issues);
  return ok({
    assumptions: loaded,
    sheets,
    ...(scenarios ? { scenarios } : {}),
    ...(ranges ? { ranges } : {}),
    docs: {
      ...(assumptions ? { assumptions: assumptions.doc } : {}),
      ...(sDoc ? { scenarios: sDoc } : {}),
      ...(workbook ? { workbook: workbook.locate } : {}),
    },
  });
}

/** Places engine issues (paths into the assumptions or scenarios document) in their file. */
export function locateEngineIssues(
  issues: readonly InputIssue[],
  files: InputFiles,
  docs: LoadedInputs['docs'],
): InputIssue[] {
  return issues.map((issue) => {
    if (issue.file) return issue;
    if (issue.field?.startsWith('scenarios.') && files.scenarios && docs.scenarios)
      return locateIssue(docs.scenarios, issue, files.scenarios);
    if (docs.workbook) return docs.workbook(issue);
    return docs.assumptions ? locateIssue(docs.assumptions, issue, files.assumptions) : issue;
  });
}
