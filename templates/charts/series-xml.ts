import { escapeXml } from './xml.ts';

/** A series as the chart part needs it: a reference and the values cached from the sheet. */
export interface SeriesData {
  readonly name: string;
  readonly formula: string;
  /** Cached values; `undefined` for a cell with no number (drawn as a gap). */
  readonly values: readonly (number | undefined)[];
}

export interface CategoryData {
  readonly formula: string;
  readonly labels: readonly string[];
}

/** How one series is drawn. */
export type SeriesLook =
  | {
      readonly kind: 'line';
      readonly color: string;
      readonly width?: number;
      readonly dash?: boolean;
    }
  /** A bar with no colour is not painted (the base of a waterfall). */
  | { readonly kind: 'bar'; readonly color: string | null }
  /** An area with no colour is not painted (the base of a stacked band). */
  | { readonly kind: 'area'; readonly color: string | null };

const solid = (color: string) => `<a:solidFill><a:srgbClr val="${color}"/></a:solidFill>`;

function shapeProps(look: SeriesLook): string {
  switch (look.kind) {
    case 'line':
      return `<c:spPr><a:ln w="${look.width ?? 28575}" cap="rnd">${solid(look.color)}${look.dash ? '<a:prstDash val="dash"/>' : ''}<a:round/></a:ln></c:spPr>`;
    case 'bar': {
      const fill = look.color === null ? '<a:noFill/>' : solid(look.color);
      return `<c:spPr>${fill}<a:ln><a:noFill/></a:ln></c:spPr>`;
    }
    case 'area': {
      const fill = look.color === null ? '<a:noFill/>' : solid(look.color);
      return `<c:spPr>${fill}<a:ln><a:noFill/></a:ln></c:spPr>`;
    }
  }
}

const strCache = (labels: readonly string[]) =>
  `<c:strCache><c:ptCount val="${labels.length}"/>${labels
    .map((s, i) => `<c:pt idx="${i}"><c:v>${escapeXml(s)}</c:v></c:pt>`)
    .join('')}</c:strCache>`;

/** CT_NumData: formatCode, ptCount, pt… */
const numData = (values: readonly (number | undefined)[], formatCode: string) =>
  `<c:formatCode>${escapeXml(formatCode)}</c:formatCode><c:ptCount val="${values.length}"/>${values
    .map((v, i) => (v === undefined ? '' : `<c:pt idx="${i}"><c:v>${String(v)}</c:v></c:pt>`))
    .join('')}`;

const values = (series: SeriesData, formatCode: string) =>
  `<c:val><c:numRef><c:f>${escapeXml(series.formula)}</c:f><c:numCache>${numData(series.values, formatCode)}</c:numCache></c:numRef></c:val>`;

/**
 * One `<c:ser>` in the order CT_LineSer / CT_BarSer / CT_AreaSer require:
 * idx, order, tx, spPr, (marker | invertIfNegative), cat, val, (smooth).
 */
export function seriesXml(
  index: number,
  series: SeriesData,
  categories: CategoryData,
  look: SeriesLook,
  formatCode: string,
): string {
  return [
    '<c:ser>',
    `<c:idx val="${index}"/><c:order val="${index}"/>`,
    `<c:tx><c:v>${escapeXml(series.name)}</c:v></c:tx>`,
    shapeProps(look),
    look.kind === 'line' ? '<c:marker><c:symbol val="none"/></c:marker>' : '',
    look.kind === 'bar' ? '<c:invertIfNegative val="0"/>' : '',
    `<c:cat><c:strRef><c:f>${escapeXml(categories.formula)}</c:f>${strCache(categories.labels)}</c:strRef></c:cat>`,
    values(series, formatCode),
    look.kind === 'line' ? '<c:smooth val="0"/>' : '',
    '</c:ser>',
  ].join('');
}
