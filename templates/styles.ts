// Cell styles as data. Layouts name a style by key; `styleBook` turns a key into ONE shared
// exceljs style object (exceljs is 2–3× slower when every cell gets a fresh object).
import type { Style } from 'exceljs';

/** Who owns a number: an input, a calculation, a link to another sheet, a value, a total. */
export type NumberRole = 'in' | 'calc' | 'link' | 'val' | 'tot';
export type NumberFormat =
  | 'money'
  | 'price'
  | 'native'
  | 'qty'
  | 'pct'
  | 'rate'
  | 'index'
  | 'int'
  | 'num'
  | 'prob'
  | 'text'
  | 'delta'
  | 'headroom';
export type PlainStyle =
  | 'title'
  | 'subtitle'
  | 'note'
  | 'section'
  | 'header'
  | 'headerRight'
  | 'timeline'
  | 'label'
  | 'labelBold'
  | 'labelTop'
  | 'labelIndent'
  | 'labelWrap'
  | 'warn'
  | 'paragraph'
  | 'statusApproved'
  | 'statusRejected'
  | 'statusPending'
  | 'statusNone'
  | 'checkAll';
export type StyleKey = PlainStyle | `${NumberRole}.${NumberFormat}`;

/** The palette, declared once and stated in the About sheet's legend. */
export const COLORS = {
  ink: 'FF000000',
  input: 'FF0000FF',
  inputFill: 'FFFFF2CC',
  /** Purple, not green: green and red are kept for good and bad. */
  link: 'FF7030A0',
  value: 'FF595959',
  brand: 'FF1F4E78',
  headerFill: 'FFDDEBF7',
  timelineFill: 'FFF2F2F2',
  grid: 'FFBFBFBF',
  warn: 'FFC00000',
  white: 'FFFFFFFF',
} as const;

const FONT = 'Calibri';
const SIZE = 10;

/**
 * Number format codes; the reporting currency is part of every amount's format. Codes are
 * stored locale-independently: Excel and LibreOffice show decimal commas to French users.
 * Red means bad, so only two formats colour a number: `delta`, a change in cost (an
 * increase red with its plus sign, a saving in ink), and `headroom`, budget left (an overrun
 * red). Other negatives keep their minus sign and the ink colour; no number is green (a
 * palette's green differs between Excel and LibreOffice, and green would read as good).
 * @example numberFormat('money', 'MAD') //=> '#,##0.00 "MAD";-#,##0.00 "MAD"'
 * @example numberFormat('delta', 'MAD') //=> '[Red]+#,##0.00 "MAD";-#,##0.00 "MAD";0.00 "MAD"'
 */
export function numberFormat(f: NumberFormat, currency: string): string {
  const cur = ` "${currency}"`;
  switch (f) {
    case 'money':
      return `#,##0.00${cur};-#,##0.00${cur}`;
    case 'delta':
      return `[Red]+#,##0.00${cur};-#,##0.00${cur};0.00${cur}`;
    case 'headroom':
      return `#,##0.00${cur};[Red]-#,##0.00${cur};0.00${cur}`;
    case 'price':
      return `#,##0.00####${cur};-#,##0.00####${cur}`;
    case 'native':
      return '#,##0.00####;-#,##0.00####';
    case 'qty':
      return '#,##0.00;-#,##0.00';
    case 'pct':
      return '0.00%;-0.00%';
    case 'rate':
      return '0.0000##;-0.0000##';
    case 'index':
      return '0.000000;-0.000000';
    case 'int':
      return '0;-0';
    case 'num':
      return '#,##0.00;-#,##0.00';
    case 'prob':
      return '0.0%';
    case 'text':
      return '@';
  }
}

const solid = (argb: string) => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } }) as const;
const thin = (argb: string) => ({ style: 'thin', color: { argb } }) as const;
const font = (over: Partial<Style['font']> = {}): Partial<Style['font']> => ({
  name: FONT,
  size: SIZE,
  color: { argb: COLORS.ink },
  ...over,
});

const status = (argb: string): Partial<Style> => ({
  font: font({ size: 13, bold: true, color: { argb: COLORS.white } }),
  fill: solid(argb),
  alignment: { vertical: 'middle', wrapText: true },
});

const PLAIN: Record<PlainStyle, Partial<Style>> = {
  title: { font: font({ size: 16, bold: true, color: { argb: COLORS.brand } }) },
  subtitle: { font: font({ size: 11, color: { argb: COLORS.value } }) },
  note: { font: font({ italic: true, color: { argb: COLORS.value } }) },
  section: {
    font: font({ bold: true, color: { argb: COLORS.white } }),
    fill: solid(COLORS.brand),
  },
  header: {
    font: font({ bold: true }),
    fill: solid(COLORS.headerFill),
    border: { bottom: thin(COLORS.brand) },
    alignment: { wrapText: true, vertical: 'middle' },
  },
  headerRight: {
    font: font({ bold: true }),
    fill: solid(COLORS.headerFill),
    border: { bottom: thin(COLORS.brand) },
    alignment: { wrapText: true, vertical: 'middle', horizontal: 'right' },
  },
  timeline: {
    font: font({ bold: true }),
    fill: solid(COLORS.timelineFill),
    alignment: { horizontal: 'right' },
  },
  label: { font: font() },
  labelBold: { font: font({ bold: true }) },
  labelTop: { font: font({ bold: true }), alignment: { vertical: 'top' } },
  labelIndent: { font: font(), alignment: { indent: 1 } },
  labelWrap: { font: font(), alignment: { indent: 1, wrapText: true } },
  warn: { font: font({ bold: true, color: { argb: COLORS.warn } }), alignment: { indent: 1 } },
  paragraph: { font: font(), alignment: { wrapText: true, vertical: 'top' } },
  // The review status banner of the Summary: white on green, red, amber or grey.
  statusApproved: status('FF2E7D32'),
  statusRejected: status(COLORS.warn),
  statusPending: status('FFC55A11'),
  statusNone: status('FF7F7F7F'),
  checkAll: {
    font: font({ bold: true }),
    border: { top: thin(COLORS.ink), bottom: thin(COLORS.ink) },
    alignment: { horizontal: 'center' },
  },
};

function numberStyle(role: NumberRole, f: NumberFormat, currency: string): Partial<Style> {
  const numFmt = numberFormat(f, currency);
  switch (role) {
    case 'in':
      return {
        numFmt,
        font: font({ color: { argb: COLORS.input } }),
        fill: solid(COLORS.inputFill),
        border: {
          top: thin(COLORS.grid),
          bottom: thin(COLORS.grid),
          left: thin(COLORS.grid),
          right: thin(COLORS.grid),
        },
      };
    case 'calc':
      return { numFmt, font: font() };
    case 'link':
      return { numFmt, font: font({ color: { argb: COLORS.link } }) };
    case 'val':
      return { numFmt, font: font({ color: { argb: COLORS.value } }) };
    case 'tot':
      return { numFmt, font: font({ bold: true }), border: { top: thin(COLORS.ink) } };
  }
}

/** Resolves style keys to shared style objects for one workbook (one reporting currency). */
export function styleBook(currency: string): (key: StyleKey) => Partial<Style> {
  const cache = new Map<StyleKey, Partial<Style>>();
  return (key) => {
    let style = cache.get(key);
    if (!style) {
      const dot = key.indexOf('.');
      style =
        dot < 0
          ? PLAIN[key as PlainStyle]
          : numberStyle(
              key.slice(0, dot) as NumberRole,
              key.slice(dot + 1) as NumberFormat,
              currency,
            );
      cache.set(key, style);
    }
    return style;
  };
}
