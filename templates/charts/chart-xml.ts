import { type CategoryData, type SeriesData, type SeriesLook, seriesXml } from './series-xml.ts';
import type { ChartSpec } from './spec.ts';
import { escapeXml } from './xml.ts';

export interface ChartData {
  readonly categories: CategoryData;
  /** In the spec's order (for a fan: P10, P50, P90). */
  readonly series: readonly SeriesData[];
  /** A fan's band P90 − P10, from cells made for it (see band-sheet.ts). */
  readonly band?: SeriesData;
  /** A fan's point forecast. */
  readonly forecast?: SeriesData;
}

/** Series colours, dark first so that two-series charts contrast. */
const PALETTE = ['1F4E79', 'C55A11', '548235', '7F7F7F', '7030A0', 'BF9000', '2E75B6', 'C00000'];
const FAN_BAND = 'BDD7EE';
const FAN_EDGE = '9DC3E6';
const FAN_MEDIAN = '1F4E79';
const FAN_FORECAST = 'C55A11';
const BACKGROUND = 'FFFFFF';
const GRID = 'D9D9D9';
const AXIS_LINE = 'A6A6A6';

const CAT_AX = 500_000_001;
const VAL_AX = 500_000_002;

// biome-ignore lint/style/noNonNullAssertion: i % PALETTE.length is an index of PALETTE
const color = (i: number) => PALETTE[i % PALETTE.length]!;
const line = (c: string, w = 9525) =>
  `<a:ln w="${w}"><a:solidFill><a:srgbClr val="${c}"/></a:solidFill></a:ln>`;

function richText(text: string, size: number, bold: boolean, vertical = false): string {
  const run = `sz="${size}" b="${bold ? 1 : 0}"`;
  const body = vertical ? '<a:bodyPr rot="-5400000" vert="horz"/>' : '<a:bodyPr/>';
  return `<c:tx><c:rich>${body}<a:lstStyle/><a:p><a:pPr><a:defRPr ${run}/></a:pPr><a:r><a:rPr lang="en-US" ${run}/><a:t>${escapeXml(text)}</a:t></a:r></a:p></c:rich></c:tx>`;
}

const title = (text: string, size: number, vertical = false) =>
  `<c:title>${richText(text, size, true, vertical)}<c:overlay val="0"/></c:title>`;

interface AxesOptions {
  readonly horizontalBars: boolean;
  readonly crossBetween: 'between' | 'midCat';
  readonly valueTitle: string | undefined;
  readonly numberFormat: string | undefined;
  readonly valueMin: string | undefined;
}

/** c:catAx then c:valAx, children in CT_CatAx / CT_ValAx order. */
function axesXml(o: AxesOptions): string {
  const numFmt = o.numberFormat
    ? `<c:numFmt formatCode="${escapeXml(o.numberFormat)}" sourceLinked="0"/>`
    : '<c:numFmt formatCode="General" sourceLinked="1"/>';
  const cat = [
    `<c:catAx><c:axId val="${CAT_AX}"/>`,
    // A tornado lists its first (widest) driver at the top.
    `<c:scaling><c:orientation val="${o.horizontalBars ? 'maxMin' : 'minMax'}"/></c:scaling>`,
    `<c:delete val="0"/><c:axPos val="${o.horizontalBars ? 'l' : 'b'}"/>`,
    '<c:numFmt formatCode="General" sourceLinked="1"/>',
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>',
    `<c:spPr>${line(AXIS_LINE)}</c:spPr>`,
    `<c:crossAx val="${VAL_AX}"/><c:crosses val="autoZero"/>`,
    '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/>',
    '</c:catAx>',
  ];
  const val = [
    `<c:valAx><c:axId val="${VAL_AX}"/>`,
    // CT_Scaling: orientation, then max, then min.
    `<c:scaling><c:orientation val="minMax"/>${o.valueMin === undefined ? '' : `<c:min val="${escapeXml(o.valueMin)}"/>`}</c:scaling>`,
    `<c:delete val="0"/><c:axPos val="${o.horizontalBars ? 'b' : 'l'}"/>`,
    `<c:majorGridlines><c:spPr>${line(GRID)}</c:spPr></c:majorGridlines>`,
    o.valueTitle ? title(o.valueTitle, 900, !o.horizontalBars) : '',
    numFmt,
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>',
    `<c:spPr>${line(AXIS_LINE)}</c:spPr>`,
    // With the categories reversed, the value axis still sits at the bottom.
    `<c:crossAx val="${CAT_AX}"/><c:crosses val="${o.horizontalBars ? 'max' : 'autoZero'}"/>`,
    `<c:crossBetween val="${o.crossBetween}"/>`,
    '</c:valAx>',
  ];
  return cat.join('') + val.join('');
}

const axIds = `<c:axId val="${CAT_AX}"/><c:axId val="${VAL_AX}"/>`;

/**
 * Bars of one category overlap fully when no two series lie on the same side of zero
 * (low/high swings around a base: a true tornado); otherwise they stand side by side.
 */
