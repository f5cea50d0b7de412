import { addBandSheet } from './band-sheet.ts';
import { readSharedStrings, readSheetValues, type SheetValues } from './cells.ts';
import { type ChartData, chartXml } from './chart-xml.ts';
import { A_NS, chartAnchorXml, drawingXml, XDR_NS } from './drawing-xml.ts';
import {
  addOverride,
  addRelationship,
  CONTENT_TYPE,
  freePartName,
  type Parts,
  REL,
  readRels,
  relsPartOf,
  resolveTarget,
  textPart,
} from './opc.ts';
import { parseRange, rangeFormula } from './refs.ts';
import type { ChartSpec } from './spec.ts';
import { sharedStringsXml, worksheetParts } from './workbook.ts';
import { attr, insertAt, parseRoot } from './xml.ts';

/** CT_Worksheet children that come after `<drawing>`; it goes before the first present. */
const AFTER_DRAWING = new Set([
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
]);

/**
 * Writes one chart part per spec and anchors the charts in their sheets' drawings,
 * creating a drawing (with its `<drawing>` element, relationship and content type) for a
 * sheet that has none. Cached values come from the package's own worksheets.
 */
export function placeCharts(parts: Parts, charts: readonly ChartSpec[]): void {
  if (charts.length === 0) return;
  const sheets = worksheetParts(parts);
  // The worksheet part of each chart's sheet, checked before anything is read.
  const sheetParts = charts.map(({ sheet }) => {
    const part = sheets.get(sheet);
    if (part === undefined) throw new Error(`no worksheet named ${JSON.stringify(sheet)}`);
    return part;
  });
  const valuesOf = sheetValuesReader(parts, sheets);
  const placed = withBands(
    parts,
    charts.map((spec) => ({ spec, data: chartData(spec, valuesOf) })),
  );

  const bySheet = new Map<string, Placed[]>();
  placed.forEach((x, i) => {
    // biome-ignore lint/style/noNonNullAssertion: sheetParts has one entry per chart, as placed
    const part = sheetParts[i]!;
    bySheet.set(part, [...(bySheet.get(part) ?? []), x]);
  });
  for (const [sheetPart, onSheet] of bySheet) {
    const drawing = drawingOf(parts, sheetPart);
    let shapeId = drawing.maxShapeId;
    const anchors = onSheet.map(({ spec, data }) => {
      const chartPart = freePartName(parts, 'xl/charts/chart', '.xml');
      parts.set(chartPart, chartXml(spec, data));
      addOverride(parts, chartPart, CONTENT_TYPE.chart);
      const relId = addRelationship(parts, drawing.part, REL.chart, chartPart);
      shapeId += 1;
      return chartAnchorXml(spec.anchor, shapeId, `Chart ${shapeId}`, relId);
    });
    const xml = textPart(parts, drawing.part);
    if (xml === undefined) throw new Error(`drawing part ${drawing.part} is missing`);
    parts.set(drawing.part, insertAt(xml, parseRoot(xml).contentEnd, anchors.join('')));
  }
}

/** A chart and the data read for it. */
interface Placed {
  readonly spec: ChartSpec;
  readonly data: ChartData;
}

/** Gives each fan its band series, whose cells the hidden band sheet provides. */
function withBands(parts: Parts, placed: readonly Placed[]): readonly Placed[] {
  const fans = placed.filter(({ spec }) => spec.kind === 'fan' && !spec.band);
  const bands = addBandSheet(
    parts,
    fans.map(({ spec, data }) => {
      const [s10, , s90] = spec.series;
      const [p10, , p90] = data.series;
      if (!s10 || !s90 || !p10 || !p90)
        throw new Error(`chart ${JSON.stringify(spec.title)}: a fan takes exactly [P10, P50, P90]`);
      return {
        label: spec.title,
        name: `${s10.name}–${s90.name}`,
        p10: parseRange(s10.values),
        p90: parseRange(s90.values),
        p10Values: p10.values,
        p90Values: p90.values,
      };
    }),
  );
  return placed.map((x) => {
    const k = fans.indexOf(x);
    // biome-ignore lint/style/noNonNullAssertion: addBandSheet returns one band per fan, in order
    return k < 0 ? x : { ...x, data: { ...x.data, band: bands[k]! } };
  });
}

interface Drawing {
  readonly part: string;
  /** The largest shape id in the drawing (ids must be unique within it). */
  readonly maxShapeId: number;
}

