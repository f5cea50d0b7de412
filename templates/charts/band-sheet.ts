import type { Parts } from './opc.ts';
import { absoluteCell, type CellPos, columnLetters, type RangeRef, rangeFormula } from './refs.ts';
import type { SeriesData } from './series-xml.ts';
import { addHiddenWorksheet } from './workbook.ts';
import { escapeXml } from './xml.ts';

/** The sheet holding the fan charts' band widths. */
export const BAND_SHEET = 'Chart data';

/** A fan chart's band: the width P90 − P10 at each category, from the cells of both. */
export interface BandRequest {
  readonly label: string;
  readonly name: string;
  readonly p10: RangeRef;
  readonly p90: RangeRef;
  readonly p10Values: readonly (number | undefined)[];
  readonly p90Values: readonly (number | undefined)[];
}

/** 0-based: the first band is on row 3, under a note on row 1. */
const FIRST_ROW = 2;

/** A difference without binary noise in its last digits (2180.1 − 1150 → 1030.1). */
const clean = (x: number) => Number(x.toPrecision(15));

const cellRef = (sheet: string, p: CellPos) =>
  `'${sheet.replace(/'/g, "''")}'!${absoluteCell(p).replace(/\$/g, '')}`;

const inline = (col: number, row: number, text: string) =>
  `<c r="${columnLetters(col)}${row + 1}" t="inlineStr"><is><t>${escapeXml(text)}</t></is></c>`;

/**
 * A stacked band needs its width in cells, and a fan's spec gives only P10, P50 and P90.
 * This adds one hidden sheet with a row per fan: `=P90 − P10` for each category, live
 * formulas with cached results, so the band follows the quantiles when they change.
 * Returns the band series of each fan, in request order.
 */
export function addBandSheet(parts: Parts, bands: readonly BandRequest[]): readonly SeriesData[] {
  if (bands.length === 0) return [];
  const rows = bands.map((b, i) => {
    const row = FIRST_ROW + i;
    const values = b.p90Values.map((hi, k) => {
      const lo = b.p10Values[k];
      return hi === undefined || lo === undefined ? undefined : clean(hi - lo);
    });
    const cells = values.map((v, k) => {
      // biome-ignore lint/style/noNonNullAssertion: P10 and P90 have one cell per category, as values (chartData checks)
      const formula = `${cellRef(b.p90.sheet, b.p90.cells[k]!)}-${cellRef(b.p10.sheet, b.p10.cells[k]!)}`;
      const cached = v === undefined ? '' : `<v>${v}</v>`;
      return `<c r="${columnLetters(k + 1)}${row + 1}"><f>${escapeXml(formula)}</f>${cached}</c>`;
    });
    return {
      name: b.name,
      row,
      values,
      xml: `<row r="${row + 1}">${inline(0, row, b.label)}${cells.join('')}</row>`,
    };
  });
  const width = Math.max(1, ...bands.map((b) => b.p90.cells.length));
  const last = `${columnLetters(width)}${FIRST_ROW + bands.length}`;
  const sheetXml = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
    `<dimension ref="A1:${last}"/>`,
    '<sheetData>',
    `<row r="1">${inline(0, 0, 'Fan chart bands: P90 − P10 per category, by formula from the quantiles the charts show.')}</row>`,
    ...rows.map((r) => r.xml),
    '</sheetData>',
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>',
    '</worksheet>',
  ].join('');
  const sheet = addHiddenWorksheet(parts, BAND_SHEET, sheetXml);
  return rows.map(({ name, row, values }) => {
    const cells = values.map((_, k) => ({ col: k + 1, row }));
    return { name, formula: rangeFormula({ sheet, cells }), values };
  });
}
