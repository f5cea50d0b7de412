/**
 * A native Excel chart to place on a worksheet, as data. `finalizeXlsx` turns it into the
 * DrawingML parts exceljs cannot write.
 *
 * - `line`: one line per series.
 * - `bar`: horizontal clustered bars, first category at the top (a tornado).
 * - `fan`: a shaded P10–P90 band and a P50 line; `series` is exactly `[P10, P50, P90]`. The
 *   band is drawn as a stacked area on P10, so it needs the widths P90 − P10 as cells: give
 *   them in `band` (a visible row or column of the workbook); without `band` they are
 *   written as formulas on a hidden sheet, "Chart data", appended after every other sheet.
 *   An optional `forecast` series (the point forecast) is drawn as a dashed line beside them.
 * - `stacked`: vertical columns, the series of a category stacked on each other. A series
 *   with `fill: null` is not painted and has no legend entry: the invisible base a waterfall
 *   stands its up and down steps on (Excel 2016's own waterfall type does not render in
 *   LibreOffice).
 *
 * References name their sheet (`"'Summary'!$C$20:$J$20"`; `$` optional, written absolute);
 * each covers one row or one column, and every series has as many cells as `categories`.
 * Cached values are read from the cells' `<v>`, so write formula cells with their results.
 */
export interface ChartSpec {
  /** Worksheet name exactly as in the workbook. */
  readonly sheet: string;
  readonly kind: 'line' | 'bar' | 'fan' | 'stacked';
  readonly title: string;
  /** 0-based cell corners: the chart covers from the top-left of `from` to the top-left of `to`. */
  readonly anchor: {
    readonly from: { col: number; row: number };
    readonly to: { col: number; row: number };
  };
  readonly categories: string;
  /** `fill`: the series' colour (hex `RRGGBB`), `null` for none; default the palette's. */
  readonly series: readonly {
    readonly name: string;
    readonly values: string;
    readonly fill?: string | null;
  }[];
  /** For a fan: the cells holding P90 − P10 (see above). */
  readonly band?: { readonly name: string; readonly values: string };
  /** For a fan: the point forecast, a dashed line beside P50 and the band. */
  readonly forecast?: { readonly name: string; readonly values: string };
  readonly valueAxisTitle?: string;
  /** Where the value axis starts (a decimal string); absent: the application's automatic one. */
  readonly valueAxisMin?: string;
  /** Excel number format of the value axis and the cached values, e.g. `#,##0`. */
  readonly numberFormat?: string;
}
