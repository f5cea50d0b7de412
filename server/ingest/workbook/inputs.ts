// The workbook round trip: the Inputs sheet of a costcast workbook, edited in Excel, read back
// as an assumptions document, found by its labels (English or French) rather than by fixed
// cells, and validated exactly as the JSON body of POST /v1/assumptions is. Each problem is
// located at its cell ("Inputs!I56: growth per quarter: must be ≤ 10 (got 11)").

import { type Assumptions, assumptionsSchema } from '../../../models/assumptions.ts';
import { CATEGORIES } from '../../../models/fields.ts';
import { UNKNOWN_JURISDICTION } from '../../../models/model.ts';
import { Decimal } from '../../../models/money.ts';
import { fail, type InputIssue, ok, type Result } from '../../../models/result.ts';
import { validate } from '../../../models/validate.ts';
import { LABELS, type Labels, type Locale } from '../../../templates/labels.ts';
import { parseLocaleDecimal } from '../numbers.ts';
import { columnLetters, excelNumber } from '../xlsx/parse.ts';
import type { ZipLimits } from '../xlsx/zip-guard.ts';
import { type Grid, MAX_INPUT_ROWS, readSheet } from './sheet.ts';

/** The assumptions an uploaded workbook holds, and what was read. */
export interface WorkbookAssumptions {
  readonly assumptions: Assumptions;
  /** The sheet read, as the workbook names it ("Inputs", "Hypothèses"). */
  readonly sheet: string;
  /** The language of its labels. */
  readonly locale: Locale;
  /** What was read and what was left alone, one sentence each. */
  readonly notes: readonly string[];
  /**
   * An issue about a field of the assumptions (`path` or `field`) placed at the cell it was
   * read from, e.g. a SKU no price sheet has (the CLI): row, column, `Inputs!E56: SKU: …`.
   */
  readonly locate: (issue: InputIssue) => InputIssue;
}

/**
 * The names of the values an issue is about, as its message says them (English; the French
 * of each is in server/http/messages.ts).
 */
export const WORKBOOK_FIELD_WORDS = [
  'model name',
  'reporting currency',
  'first quarter',
  'horizon',
  'fiscal year start month',
  'exchange rate',
  'budget',
  'provider',
  'jurisdiction',
  'workload name',
  'workload id',
  'category',
  'SKU',
  'region',
  'unit',
  'base quantity',
  'growth per quarter',
  'efficiency',
  'fallback provider',
  'fallback SKU',
  'fallback region',
] as const;
type What = (typeof WORKBOOK_FIELD_WORDS)[number];

/** A cell of the sheet (1-based row and column) and what it holds. */
interface At {
  readonly row: number;
  readonly column: number;
  readonly what: What;
}

const BOTH = [LABELS.en, LABELS.fr] as const;
const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

