import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChartSpec, finalizeXlsx } from '../../templates/package.ts';

// LibreOffice opens the finalized workbook, prints it to PDF and saves it again as xlsx;
// openpyxl loads it. Rendered pages are left as PNG in the directory logged below.

const QUARTERS = [
  '2027-Q1',
  '2027-Q2',
  '2027-Q3',
  '2027-Q4',
  '2028-Q1',
  '2028-Q2',
  '2028-Q3',
  '2028-Q4',
];
const ON_TIME = [410_000, 452_000, 497_500, 541_000, 588_250, 640_000, 694_500, 752_000];
const DELAYED = [520_000, 566_000, 611_000, 660_500, 612_000, 655_000, 707_250, 760_000];
const P10 = [380_000, 405_000, 431_000, 458_000, 484_000, 511_000, 539_000, 566_000];
const P50 = [430_000, 468_000, 507_000, 548_000, 590_000, 633_000, 678_000, 724_000];
const P90 = [495_000, 552_000, 612_000, 676_000, 743_000, 812_000, 885_000, 960_000];
const DRIVERS = ['growth', 'priceDecline', 'delay', 'premium', 'fx'];
const LOW = [-820_000, 410_000, -150_000, -90_000, -60_000];
const HIGH = [960_000, -380_000, 520_000, 240_000, 60_000];

const SUMMARY = 'Synthèse & coûts';
const MC = 'Monte Carlo';
const SENS = 'Sensibilité';
const q = (sheet: string) => `'${sheet}'`;

