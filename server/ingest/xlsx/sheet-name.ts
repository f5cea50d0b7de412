import type ExcelJS from 'exceljs';

/** What exceljs's streaming reader exposes of a worksheet beyond its typings. */
export interface StreamSheet extends AsyncIterable<ExcelJS.Row> {
  /** N of xl/worksheets/sheetN.xml. */
  readonly id?: string | number;
  readonly name?: string;
}

/** What exceljs's streaming reader exposes of a workbook beyond its typings. */
export interface StreamBook extends AsyncIterable<StreamSheet> {
  readonly model?: {
    readonly sheets?: readonly { readonly name: string; readonly rId?: string }[];
  };
  readonly workbookRels?: readonly { readonly Id: string; readonly Target: string }[];
  readonly properties?: { readonly model?: { readonly date1904?: boolean } };
}

/**
 * A worksheet's name (its tab) from the workbook's relationships. exceljs matches only
 * relative targets (`worksheets/sheet2.xml`, as Excel and LibreOffice write them), so a
 * workbook openpyxl saved (`/xl/worksheets/sheet2.xml`, and its sheets before workbook.xml in
 * the zip) had its sheets named "Sheet1", "Sheet2"… or none at all.
 * @example sheetName(reader, sheet) //=> "Prices"
 */
export function sheetName(reader: StreamBook, sheet: StreamSheet): string | undefined {
  const file = `worksheets/sheet${String(sheet.id)}.xml`;
  const rel = reader.workbookRels?.find((r) => r.Target.replace(/^\/?(?:xl\/)?/, '') === file);
  const named = rel && reader.model?.sheets?.find((s) => s.rId === rel.Id)?.name;
  return named ?? sheet.name;
}
