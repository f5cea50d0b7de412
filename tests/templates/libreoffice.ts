// LibreOffice and Gnumeric as the independent spreadsheet engines of the workbook's
// end-to-end tests: recalculate on load (LibreOffice: a private profile with OOXMLRecalcMode =
// always; Gnumeric: `ssconvert --recalc`), convert to xlsx (or PDF), and read cells back with
// openpyxl.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const READER = join(import.meta.dirname, 'read_xlsx.py');

const has = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
};

/** A Python that has openpyxl, if any. */
export const python = ['python3', '/usr/bin/python3'].find((p) =>
  has(p, ['-c', 'import openpyxl']),
);
export const hasLibreOffice = has('soffice', ['--version']) && python !== undefined;
/** Gnumeric's converter, the second independent engine (Debian package `gnumeric`). */
export const hasGnumeric = has('ssconvert', ['--version']) && python !== undefined;

const XCU = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/** A private LibreOffice profile that recalculates every formula of a file it opens. */
export function recalcProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  mkdirSync(join(dir, 'user'), { recursive: true });
  writeFileSync(join(dir, 'user', 'registrymodifications.xcu'), XCU);
  return dir;
}

/** Converts files with headless LibreOffice; returns the output paths, in input order. */
export function convert(
  files: readonly string[],
  to: 'xlsx' | 'pdf',
  outDir: string,
  profile: string,
): string[] {
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    'soffice',
    [
      '--headless',
      `-env:UserInstallation=file://${profile}`,
      '--convert-to',
      to,
      '--outdir',
      outDir,
      ...files,
    ],
    { stdio: 'pipe', timeout: 540_000 },
  );
  return files.map((f) => join(outDir, basename(f).replace(/\.xlsx$/, `.${to}`)));
}

/**
 * Recalculates each file with Gnumeric (`ssconvert --recalc`) and writes it as xlsx with the
 * recalculated values cached; returns the output paths, in input order.
 */
export function gnumericRecalc(files: readonly string[], outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  return files.map((f) => {
    const out = join(outDir, basename(f));
    execFileSync('ssconvert', ['--recalc', f, out], { stdio: 'pipe', timeout: 540_000 });
    return out;
  });
}

export interface DumpCell {
  readonly f: string | null;
  readonly v: number | string | boolean | null;
  readonly fmt: string;
}
export interface DumpSheet {
  readonly name: string;
  readonly state: string;
  readonly freeze: string | null;
  readonly orientation: string | null;
  readonly fitToWidth: number | null;
  readonly fitToPage: boolean;
  readonly validations: number;
  readonly cells: Readonly<Record<string, DumpCell>>;
}
export interface Dump {
  readonly sheets: readonly DumpSheet[];
}

/** Every cell of a workbook as openpyxl reads it: formula text and cached value. */
export function dump(path: string): Dump {
  const out = execFileSync(python!, [READER, path], { maxBuffer: 1 << 28 });
  return JSON.parse(out.toString('utf8')) as Dump;
}

export const sheetOf = (d: Dump, name: string): DumpSheet => {
  const s = d.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name}`);
  return s;
};

const ERRORS = /^(#REF!|#VALUE!|#NAME\?|#DIV\/0!|#N\/A|#NUM!|#NULL!|Err:\d+)/;
export const isError = (v: unknown): boolean => typeof v === 'string' && ERRORS.test(v);