async function workbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const fit = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 1 } as const;
  const summary = wb.addWorksheet(SUMMARY, { pageSetup: fit });
  summary.getRow(1).values = ['Quarter', ...QUARTERS];
  summary.getRow(2).values = ['On time (MAD)', ...ON_TIME];
  summary.getRow(3).values = [
    'Delayed (MAD)',
    ...DELAYED.map((result, i) => ({ formula: `${String.fromCharCode(66 + i)}2*1`, result })),
  ];
  summary.getCell('A5').value = { text: 'prices', hyperlink: 'https://example.com/prices' };
  const mc = wb.addWorksheet(MC, { pageSetup: fit });
  mc.getRow(1).values = ['Quarter', ...QUARTERS];
  mc.getRow(2).values = ['P10 (MAD)', ...P10];
  mc.getRow(3).values = ['P50 (MAD)', ...P50];
  mc.getRow(4).values = ['P90 (MAD)', ...P90];
  const sens = wb.addWorksheet(SENS, { pageSetup: fit });
  sens.getRow(1).values = ['Driver', 'Low − base (MAD)', 'High − base (MAD)'];
  DRIVERS.forEach((d, i) => {
    sens.getRow(2 + i).values = [d, LOW[i], HIGH[i]];
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const CHARTS: readonly ChartSpec[] = [
  {
    sheet: SUMMARY,
    kind: 'line',
    title: 'Coût trimestriel — à l’heure & retard',
    anchor: { from: { col: 0, row: 6 }, to: { col: 9, row: 28 } },
    categories: `${q(SUMMARY)}!$B$1:$I$1`,
    series: [
      { name: 'À l’heure', values: `${q(SUMMARY)}!$B$2:$I$2` },
      { name: 'Retard', values: `${q(SUMMARY)}!$B$3:$I$3` },
    ],
    valueAxisTitle: 'MAD',
    numberFormat: '#,##0',
  },
  {
    sheet: MC,
    kind: 'fan',
    title: 'Monte Carlo: P10–P90 and median',
    anchor: { from: { col: 0, row: 6 }, to: { col: 9, row: 28 } },
    categories: `${q(MC)}!$B$1:$I$1`,
    series: [
      { name: 'P10', values: `${q(MC)}!$B$2:$I$2` },
      { name: 'P50', values: `${q(MC)}!$B$3:$I$3` },
      { name: 'P90', values: `${q(MC)}!$B$4:$I$4` },
    ],
    valueAxisTitle: 'MAD',
    numberFormat: '#,##0',
  },
  {
    sheet: SENS,
    kind: 'bar',
    title: 'Tornado: horizon total',
    anchor: { from: { col: 0, row: 8 }, to: { col: 9, row: 30 } },
    categories: `${q(SENS)}!$A$2:$A$6`,
    series: [
      { name: 'Low', values: `${q(SENS)}!$B$2:$B$6` },
      { name: 'High', values: `${q(SENS)}!$C$2:$C$6` },
    ],
    valueAxisTitle: 'Δ total (MAD)',
    numberFormat: '#,##0',
  },
];

const run = (cmd: string, args: readonly string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const soffice = (to: string, outDir: string, file: string) =>
  run('soffice', [
    '--headless',
    '-env:UserInstallation=file:///tmp/lo-charts-profile',
    '--convert-to',
    to,
    '--outdir',
    outDir,
    file,
  ]);

/** The first Python 3 on this machine that has openpyxl. */
function pythonWithOpenpyxl(): string {
  for (const py of ['python3', '/usr/bin/python3', 'python']) {
    try {
      run(py, ['-c', 'import openpyxl']);
      return py;
    } catch {}
  }
  throw new Error('no python3 with openpyxl (apt-get install python3-openpyxl)');
}

/** Pixels within `tolerance` of `hex` in a binary PPM (P6) image. */
function countColour(ppm: Buffer, hex: string, tolerance = 24): number {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PPM');
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
  ];
  let n = 0;
  for (let i = header[0].length; i + 2 < ppm.length; i += 3) {
    if (
      Math.abs(ppm[i]! - r) <= tolerance &&
      Math.abs(ppm[i + 1]! - g) <= tolerance &&
      Math.abs(ppm[i + 2]! - b) <= tolerance
    ) {
      n++;
    }
  }
  return n;
}

describe('charts in LibreOffice and openpyxl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costcast-charts-'));
  const file = join(dir, 'charts.xlsx');

  beforeAll(async () => {
    writeFileSync(
      file,
      await finalizeXlsx(await workbook(), {
        charts: CHARTS,
        date: new Date('2027-01-04T09:00:00Z'),
      }),
    );
    console.log(`charts e2e: files in ${dir}`);
  });

  it('prints to PDF with the charts drawn: lines, a band and bars', () => {
    const pdfDir = join(dir, 'pdf');
    soffice('pdf', pdfDir, file);
    const pdf = join(pdfDir, 'charts.pdf');
    expect(existsSync(pdf)).toBe(true);
    // one page per visible sheet (fit to page); the hidden band sheet is not printed
    expect(run('pdfinfo', [pdf])).toMatch(/^Pages:\s+3$/m);

    run('pdftoppm', ['-png', '-r', '70', pdf, join(dir, 'page')]);
    expect(readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f))).toHaveLength(3);
    run('pdftoppm', ['-r', '70', pdf, join(dir, 'page')]);
    const page = (n: number) => readFileSync(join(dir, `page-${n}.ppm`));

    // Colours only the chart series use (text and grid are black and grey).
    const summary = page(1);
    expect(countColour(summary, '1F4E79'), 'on-time line').toBeGreaterThan(150);
    expect(countColour(summary, 'C55A11'), 'delayed line').toBeGreaterThan(150);
    const fan = page(2);
    expect(countColour(fan, 'BDD7EE', 8), 'P10–P90 band').toBeGreaterThan(3000);
    expect(countColour(fan, '1F4E79'), 'P50 line').toBeGreaterThan(150);
    const tornado = page(3);
    expect(countColour(tornado, '1F4E79'), 'low bars').toBeGreaterThan(1000);
    expect(countColour(tornado, 'C55A11'), 'high bars').toBeGreaterThan(1000);
  });

  it('keeps the charts when LibreOffice saves the workbook again as xlsx', async () => {
    const loDir = join(dir, 'libreoffice');
    mkdirSync(loDir, { recursive: true });
    soffice('xlsx', loDir, file);
    const zip = await JSZip.loadAsync(readFileSync(join(loDir, 'charts.xlsx')));
    const charts = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n))
        .map((n) => zip.file(n)!.async('string')),
    );
    expect(charts).toHaveLength(3);
    const kinds = charts.map((xml) =>
      xml.includes('<c:areaChart>') && xml.includes('<c:lineChart>')
        ? 'fan'
        : xml.includes('<c:barDir val="bar"/>')
          ? 'bar'
          : xml.includes('<c:lineChart>')
            ? 'line'
            : 'other',
    );
    expect(kinds.sort()).toEqual(['bar', 'fan', 'line']);
    // LibreOffice kept the live references, including the band's helper cells
    const refs = charts.flatMap((xml) =>
      [...xml.matchAll(/<c:f>([^<]*)<\/c:f>/g)].map(([, f = '']) =>
        f.replace(/&(apos|quot|amp);/g, (_, e: string) => ({ apos: "'", quot: '"', amp: '&' })[e]!),
      ),
    );
    expect(refs).toContain(`${q(SUMMARY)}!$B$2:$I$2`);
    expect(refs).toContain(`${q(MC)}!$B$3:$I$3`);
    expect(refs).toContain("'Chart data'!$B$3:$I$3");
  });

  it('loads in openpyxl with one chart on each sheet', () => {
    const script = [
      'import json, sys, openpyxl',
      'wb = openpyxl.load_workbook(sys.argv[1])',
      'print(json.dumps({ws.title: [len(ws._charts), ws.sheet_state] for ws in wb.worksheets}))',
    ].join('\n');
    const sheets = JSON.parse(run(pythonWithOpenpyxl(), ['-c', script, file]));
    expect(sheets).toEqual({
      [SUMMARY]: [1, 'visible'],
      [MC]: [1, 'visible'],
      [SENS]: [1, 'visible'],
      'Chart data': [0, 'hidden'],
    });
  });
});
