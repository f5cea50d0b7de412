/**
 * The pieces of Open Packaging Conventions that adding a part needs: relationships, content
 * types and relative part names. Part names here have no leading slash (`xl/workbook.xml`).
 */
import { attr, escapeXml, insertAt, parseRoot } from './xml.ts';

export const REL = {
  drawing: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing',
  chart: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart',
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  sharedStrings:
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings',
} as const;

export const CONTENT_TYPE = {
  drawing: 'application/vnd.openxmlformats-officedocument.drawing+xml',
  chart: 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml',
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
} as const;

/** Every part of a package; XML parts (`.xml`, `.rels`) as text, the rest as bytes. */
export type Parts = Map<string, string | Uint8Array>;

export function textPart(parts: Parts, name: string): string | undefined {
  const p = parts.get(name);
  if (p !== undefined && typeof p !== 'string') throw new Error(`${name} is not an XML part`);
  return p;
}

const dirOf = (part: string) => part.slice(0, part.lastIndexOf('/') + 1);

/** "xl/worksheets/sheet1.xml" → "xl/worksheets/_rels/sheet1.xml.rels". */
export const relsPartOf = (part: string): string =>
  `${dirOf(part)}_rels/${part.slice(part.lastIndexOf('/') + 1)}.rels`;

/**
 * The part a relationship target names, from the part that holds the relationship.
 * @example resolveTarget('xl/worksheets/sheet1.xml', '../drawings/drawing1.xml') //=> "xl/drawings/drawing1.xml"
 */
export function resolveTarget(source: string, target: string): string {
  const segments = target.startsWith('/') ? [] : dirOf(source).split('/').filter(Boolean);
  for (const s of target.split('/')) {
    if (s === '..') segments.pop();
    else if (s !== '.' && s !== '') segments.push(s);
  }
  return segments.join('/');
}

/**
 * The relative target from `source` to `part`.
 * @example relativeTarget('xl/drawings/drawing1.xml', 'xl/charts/chart1.xml') //=> "../charts/chart1.xml"
 */
export function relativeTarget(source: string, part: string): string {
  const from = dirOf(source).split('/').filter(Boolean);
  const to = part.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

export interface Relationship {
  readonly id: string;
  readonly type: string;
  readonly target: string;
  readonly external: boolean;
}

export function readRels(xml: string | undefined): readonly Relationship[] {
  if (xml === undefined) return [];
  return parseRoot(xml)
    .children.filter((c) => c.name === 'Relationship')
    .map((c) => ({
      id: attr(c.attrs, 'Id') ?? '',
      type: attr(c.attrs, 'Type') ?? '',
      target: attr(c.attrs, 'Target') ?? '',
      external: attr(c.attrs, 'TargetMode') === 'External',
    }));
}

const EMPTY_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';

/**
 * Adds a relationship from `source` to `part` in the source's rels part (created when
 * missing), with the first `rIdN` not already taken. Returns the new id.
 */
export function addRelationship(parts: Parts, source: string, type: string, part: string): string {
  const name = relsPartOf(source);
  const xml = textPart(parts, name) ?? EMPTY_RELS;
  const taken = new Set(readRels(xml).map((r) => r.id));
  let n = 1;
  while (taken.has(`rId${n}`)) n++;
  const id = `rId${n}`;
  const rel = `<Relationship Id="${id}" Type="${type}" Target="${escapeXml(relativeTarget(source, part))}"/>`;
  parts.set(name, insertAt(xml, parseRoot(xml).contentEnd, rel));
  return id;
}

/** Declares a part's content type in `[Content_Types].xml` unless it already is. */
export function addOverride(parts: Parts, part: string, contentType: string): void {
  const name = '[Content_Types].xml';
  const xml = textPart(parts, name);
  if (xml === undefined) throw new Error('package has no [Content_Types].xml');
  const root = parseRoot(xml);
  const partName = `/${part}`;
  if (root.children.some((c) => c.name === 'Override' && attr(c.attrs, 'PartName') === partName)) {
    return;
  }
  const override = `<Override PartName="${escapeXml(partName)}" ContentType="${contentType}"/>`;
  parts.set(name, insertAt(xml, root.contentEnd, override));
}

/** The first `prefix{N}suffix` part name, N = 1, 2, …, not yet in the package. */
export function freePartName(parts: Parts, prefix: string, suffix: string): string {
  let n = 1;
  while (parts.has(`${prefix}${n}${suffix}`)) n++;
  return `${prefix}${n}${suffix}`;
}
