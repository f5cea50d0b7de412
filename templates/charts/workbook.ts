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
import { attr, escapeXml, insertAt } from './xml.ts';

const WORKBOOK = 'xl/workbook.xml';
const SHEET = /<sheet\b((?:[^>"']|"[^"]*"|'[^']*')*?)\/?>/g;

function workbookXml(parts: Parts): string {
  const xml = textPart(parts, WORKBOOK);
  if (xml === undefined) throw new Error(`package has no ${WORKBOOK}`);
  return xml;
}

/** Worksheet names → their part names, via `xl/workbook.xml` and its relationships. */
export function worksheetParts(parts: Parts): ReadonlyMap<string, string> {
  const rels = new Map(readRels(textPart(parts, relsPartOf(WORKBOOK))).map((r) => [r.id, r]));
  const sheets = new Map<string, string>();
  for (const m of workbookXml(parts).matchAll(SHEET)) {
    const name = attr(m[1] ?? '', 'name');
    const rel = rels.get(attr(m[1] ?? '', 'r:id') ?? '');
    if (name !== undefined && rel?.type === REL.worksheet) {
      sheets.set(name, resolveTarget(WORKBOOK, rel.target));
    }
  }
  return sheets;
}

/** The shared-strings part, when the workbook has one. */
export function sharedStringsXml(parts: Parts): string | undefined {
  const rel = readRels(textPart(parts, relsPartOf(WORKBOOK))).find(
    (r) => r.type === REL.sharedStrings,
  );
  return rel && textPart(parts, resolveTarget(WORKBOOK, rel.target));
}

/**
 * Appends a hidden worksheet (after every existing sheet, so that no sheet index in
 * defined names or views moves) and lists it in docProps/app.xml. Returns its name:
 * `name`, or `name (2)`, … when that is taken (sheet names compare case-insensitively).
 */
export function addHiddenWorksheet(parts: Parts, name: string, sheetXml: string): string {
  const xml = workbookXml(parts);
  const taken = new Set(
    [...xml.matchAll(SHEET)].map((m) => (attr(m[1] ?? '', 'name') ?? '').toLowerCase()),
  );
  let unique = name;
  for (let k = 2; taken.has(unique.toLowerCase()); k++) unique = `${name} (${k})`;

  const part = freePartName(parts, 'xl/worksheets/sheet', '.xml');
  parts.set(part, sheetXml);
  addOverride(parts, part, CONTENT_TYPE.worksheet);
  const relId = addRelationship(parts, WORKBOOK, REL.worksheet, part);
  const ids = [...xml.matchAll(SHEET)].map((m) => Number(attr(m[1] ?? '', 'sheetId') ?? 0));
  const end = xml.indexOf('</sheets>');
  if (end < 0) throw new Error(`${WORKBOOK} has no <sheets>`);
  const sheet = `<sheet name="${escapeXml(unique)}" sheetId="${Math.max(0, ...ids) + 1}" state="hidden" r:id="${relId}"/>`;
  parts.set(WORKBOOK, insertAt(xml, end, sheet));
  listInAppProperties(parts, unique);
  return unique;
}

/** Counts the sheet among the "Worksheets" of docProps/app.xml, if that part lists them. */
function listInAppProperties(parts: Parts, name: string): void {
  const app = 'docProps/app.xml';
  const xml = textPart(parts, app);
  const count =
    xml && /(<vt:lpstr>Worksheets<\/vt:lpstr><\/vt:variant><vt:variant><vt:i4>)(\d+)</.exec(xml);
  const titles =
    xml && /(<TitlesOfParts><vt:vector size=")(\d+)("[^>]*>)([\s\S]*?)<\/vt:vector>/.exec(xml);
  if (!xml || !count || !titles) return;
  const sheets = Number(count[2]);
  const entries = [...(titles[4] ?? '').matchAll(/<vt:lpstr>[\s\S]*?<\/vt:lpstr>/g)].map(
    (m) => m[0],
  );
  entries.splice(sheets, 0, `<vt:lpstr>${escapeXml(name)}</vt:lpstr>`);
  const updated = xml
    .replace(count[0], `${count[1]}${sheets + 1}<`)
    .replace(titles[0], `${titles[1]}${entries.length}${titles[3]}${entries.join('')}</vt:vector>`);
  parts.set(app, updated);
}
