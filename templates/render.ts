// The one renderer: sheet layouts in, xlsx bytes out. The only module that calls exceljs.
// Rows stream through exceljs's WorkbookWriter, so a large calculation sheet is never held
// whole in memory.
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { addr, type SheetLayout, sheetRef, type Validation } from './layout.ts';
import type { ChartSpec } from './package.ts';
import { DEFAULT_ROW_HEIGHT, MARGINS, paginate } from './paginate.ts';
import { COLORS, type StyleKey, styleBook } from './styles.ts';

export interface RenderOptions {
  readonly currency: string;
  readonly creator: string;
  readonly date: Date;
  /** Printed at the top of every page: left, the forecast; right, its review status. */
  readonly pageHeader?: { readonly left: string; readonly right: string } | undefined;
}

export interface Rendered {
  /** The package exceljs wrote, without charts. */
  readonly xlsx: Buffer;
  readonly charts: readonly ChartSpec[];
}

/** Writes the sheets in order. */
export async function renderLayouts(
  sheets: readonly SheetLayout[],
  opts: RenderOptions,
): Promise<Rendered> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: true,
    // finalizeXlsx re-packs every part; compressing here would only be undone there.
    zip: { store: true },
  } as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>);
  wb.creator = opts.creator;
  wb.lastModifiedBy = opts.creator;
  wb.created = opts.date;
  wb.modified = opts.date;
  const style = styleBook(opts.currency);
  const charts: ChartSpec[] = [];

  for (const layout of sheets) {
    writeSheet(wb, layout, style, opts.pageHeader);
    for (const n of layout.names ?? [])
      wb.definedNames.add(`${sheetRef(layout.name)}!${n.ref}`, n.name);
    charts.push(...(layout.charts ?? []));
  }
  await wb.commit();
  return { xlsx: Buffer.concat(chunks), charts };
}

function writeSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  layout: SheetLayout,
  style: (key: StyleKey) => Partial<ExcelJS.Style>,
  pageHeader: RenderOptions['pageHeader'],
): void {
  const { rows: frozenRows, cols: frozenCols } = layout.freeze;
  // Header and footer codes: `&A` the sheet, `&P` / `&N` the page and the page count; a
  // literal `&` is written `&&`.
  const literal = (t: string) => t.replace(/&/g, '&&');
  const footer = '&L&8&A&R&8&P / &N';
  const header = pageHeader
    ? `&L&8${literal(pageHeader.left)}&R&8&B${literal(pageHeader.right)}`
    : undefined;
  const ws = wb.addWorksheet(layout.name, {
    views: [
      {
        state: 'frozen',
        xSplit: frozenCols,
        ySplit: frozenRows,
        topLeftCell: addr(frozenCols + 1, frozenRows + 1),
        activeCell: 'A1',
      },
    ],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: MARGINS,
      ...(layout.printTitleRows ? { printTitlesRow: layout.printTitleRows } : {}),
    },
    headerFooter: {
      oddFooter: footer,
      evenFooter: footer,
      ...(header ? { oddHeader: header, evenHeader: header } : {}),
    },
    properties: { tabColor: { argb: layout.tabColor ?? COLORS.brand } },
  } as Partial<ExcelJS.AddWorksheetOptions>);
  ws.columns = layout.columns.map((width) => ({ width }));

  // exceljs's streaming writer restarts shared-formula ids on every row; keep the count here.
  const writer = ws as unknown as { _siFormulae: number };
  let si = 0;
  let r = 0;
  // The streaming writer merges only cells of rows not yet committed: merges within a row.
  const merges = new Map<number, string[]>();
  for (const m of layout.merges ?? []) {
    const [row, other, ...more] = [...m.matchAll(/\d+/g)].map(Number);
    if (row === undefined || row !== other || more.length > 0)
      throw new Error(`${layout.name}: merge ${m} must lie within one row`);
    merges.set(row, [...(merges.get(row) ?? []), m]);
  }
  // What the print needs: row heights, the rows that start a block, the columns used.
  const heights: number[] = [];
  const blockStarts: number[] = [];
  const tableStarts: number[] = [];
  let lastColumn = 0;
  for (const spec of layout.rows()) {
    r += 1;
    heights.push(spec.height ?? DEFAULT_ROW_HEIGHT);
    const lead = spec.cells.find((c) => c !== null)?.s;
    if (lead === 'section') blockStarts.push(r);
    else if (lead === 'header') tableStarts.push(r);
    lastColumn = Math.max(lastColumn, spec.cells.length);
    const row = ws.getRow(r);
    const { cells, shared } = spec;
    const [first, last] = shared ?? [0, 0];
    const master = shared ? addr(first, r) : '';
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (!cell) continue;
      const target = row.getCell(c + 1);
      if (cell.f !== undefined) {
        const k = c + 1;
        target.value = (
          k === first
            ? {
                formula: cell.f,
                result: cell.r,
                shareType: 'shared',
                ref: `${master}:${addr(last, r)}`,
              }
            : k > first && k <= last
              ? { sharedFormula: master, result: cell.r }
              : { formula: cell.f, result: cell.r }
        ) as ExcelJS.CellFormulaValue;
      } else if (cell.v !== undefined) target.value = cell.v;
      if (cell.s) target.style = style(cell.s) as ExcelJS.Style;
    }
    if (spec.height) row.height = spec.height;
    for (const m of merges.get(r) ?? []) ws.mergeCells(m);
    writer._siFormulae = si;
    row.commit();
    if (shared) si += 1;
  }
  const charts = (layout.charts ?? []).map((c) => ({
    first: c.anchor.from.row + 1,
    last: c.anchor.to.row,
    right: c.anchor.to.col,
  }));
  const print = paginate({
    columns: layout.columns,
    lastColumn: Math.max(lastColumn, ...charts.map((c) => c.right)),
    heights,
    blockStarts,
    tableStarts,
    charts,
    printTitleRows: layout.printTitleRows,
  });
  ws.pageSetup.orientation = print.orientation;
  const { rowBreaks } = ws as unknown as { rowBreaks: { id: number; max: number; man: 1 }[] };
  for (const id of print.breaks) rowBreaks.push({ id, max: 16383, man: 1 });

  // The streaming writer has data validations; exceljs's typings only declare them elsewhere.
  const { dataValidations } = ws as unknown as {
    dataValidations: { add(range: string, v: ExcelJS.DataValidation): void };
  };
  for (const v of layout.validations ?? [])
    dataValidations.add(v.range.replace(/\$/g, ''), validation(v));
  for (const cs of layout.colorScales ?? [])
    ws.addConditionalFormatting({
      ref: cs.range,
      rules: [
        {
          type: 'colorScale',
          priority: 1,
          cfvo: [{ type: 'min' }, { type: 'percentile', value: 50 }, { type: 'max' }],
          color: [{ argb: 'FF63BE7B' }, { argb: 'FFFFEB84' }, { argb: 'FFF8696B' }],
        },
      ],
    } as ExcelJS.ConditionalFormattingOptions);
  ws.commit();
}

function validation(v: Validation): ExcelJS.DataValidation {
  const common = {
    allowBlank: v.allowBlank ?? false,
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: 'costcast',
    error: v.message,
    showInputMessage: true,
    prompt: v.message,
  };
  if ('formula' in v)
    return { type: v.kind, formulae: [v.formula], ...common } as ExcelJS.DataValidation;
  return {
    type: v.kind,
    operator: v.operator,
    formulae: [...v.values],
    ...common,
  } as ExcelJS.DataValidation;
}