function barsOverlap(series: readonly SeriesData[]): boolean {
  const n = Math.max(0, ...series.map((s) => s.values.length));
  for (let i = 0; i < n; i++) {
    const values = series.map((s) => s.values[i] ?? 0);
    if (values.filter((v) => v > 0).length > 1 || values.filter((v) => v < 0).length > 1) {
      return false;
    }
  }
  return true;
}

const lineGroup = (series: string) =>
  `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>${axIds}</c:lineChart>`;

/** The c:plotArea chart groups, and the legend entries to hide (by series index). */
function plotGroups(spec: ChartSpec, data: ChartData, fmt: string): [string, readonly number[]] {
  const ser = (i: number, s: SeriesData, look: SeriesLook) =>
    seriesXml(i, s, data.categories, look, fmt);
  switch (spec.kind) {
    case 'line': {
      const lines = data.series.map((s, i) => ser(i, s, { kind: 'line', color: color(i) }));
      return [lineGroup(lines.join('')), []];
    }
    case 'bar': {
      const bars = data.series.map((s, i) => ser(i, s, { kind: 'bar', color: color(i) }));
      const overlap = barsOverlap(data.series) ? 100 : 0;
      return [
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>' +
          `${bars.join('')}<c:gapWidth val="60"/><c:overlap val="${overlap}"/>${axIds}</c:barChart>`,
        [],
      ];
    }
    case 'stacked': {
      // Columns stacked per category; an unpainted series (`fill: null`) lifts the ones
      // above it, as the base of a waterfall's steps, and leaves the legend.
      const fills = spec.series.map((x, i) => (x.fill === undefined ? color(i) : x.fill));
      const bars = data.series.map((s, i) => ser(i, s, { kind: 'bar', color: fills[i] ?? null }));
      return [
        '<c:barChart><c:barDir val="col"/><c:grouping val="stacked"/><c:varyColors val="0"/>' +
          `${bars.join('')}<c:gapWidth val="50"/><c:overlap val="100"/>${axIds}</c:barChart>`,
        fills.flatMap((f, i) => (f === null ? [i] : [])),
      ];
    }
    case 'fan': {
      // A stacked area: P10 unpainted, then the band P90 − P10 on top of it; thin P10 and
      // P90 lines mark the edges. (Painting a P10 area in the background colour over a P90
      // area needs no band cells, but Excel draws later area series in front and LibreOffice
      // earlier ones, so the band shows in one of them only.)
      const [p10, p50, p90] = data.series as [SeriesData, SeriesData, SeriesData];
      const { band } = data;
      if (band === undefined) throw new Error(`fan chart ${JSON.stringify(spec.title)}: no band`);
      const edge = { kind: 'line', color: FAN_EDGE, width: 9525 } as const;
      const areas =
        ser(0, p10, { kind: 'area', color: null }) +
        ser(1, band, { kind: 'area', color: FAN_BAND });
      const forecast = data.forecast
        ? ser(5, data.forecast, { kind: 'line', color: FAN_FORECAST, width: 19050, dash: true })
        : '';
      const lines =
        ser(2, p10, edge) +
        ser(3, p90, edge) +
        ser(4, p50, { kind: 'line', color: FAN_MEDIAN }) +
        forecast;
      return [
        '<c:areaChart><c:grouping val="stacked"/><c:varyColors val="0"/>' +
          `${areas}${axIds}</c:areaChart>${lineGroup(lines)}`,
        // Legend positions follow series indices here (areas are listed before lines).
        [0, 2, 3],
      ];
    }
  }
}

/**
 * The `xl/charts/chartN.xml` part: a c:chartSpace whose elements follow the order of
 * ECMA-376 Part 1 §21.2 (CT_ChartSpace, CT_Chart, CT_PlotArea …), as Excel requires.
 */
export function chartXml(spec: ChartSpec, data: ChartData): string {
  const fmt = spec.numberFormat ?? 'General';
  const [groups, hidden] = plotGroups(spec, data, fmt);
  const legendEntries = hidden
    .map((i) => `<c:legendEntry><c:idx val="${i}"/><c:delete val="1"/></c:legendEntry>`)
    .join('');
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"',
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
    '<c:date1904 val="0"/><c:lang val="en-US"/><c:roundedCorners val="0"/>',
    '<c:chart>',
    title(spec.title, 1200),
    '<c:autoTitleDeleted val="0"/>',
    '<c:plotArea><c:layout/>',
    groups,
    axesXml({
      horizontalBars: spec.kind === 'bar',
      crossBetween: spec.kind === 'fan' ? 'midCat' : 'between',
      valueTitle: spec.valueAxisTitle,
      numberFormat: spec.numberFormat,
      valueMin: spec.valueAxisMin,
    }),
    '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>',
    '</c:plotArea>',
    `<c:legend><c:legendPos val="b"/>${legendEntries}<c:overlay val="0"/></c:legend>`,
    '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>',
    '</c:chart>',
    `<c:spPr><a:solidFill><a:srgbClr val="${BACKGROUND}"/></a:solidFill>${line(GRID)}</c:spPr>`,
    '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"/></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>',
    '</c:chartSpace>',
  ].join('');
}
