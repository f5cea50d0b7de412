import { type CellPos, parseCell } from './refs.ts';
import { attr, tags, unescapeXml } from './xml.ts';

/** What a cell holds as last calculated: its cached `<v>`, not its formula. */
export type CachedValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string };

/** The cached values of a worksheet, by position. */
export interface SheetValues {
  get(pos: CellPos): CachedValue | undefined;
}

/**
 * The strings of `xl/sharedStrings.xml`, in index order. Rich-text runs are joined;
 * phonetic guides (`<rPh>`) are left out, as Excel shows them.
 */
export function readSharedStrings(xml: string | undefined): readonly string[] {
  if (xml === undefined) return [];
  return [...xml.matchAll(/<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g)].map(([, body = '']) =>
    textRuns(body.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '')),
  );
}

const textRuns = (xml: string): string =>
  [...xml.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)]
    .map(([, t = '']) => unescapeXml(t))
    .join('');

const CELL = /<c\b((?:[^>"']|"[^"]*"|'[^']*')*?)(?:\/>|>([\s\S]*?)<\/c>)/g;

/**
 * Reads every cell's cached value from a worksheet part. Numbers are cells without a type
 * (or `t="n"`); text is a shared string (`s`), a formula's string result (`str`) or an
 * inline string; booleans, errors and empty cells have no value for a chart.
 */
export function readSheetValues(sheetXml: string, sharedStrings: readonly string[]): SheetValues {
  const values = new Map<string, CachedValue>();
  let row = -1;
  let col = -1;
  for (const t of tags(sheetXml)) {
    if (t.closing || t.name !== 'row') continue;
    const r = attr(t.attrs, 'r');
    row = r === undefined ? row + 1 : Number(r) - 1;
    col = -1;
    const rowEnd = t.selfClosing ? t.end : sheetXml.indexOf('</row>', t.end);
    for (const m of sheetXml.slice(t.end, rowEnd).matchAll(CELL)) {
      const attrs = m[1] ?? '';
      const ref = attr(attrs, 'r');
      const pos = ref === undefined ? { col: col + 1, row } : parseCell(ref);
      if (!pos) throw new Error(`bad cell reference in worksheet: ${ref}`);
      col = pos.col;
      const value = cachedValue(attr(attrs, 't') ?? 'n', m[2] ?? '', sharedStrings);
      if (value) values.set(key(pos), value);
    }
  }
  return { get: (pos) => values.get(key(pos)) };
}

const key = (p: CellPos) => `${p.row},${p.col}`;

function cachedValue(
  type: string,
  body: string,
  sharedStrings: readonly string[],
): CachedValue | undefined {
  if (type === 'inlineStr') {
    const is = /<is\b[^>]*>([\s\S]*?)<\/is>/.exec(body);
    return is ? { kind: 'text', value: textRuns(is[1] ?? '') } : undefined;
  }
  const v = /<v\b[^>]*>([\s\S]*?)<\/v>/.exec(body)?.[1];
  if (v === undefined || v === '') return undefined;
  const text = unescapeXml(v);
  switch (type) {
    case 'n': {
      const n = Number(text);
      return Number.isFinite(n) ? { kind: 'number', value: n } : undefined;
    }
    case 's': {
      const s = sharedStrings[Number(text)];
      if (s === undefined) throw new Error(`shared string ${text} is missing`);
      return { kind: 'text', value: s };
    }
    case 'str':
      return { kind: 'text', value: text };
    default:
      return undefined;
  }
}
