import type { ChartSpec } from './spec.ts';
import { escapeXml } from './xml.ts';

export const XDR_NS = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
export const A_NS = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const C_NS = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const corner = (tag: 'from' | 'to', p: { col: number; row: number }) =>
  `<xdr:${tag}><xdr:col>${p.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${p.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;

/**
 * One `<xdr:twoCellAnchor>` holding a chart frame. `shapeId` must be unique in its drawing;
 * `relId` is the drawing's relationship to the chart part.
 */
export function chartAnchorXml(
  anchor: ChartSpec['anchor'],
  shapeId: number,
  name: string,
  relId: string,
): string {
  const { from, to } = anchor;
  for (const p of [from, to]) {
    if (![p.col, p.row].every((n) => Number.isInteger(n) && n >= 0)) {
      throw new Error(`chart anchor corners must be non-negative integers: ${JSON.stringify(p)}`);
    }
  }
  if (to.col <= from.col || to.row <= from.row) {
    throw new Error(`chart anchor must span at least one cell: ${JSON.stringify(anchor)}`);
  }
  return [
    '<xdr:twoCellAnchor>',
    corner('from', from),
    corner('to', to),
    '<xdr:graphicFrame macro="">',
    `<xdr:nvGraphicFramePr><xdr:cNvPr id="${shapeId}" name="${escapeXml(name)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>`,
    '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>',
    `<a:graphic><a:graphicData uri="${C_NS}"><c:chart xmlns:c="${C_NS}" xmlns:r="${R_NS}" r:id="${relId}"/></a:graphicData></a:graphic>`,
    '</xdr:graphicFrame>',
    '<xdr:clientData/>',
    '</xdr:twoCellAnchor>',
  ].join('');
}

/** A new `xl/drawings/drawingN.xml` part holding the given anchors. */
export const drawingXml = (anchors: readonly string[]): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<xdr:wsDr xmlns:xdr="${XDR_NS}" xmlns:a="${A_NS}">${anchors.join('')}</xdr:wsDr>`;
