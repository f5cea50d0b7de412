// A small reader of the package parts the workbook tests look at, independent of exceljs:
// sheets (name, state), cells (formula, cached value, style), defined names, panes, page
// setup, data validations.
import JSZip from 'jszip';

export interface XCell {
  readonly ref: string;
  readonly col: number;
  readonly row: number;
  readonly formula?: string;
  /** A shared formula: its id, and on the master cell the range it covers. */
  readonly shared?: { readonly si: number; readonly ref?: string };
  /** Cached value: a number, a string, or undefined when the cell has none. */
  readonly value?: number | string;
  readonly error?: string;
  readonly style: number;
}

export interface XSheet {
  readonly name: string;
  readonly state: string;
  readonly part: string;
  readonly xml: string;
  readonly cells: ReadonlyMap<string, XCell>;
}

export interface XBook {
  readonly sheets: readonly XSheet[];
  readonly names: ReadonlyMap<string, string>;
  readonly files: readonly string[];
  sheet(name: string): XSheet;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];

export function colNumber(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}

export async function readXlsx(bytes: Uint8Array): Promise<XBook> {
  const zip = await JSZip.loadAsync(bytes);
  const text = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  const shared = [...(await text('xl/sharedStrings.xml')).matchAll(/<si>([\s\S]*?)<\/si>/g)].map(
    ([, body]) =>
      unescapeXml([...body!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('')),
  );
  const workbook = await text('xl/workbook.xml');
  const rels = await text('xl/_rels/workbook.xml.rels');
  const target = new Map(
    [...rels.matchAll(/<Relationship\b([^>]*)\/>/g)].map(([, a]) => [
      attr(a!, 'Id')!,
      attr(a!, 'Target')!,
    ]),
  );
  const sheets: XSheet[] = [];
  for (const [, a] of workbook.matchAll(/<sheet\b([^>]*)\/>/g)) {
    const name = unescapeXml(attr(a!, 'name')!);
    const rid = attr(a!, 'r:id')!;
    const part = `xl/${target.get(rid)!.replace(/^\/?xl\//, '')}`;
    const xml = await text(part);
    const cells = new Map<string, XCell>();
    for (const m of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = m[1]!;
      const body = m[2] ?? '';
      const ref = attr(attrs, 'r')!;
      const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(ref)!;
      const t = attr(attrs, 't');
      const fTag = /<f\b([^>]*?)(?:\/>|>([\s\S]*?)<\/f>)/.exec(body);
      const f = fTag?.[2];
      const si =
        fTag && attr(fTag[1]!, 't') === 'shared' ? Number(attr(fTag[1]!, 'si')) : undefined;
      const sharedRef = fTag ? attr(fTag[1]!, 'ref') : undefined;
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      const inline = /<is>[\s\S]*?<t[^>]*>([\s\S]*?)<\/t>/.exec(body)?.[1];
      let value: number | string | undefined;
      let error: string | undefined;
      if (t === 's' && v !== undefined) value = shared[Number(v)];
      else if (t === 'str') value = v === undefined ? '' : unescapeXml(v);
      else if (t === 'inlineStr') value = inline === undefined ? '' : unescapeXml(inline);
      else if (t === 'e') error = v;
      else if (v !== undefined) value = Number(v);
      cells.set(ref, {
        ref,
        col: colNumber(letters!),
        row: Number(digits),
        ...(f === undefined ? {} : { formula: unescapeXml(f) }),
        ...(si === undefined ? {} : { shared: sharedRef ? { si, ref: sharedRef } : { si } }),
        ...(value === undefined ? {} : { value }),
        ...(error === undefined ? {} : { error }),
        style: Number(attr(attrs, 's') ?? 0),
      });
    }
    sheets.push({ name, state: attr(a!, 'state') ?? 'visible', part, xml, cells });
  }
  const names = new Map(
    [...workbook.matchAll(/<definedName\b([^>]*)>([\s\S]*?)<\/definedName>/g)].map(
      ([, a, body]) => [attr(a!, 'name')!, unescapeXml(body!)],
    ),
  );
  return {
    sheets,
    names,
    files: Object.keys(zip.files),
    sheet(name) {
      const s = sheets.find((x) => x.name === name);
      if (!s) throw new Error(`no sheet ${name} (have ${sheets.map((x) => x.name).join(', ')})`);
      return s;
    },
  };
}