/** The sheet's drawing (exceljs writes one for images), or a new one wired to the sheet. */
function drawingOf(parts: Parts, sheetPart: string): Drawing {
  const sheetXml = textPart(parts, sheetPart);
  if (sheetXml === undefined) throw new Error(`worksheet part ${sheetPart} is missing`);
  const root = parseRoot(sheetXml);
  if (root.name !== 'worksheet') throw new Error(`${sheetPart} is not a worksheet`);

  const existing = root.children.find((c) => c.name === 'drawing');
  if (existing) {
    const id = attr(existing.attrs, 'r:id');
    const rel = readRels(textPart(parts, relsPartOf(sheetPart))).find((r) => r.id === id);
    if (rel === undefined) throw new Error(`${sheetPart}: drawing relationship ${id} is missing`);
    const part = resolveTarget(sheetPart, rel.target);
    const xml = textPart(parts, part);
    if (xml === undefined) throw new Error(`drawing part ${part} is missing`);
    const drawingRoot = parseRoot(xml);
    if (
      drawingRoot.name !== 'xdr:wsDr' ||
      attr(drawingRoot.attrs, 'xmlns:xdr') !== XDR_NS ||
      attr(drawingRoot.attrs, 'xmlns:a') !== A_NS
    ) {
      throw new Error(`${part}: expected <xdr:wsDr> declaring the xdr and a namespaces`);
    }
    const ids = [...xml.matchAll(/<(?:\w+:)?cNvPr\b[^>]*?\sid="(\d+)"/g)].map((m) => Number(m[1]));
    return { part, maxShapeId: Math.max(1, ...ids) };
  }

  const part = freePartName(parts, 'xl/drawings/drawing', '.xml');
  const relId = addRelationship(parts, sheetPart, REL.drawing, part);
  const declaresR = attr(root.attrs, 'xmlns:r') !== undefined;
  const element = declaresR
    ? `<drawing r:id="${relId}"/>`
    : `<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="${relId}"/>`;
  const before = root.children.find((c) => AFTER_DRAWING.has(c.name));
  parts.set(sheetPart, insertAt(sheetXml, before?.start ?? root.contentEnd, element));
  addOverride(parts, part, CONTENT_TYPE.drawing);
  parts.set(part, drawingXml([]));
  return { part, maxShapeId: 1 };
}

/** Reads (once per sheet) the cached values of the worksheet a reference names. */
function sheetValuesReader(parts: Parts, sheets: ReadonlyMap<string, string>) {
  const shared = readSharedStrings(sharedStringsXml(parts));
  const cache = new Map<string, SheetValues>();
  return (sheet: string): SheetValues => {
    let values = cache.get(sheet);
    if (values === undefined) {
      const part = sheets.get(sheet);
      const xml = part === undefined ? undefined : textPart(parts, part);
      if (xml === undefined) throw new Error(`chart refers to a missing sheet ${sheet}`);
      values = readSheetValues(xml, shared);
      cache.set(sheet, values);
    }
    return values;
  };
}

function chartData(spec: ChartSpec, valuesOf: (sheet: string) => SheetValues): ChartData {
  if (spec.kind === 'fan' ? spec.series.length !== 3 : spec.series.length === 0) {
    throw new Error(
      `chart ${JSON.stringify(spec.title)}: ${spec.kind === 'fan' ? 'a fan takes exactly [P10, P50, P90]' : 'no series'}`,
    );
  }
  const cats = parseRange(spec.categories);
  const catValues = valuesOf(cats.sheet);
  const labels = cats.cells.map((p) => {
    const v = catValues.get(p);
    return v === undefined ? '' : String(v.value);
  });
  const seriesData = (s: { readonly name: string; readonly values: string }) => {
    const range = parseRange(s.values);
    if (range.cells.length !== cats.cells.length) {
      throw new Error(
        `chart ${JSON.stringify(spec.title)}: series ${JSON.stringify(s.name)} has ${range.cells.length} cells for ${cats.cells.length} categories`,
      );
    }
    const values = valuesOf(range.sheet);
    return {
      name: s.name,
      formula: rangeFormula(range),
      values: range.cells.map((p) => {
        const v = values.get(p);
        return v?.kind === 'number' ? v.value : undefined;
      }),
    };
  };
  const series = spec.series.map(seriesData);
  const categories = { formula: rangeFormula(cats), labels };
  if (spec.kind !== 'fan') return { categories, series };
  return {
    categories,
    series,
    ...(spec.band ? { band: seriesData(spec.band) } : {}),
    ...(spec.forecast ? { forecast: seriesData(spec.forecast) } : {}),
  };
}
