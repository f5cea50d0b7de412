// The one renderer: sheet layouts in, xlsx bytes out. The only module that calls exceljs.
// Rows stream through exceljs's WorkbookWriter, so a large calculation sheet is never held
// whole in memory.
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { addr, type SheetLayout, sheetRef, type Validation } from './layout.ts';
import type { ChartSpec } from './package.ts';
import { COLORS, type StyleKey, styleBook } from './styles.ts';

export interface RenderOptions {
  readonly currency: string;
  readonly creator: string;
  readonly date: Date;
}

export interface Rendered {
  /** The package exceljs wrote, without charts. */
  readonly xlsx: Buffer;
  readonly charts: readonly ChartSpec[];
}

/** Writes the sheets in order; throws if a row lands away from where its layout planned it. */
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
    writeSheet(wb, layout, style);
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
): void {
  const { rows: frozenRows, cols: frozenCols } = layout.freeze;
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
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      ...(layout.printTitleRows ? { printTitlesRow: layout.printTitleRows } : {}),
    },
    headerFooter: { oddFooter: '&L&8&A&R&8&P / &N', evenFooter: '&L&8&A&R&8&P / &N' },
    properties: { tabColor: { argb: layout.tabColor ?? COLORS.brand } },
  } as Partial<ExcelJS.AddWorksheetOptions>);
  ws.columns = layout.columns.map((width) => ({ width }));

  // exceljs's streaming writer restarts shared-formula ids on every row; keep the count here.
  const writer = ws as unknown as { _siFormulae: number };
  let si = 0;
  let r = 0;
  for (const spec of layout.rows()) {
    r += 1;
    if (spec.at !== undefined && spec.at !== r)
      throw new Error(`${layout.name}: a row planned at ${spec.at} was written at ${r}`);
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
    writer._siFormulae = si;
    row.commit();
    if (shared) si += 1;
  }
  for (const m of layout.merges ?? []) ws.mergeCells(m);
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