/** "Inputs!H56", the sheet's name quoted as Excel quotes it when it needs to be. */
function cellName(sheet: string, row: number, column: number): string {
  const name = /^[\p{L}\d_.]+$/u.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${name}!${columnLetters(column)}${row}`;
}

/** A label in both languages, for a message: `"Growth per quarter" (or "Croissance par trimestre")`. */
function quoted(pick: (L: Labels) => string): string {
  const [en, fr] = BOTH.map(pick);
  return en === fr ? `"${en}"` : `"${en}" (or "${fr}")`;
}

/** What a cell holds: its text, or why it cannot be read. */
type Value = { readonly raw: string; readonly text?: string; readonly problem?: string };

/** A cell as text: numbers as Excel shows them to 15 digits, formulas by their computed value. */
function cellValue(v: unknown): Value {
  if (v === null || v === undefined) return { raw: '' };
  if (typeof v === 'string') return { raw: v, text: v };
  if (typeof v === 'number') {
    const t = excelNumber(v);
    return t === null
      ? { raw: String(v), problem: `${v} is not a finite number` }
      : { raw: t, text: t };
  }
  if (typeof v === 'boolean') return { raw: v ? 'TRUE' : 'FALSE', text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) {
    const iso = Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString().slice(0, 10);
    return { raw: iso, text: iso };
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) {
      const formula = `=${String(o['formula'] ?? o['sharedFormula'] ?? '')}`;
      if (o['result'] === undefined || o['result'] === null)
        return {
          raw: formula,
          problem: `holds the formula ${formula.slice(0, 60)} without a computed value; type the value, or open and save the file in Excel or LibreOffice first`,
        };
      if (typeof o['result'] === 'object' && o['result'] !== null && 'error' in o['result'])
        return {
          raw: formula,
          problem: `holds an error (${String((o['result'] as { error: unknown }).error)})`,
        };
      return cellValue(o['result']);
    }
    if (Array.isArray(o['richText']))
      return cellValue(
        (o['richText'] as { text?: unknown }[]).map((r) => String(r.text ?? '')).join(''),
      );
    if ('error' in o)
      return { raw: String(o['error']), problem: `holds an error (${String(o['error'])})` };
    if (typeof o['text'] === 'string') return cellValue(o['text']);
  }
  return { raw: String(v), problem: 'holds a value of an unknown kind' };
}

const PERCENT = /^(.*?)[\s\u00A0\u202F]*%$/;

/**
 * A number as typed: a number cell as it is (a percentage cell holds 0.05 for 5 %); a text
 * in the workbook's decimal style, then the other ("0,05" or "0.05", "1 250,50" or
 * "1,250.50"), "5%" or "5 %" as 0.05. Plain decimal text, or null when it is no number.
 * @example typedNumber('5 %', 'fr') //=> "0.05"
 * @example typedNumber('1 250,5', 'fr') //=> "1250.5"
 */
export function typedNumber(text: string, locale: Locale): string | null {
  const t = text.trim();
  const percent = PERCENT.exec(t);
  const body = percent ? (percent[1] ?? '') : t;
  const [first, second]: readonly [',' | '.', ',' | '.'] =
    locale === 'fr' ? [',', '.'] : ['.', ','];
  const n = parseLocaleDecimal(body, first) ?? parseLocaleDecimal(body, second);
  if (n === null) return null;
  return percent ? new Decimal(n).div(100).toFixed() : n;
}

/** "T1 2027" (French) or "2027-Q1" as the engine's "2027-Q1"; anything else as typed. */
function quarterKey(text: string): string {
  const t = text.trim();
  const fr = /^T([1-4])\s+(\d{4})$/i.exec(t);
  if (fr) return `${fr[2]}-Q${fr[1]}`;
  return t.replace(/^(\d{4})-q([1-4])$/, '$1-Q$2');
}

/** "EX2027" (French) or "FY2027" as the engine's "FY2027"; anything else as typed. */
const fiscalYearKey = (text: string) => text.trim().replace(/^(?:EX|FY)\s*(\d{4})$/i, 'FY$1');

/** The category of a cell: its id (`llm-inference`) or its label in either language. */
function categoryKey(text: string): string {
  const t = norm(text);
  for (const c of CATEGORIES) if (t === c || BOTH.some((L) => norm(L.category[c]) === t)) return c;
  return text.trim();
}

/** Reads one Inputs sheet into an assumptions document, noting where each value came from. */
class InputsReader {
  readonly issues: InputIssue[] = [];
  /** Where each field of the document came from, by its dotted path. */
  readonly at = new Map<string, At>();
  readonly rows: number[];
  locale: Locale = 'en';

  constructor(
    readonly grid: Grid,
    readonly file: string,
  ) {
    this.rows = [...grid.cells.keys()].sort((a, b) => a - b);
  }

  raw(row: number, column: number): unknown {
    return this.grid.cells.get(row)?.[column];
  }

  /** A cell's text, trimmed ('' when empty or unreadable). */
  label(row: number, column: number): string {
    return (cellValue(this.raw(row, column)).text ?? '').trim();
  }

  blank(row: number, upTo = 13): boolean {
    for (let c = 1; c <= upTo; c++) if (this.label(row, c) !== '') return false;
    return true;
  }

  /** The first row whose column A is `pick`'s label in either language, or undefined. */
  find(pick: (L: Labels) => string): number | undefined {
    const wanted = BOTH.map((L) => norm(pick(L)));
    return this.rows.find((r) => wanted.includes(norm(this.label(r, 1))));
  }

  /** A problem of the sheet's layout (a missing block, label or column), at a cell or not. */
  sheetIssue(message: string, row?: number, column?: number): void {
    this.issues.push({
      file: this.file,
      ...(row === undefined ? {} : { row, column: column ?? 1 }),
      message:
        row === undefined ? message : `${cellName(this.grid.sheet, row, column ?? 1)}: ${message}`,
    });
  }

  /** A problem of one value, at its cell, under its field path. */
  valueIssue(path: string, at: At, message: string, value?: string): void {
    this.issues.push({
      file: this.file,
      row: at.row,
      column: at.column,
      field: path,
      ...(value === undefined || value === '' ? {} : { value }),
      message: `${cellName(this.grid.sheet, at.row, at.column)}: ${at.what}: ${message}`,
    });
  }

  /** A text value, recorded at `path`; undefined when the cell is empty. */
  text(path: string, at: At): string | undefined {
    this.at.set(path, at);
    const v = cellValue(this.raw(at.row, at.column));
    if (v.problem !== undefined) {
      this.valueIssue(path, at, v.problem, v.raw);
      return undefined;
    }
    const t = v.text?.trim();
    return t === '' ? undefined : t;
  }

  /** A decimal value as plain text, recorded at `path`; undefined when empty or unreadable. */
  decimal(path: string, at: At, example: string): string | undefined {
    this.at.set(path, at);
    const v = cellValue(this.raw(at.row, at.column));
    if (v.problem !== undefined) {
      this.valueIssue(path, at, v.problem, v.raw);
      return undefined;
    }
    const raw = this.raw(at.row, at.column);
    const number =
      typeof raw === 'number' ||
      (typeof raw === 'object' &&
        raw !== null &&
        typeof (raw as { result?: unknown }).result === 'number');
    const t = (v.text ?? '').trim();
    if (t === '') return undefined;
    const n = number ? t : typedNumber(t, this.locale);
    if (n === null) {
      this.valueIssue(
        path,
        at,
        `"${t.slice(0, 60)}" is not a number (write it like ${example})`,
        t,
      );
      return undefined;
    }
    return n;
  }

  /** A whole number (the horizon, a month), passed to the schema as a number to check. */
  integer(path: string, at: At): number | undefined {
    const d = this.decimal(path, at, '8 or 12');
    return d === undefined ? undefined : Number(d);
  }

  /** The value beside the label `pick` (column B), or a sheet issue when no row has the label. */
  general(pick: (L: Labels) => string, what: What, required: boolean): At | undefined {
    const r = this.find(pick);
    if (r === undefined) {
      if (required)
        this.sheetIssue(
          `no row of the sheet "${this.grid.sheet}" has ${quoted(pick)} in column A, where a costcast Inputs sheet has its ${what} (in the block ${quoted((L) => L.inputs.general)})`,
        );
      return undefined;
    }
    return { row: r, column: 2, what };
  }

  /**
   * The data rows of the table under the block titled `pick`: from the row after its header
   * (the first non-empty row below the title) to the first blank row.
   */
  table(
    pick: (L: Labels) => string,
    required: boolean,
  ): { header: number; rows: number[] } | undefined {
    const title = this.find(pick);
    if (title === undefined) {
      if (required)
        this.sheetIssue(
          `the sheet "${this.grid.sheet}" has no block titled ${quoted(pick)} in column A, where a costcast Inputs sheet has that table`,
        );
      return undefined;
    }
    const header = this.rows.find((r) => r > title && !this.blank(r));
    if (header === undefined) return { header: title, rows: [] };
    const rows: number[] = [];
    for (let r = header + 1; r <= MAX_INPUT_ROWS; r++) {
      if (!this.grid.cells.has(r) || this.blank(r)) break;
      rows.push(r);
    }
    return { header, rows };
  }
}

/** The workload table's columns, found by their headers. */
const WORKLOAD_COLUMNS = [
  ['name', (L: Labels) => L.common.workload, 'workload name', false],
  ['id', (L: Labels) => L.common.id, 'workload id', true],
  ['category', (L: Labels) => L.common.category, 'category', true],
  ['provider', (L: Labels) => L.common.provider, 'provider', true],
  ['skuId', (L: Labels) => L.inputs.sku, 'SKU', true],
  ['unit', (L: Labels) => L.common.unit, 'unit', true],
  ['baseQuantity', (L: Labels) => L.inputs.baseQuantity, 'base quantity', true],
  ['growthPerQuarter', (L: Labels) => L.inputs.growth, 'growth per quarter', true],
  ['efficiency', (L: Labels) => L.inputs.efficiency, 'efficiency', true],
  ['fallbackProvider', (L: Labels) => L.inputs.fallbackProvider, 'fallback provider', false],
  ['fallbackSku', (L: Labels) => L.inputs.fallbackSku, 'fallback SKU', false],
] as const;
type WorkloadColumn = (typeof WORKLOAD_COLUMNS)[number][0] | 'region' | 'fallbackRegion';

function readWorkloads(x: InputsReader): unknown[] {
  const table = x.table((L) => L.inputs.workloads, true);
  if (!table) return [];
  const layoutIssues = x.issues.length;
  const columns = new Map<WorkloadColumn, { column: number; what: What }>();
  const headers: string[] = [];
  for (let c = 1; c <= 40; c++) headers[c] = norm(x.label(table.header, c));
  const matches = (c: number, pick: (L: Labels) => string) =>
    BOTH.some((L) => norm(pick(L)) === headers[c]);
  for (const [key, pick, what, required] of WORKLOAD_COLUMNS) {
    const c = headers.findIndex((_, i) => i > 0 && matches(i, pick));
    if (c > 0) columns.set(key, { column: c, what });
    else if (required)
      x.sheetIssue(
        `the workloads table has no column ${quoted(pick)} in its header row`,
        table.header,
        1,
      );
  }
  // "Region" heads two columns: the primary's, then the fallback's.
  const regions = headers.flatMap((_, i) =>
    i > 0 && matches(i, (L) => L.inputs.region) ? [i] : [],
  );
  const fallbackAt = columns.get('fallbackProvider')?.column ?? Number.POSITIVE_INFINITY;
  const primaryRegion = regions.find((c) => c < fallbackAt);
  const fallbackRegion = regions.find((c) => c > fallbackAt);
  if (primaryRegion !== undefined) columns.set('region', { column: primaryRegion, what: 'region' });
  if (fallbackRegion !== undefined)
    columns.set('fallbackRegion', { column: fallbackRegion, what: 'fallback region' });
  if (x.issues.length > layoutIssues) return [];

  return table.rows.map((row, i) => {
    const base = `workloads.${i}`;
    const read = (key: WorkloadColumn, field: string, kind: 'text' | 'decimal', example = '') => {
      const c = columns.get(key);
      if (!c) return undefined;
      const at = { row, column: c.column, what: c.what };
      return kind === 'text'
        ? x.text(`${base}.${field}`, at)
        : x.decimal(`${base}.${field}`, at, example);
    };
    const id = read('id', 'id', 'text');
    const w: Record<string, unknown> = {
      id,
      name: read('name', 'name', 'text') ?? id,
      category: ((c) => (c === undefined ? undefined : categoryKey(c)))(
        read('category', 'category', 'text'),
      ),
      provider: read('provider', 'provider', 'text'),
      skuId: read('skuId', 'skuId', 'text'),
      unit: read('unit', 'unit', 'text'),
      baseQuantity: read('baseQuantity', 'baseQuantity', 'decimal', '2400 or 1,250.50'),
      growthPerQuarter: read('growthPerQuarter', 'growthPerQuarter', 'decimal', '0.05 or 5%'),
      efficiency: read('efficiency', 'efficiency', 'decimal', '0.1 or 10%'),
    };
    const region = read('region', 'region', 'text');
    if (region !== undefined) w['region'] = region;
    const fbProvider = read('fallbackProvider', 'fallback.provider', 'text');
    const fbSku = read('fallbackSku', 'fallback.skuId', 'text');
    const fbRegion = read('fallbackRegion', 'fallback.region', 'text');
    if (fbProvider !== undefined || fbSku !== undefined || fbRegion !== undefined)
      w['fallback'] = {
        provider: fbProvider,
        skuId: fbSku,
        ...(fbRegion === undefined ? {} : { region: fbRegion }),
      };
    return w;
  });
}

/** The document of a sheet recognised as costcast's Inputs (issues in `x` otherwise). */
function readDocument(x: InputsReader, name: string | undefined): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  const nameAt = x.general((L) => L.inputs.modelName, 'model name', name === undefined);
  if (name !== undefined) doc['name'] = name;
  else if (nameAt) doc['name'] = x.text('name', nameAt);
  const currencyAt = x.general((L) => L.inputs.currency, 'reporting currency', true);
  const currency = currencyAt ? x.text('reportingCurrency', currencyAt) : undefined;
  doc['reportingCurrency'] = currency;
  const startAt = x.general((L) => L.inputs.startQuarter, 'first quarter', true);
  const start = startAt ? x.text('startQuarter', startAt) : undefined;
  doc['startQuarter'] = start === undefined ? undefined : quarterKey(start);
  const horizonAt = x.general((L) => L.inputs.horizon, 'horizon', true);
  doc['horizonQuarters'] = horizonAt ? x.integer('horizonQuarters', horizonAt) : undefined;
  const fyAt = x.general((L) => L.inputs.fyStart, 'fiscal year start month', false);
  const fy = fyAt ? x.integer('fiscalYearStartMonth', fyAt) : undefined;
  if (fy !== undefined) doc['fiscalYearStartMonth'] = fy;

  const fx: Record<string, string | undefined> = {};
  for (const row of x.table((L) => L.inputs.fx, false)?.rows ?? []) {
    const code = x.label(row, 1);
    if (code === '' || code === currency) continue;
    const at: At = { row, column: 2, what: 'exchange rate' };
    const rate = x.decimal(`fx.${code}`, at, '9.65 or 10,75');
    fx[code] = rate;
    if (rate === undefined && !x.issues.some((i) => i.field === `fx.${code}`))
      x.valueIssue(
        `fx.${code}`,
        at,
        `is required (${code} is listed; delete its row to leave it out)`,
      );
  }
  doc['fx'] = fx;

  const budget: Record<string, string> = {};
  for (const row of x.table((L) => L.inputs.budgets, false)?.rows ?? []) {
    const key = fiscalYearKey(x.label(row, 1));
    if (key === '') continue;
    const amount = x.decimal(
      `budget.${key}`,
      { row, column: 2, what: 'budget' },
      '850000 or 850 000,00',
    );
    if (amount !== undefined) budget[key] = amount;
  }
  if (Object.keys(budget).length > 0) doc['budget'] = budget;

  const providers: { name: string | undefined; jurisdiction: string | undefined }[] = [];
  for (const row of x.table((L) => L.inputs.providers, false)?.rows ?? []) {
    const i = providers.length;
    const jurisdiction = x.text(`providers.${i}.jurisdiction`, {
      row,
      column: 2,
      what: 'jurisdiction',
    });
    // "unknown" is what the workbook shows for a provider the assumptions do not list.
    if (jurisdiction === undefined || norm(jurisdiction) === UNKNOWN_JURISDICTION) continue;
    providers.push({
      name: x.text(`providers.${i}.name`, { row, column: 1, what: 'provider' }),
      jurisdiction,
    });
  }
  doc['providers'] = providers;
  doc['workloads'] = readWorkloads(x);
  return doc;
}

/** The cell of an issue's path: the path itself, else its nearest parent that was read. */
function cellOf(
  at: ReadonlyMap<string, At>,
  path: readonly (string | number)[],
): { path: string; at: At } | undefined {
  for (let n = path.length; n > 0; n--) {
    const key = path.slice(0, n).map(String).join('.');
    const found = at.get(key);
    if (found) return { path: key, at: found };
  }
  return undefined;
}

/** French when a block title of column A is French (and not also English), else English. */
function localeOf(x: InputsReader): Locale {
  const keys = ['general', 'fx', 'scenarios', 'windows', 'providers', 'workloads'] as const;
  const french = new Set(
    keys
      .filter((k) => norm(LABELS.fr.inputs[k]) !== norm(LABELS.en.inputs[k]))
      .map((k) => norm(LABELS.fr.inputs[k])),
  );
  return x.rows.some((r) => french.has(norm(x.label(r, 1)))) ? 'fr' : 'en';
}

/** Why the file is not a costcast workbook, or has no Inputs sheet. */
const NOT_COSTCAST = `upload a workbook costcast wrote (GET /v1/forecasts/:id/workbook or the CLI's --out), or its ${quoted((L) => L.sheet.inputs)} sheet alone`;

/**
 * The assumptions of an uploaded costcast workbook (or of its Inputs sheet saved alone), read
 * by the labels of its Inputs sheet in English or French and validated as the JSON body of
 * POST /v1/assumptions; `name` replaces the model name the sheet shows. Every problem is
 * located at its cell; a workbook that is not costcast's says what was expected where.
 * @example await assumptionsFromWorkbook(bytes, { file: 'bank.xlsx' }) //=> { ok: true, value: { assumptions, sheet: 'Inputs', locale: 'en', notes } }
 */
export async function assumptionsFromWorkbook(
  bytes: Uint8Array,
  opts: {
    readonly file: string;
    readonly name?: string | undefined;
    readonly zipLimits?: ZipLimits;
  },
): Promise<Result<WorkbookAssumptions>> {
  const { file } = opts;
  if (bytes.byteLength === 0) return fail([{ file, message: 'is empty' }]);
  const grid = await readSheet(
    bytes,
    BOTH.map((L) => L.sheet.inputs),
    opts.zipLimits,
  );
  if (!grid.ok) {
    if (grid.reason === 'unreadable') return fail([{ file, message: grid.message }]);
    if (grid.reason === 'too_many_rows')
      return fail([
        {
          file,
          message: `the sheet "${grid.sheet}" has more than ${MAX_INPUT_ROWS} rows; a costcast Inputs sheet has fewer`,
        },
      ]);
    const list = grid.sheets.map((s) => `"${s}"`).join(', ') || 'none';
    return fail([
      {
        file,
        message: `has no sheet ${quoted((L) => L.sheet.inputs)} (its sheets: ${list}); ${NOT_COSTCAST}`,
      },
    ]);
  }
  const x = new InputsReader(grid.value, file);
  const general = x.find((L) => L.inputs.general);
  const workloads = x.find((L) => L.inputs.workloads);
  if (general === undefined && workloads === undefined)
    return fail([
      {
        file,
        message: `the sheet "${grid.value.sheet}" is not a costcast Inputs sheet: column A has no block titled ${quoted((L) => L.inputs.general)} or ${quoted((L) => L.inputs.workloads)}; ${NOT_COSTCAST}`,
      },
    ]);
  x.locale = localeOf(x);

  const doc = readDocument(x, opts.name);
  // A sheet laid out otherwise is said alone; cells that could not be read are said with
  // what the schema finds in the others, all at once (the cells already said, once).
  if (x.issues.some((i) => i.field === undefined)) return fail(x.issues);
  const said = new Set(x.issues.map((i) => i.field));
  const locate = (issue: InputIssue): InputIssue => {
    const path =
      issue.path ?? issue.field?.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const where = path ? cellOf(x.at, path) : undefined;
    if (!where) return { ...issue, file };
    const value = cellValue(x.raw(where.at.row, where.at.column)).raw;
    return {
      file,
      row: where.at.row,
      column: where.at.column,
      field: issue.field ?? where.path,
      ...(value === '' ? {} : { value }),
      message: `${cellName(grid.value.sheet, where.at.row, where.at.column)}: ${where.at.what}: ${issue.message}`,
    };
  };
  const checked = validate(assumptionsSchema, doc, file);
  if (!checked.ok || x.issues.length > 0) {
    const located = (checked.ok ? [] : checked.issues).flatMap((issue): InputIssue[] => {
      const where = issue.path ? cellOf(x.at, issue.path) : undefined;
      return where && said.has(where.path) ? [] : [locate(issue)];
    });
    return fail(
      [...x.issues, ...located].sort(
        (a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.column ?? 0) - (b.column ?? 0),
      ),
    );
  }
  const notes = [
    `read the sheet "${grid.value.sheet}" (${x.locale === 'fr' ? 'French' : 'English'} labels): ${checked.value.workloads.length} workloads`,
  ];
  if (x.find((L) => L.inputs.scenarios) !== undefined)
    notes.push(
      'scenario parameters and provider availability windows are not part of an assumption set and were not read; send them as the forecast\'s "scenarios"',
    );
  notes.push(
    'prices are not read back from a workbook: they come from the price sheets a forecast names',
  );
  return ok({
    assumptions: checked.value,
    sheet: grid.value.sheet,
    locale: x.locale,
    notes,
    locate,
  });
}
