import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { type ChartSpec, finalizeXlsx } from '../../templates/package.ts';

// ---------------------------------------------------------------------------------------
// The workbook under test: what the renderer will hand over, in miniature.
// ---------------------------------------------------------------------------------------

const SHEET = 'Synthèse fr';
const Q = "'Synthèse fr'";
const QUARTERS = ['2027-Q1', '2027-Q2', '2027-Q3', '2027-Q4'];
const ON_TIME = [1000, 1100, 1210.5, 1331.25];
const DELAYED = [1200, 1260, 1323, 1389.15];
const P10 = [800, 850.5, 900, 950];
const P50 = [1000, 1080, 1160, 1240];
const P90 = [1200, 1340.25, 1480, 1620];
const DRIVERS = ['growth', 'price & decline', 'delay'];
const LOW = [-300, 250, -50];
const HIGH = [450, -200, 180];
const DATE = new Date('2027-03-31T12:00:00Z');

/**
 * Sheet 'Synthèse fr': quarters in B1:E1, on-time (values) in row 2, delayed (live formulas
 * with cached results) in row 3, P10/P50/P90 in rows 4–6, tornado drivers in A9:C11; plus
 * a hyperlink (sheet rels exist), page setup, a header, a data bar (a nested <extLst>) and
 * a table (<tableParts>), all of which constrain where <drawing> may go. Sheet 'Images'
 * holds a picture, so exceljs has already written a drawing for it.
 */
async function exceljsWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.created = DATE;
  wb.modified = DATE;
  const ws = wb.addWorksheet(SHEET);
  ws.getRow(1).values = ['Quarter', ...QUARTERS];
  ws.getRow(2).values = ['On time (MAD)', ...ON_TIME];
  ws.getRow(3).values = [
    'Delayed (MAD)',
    ...DELAYED.map((result, i) => ({ formula: `${'BCDE'[i]}2*1.2`, result })),
  ];
  ws.getRow(4).values = ['P10', ...P10];
  ws.getRow(5).values = ['P50', ...P50];
  ws.getRow(6).values = ['P90', ...P90];
  DRIVERS.forEach((d, i) => {
    ws.getRow(9 + i).values = [d, LOW[i], HIGH[i]];
  });
  ws.getCell('A14').value = { text: 'source', hyperlink: 'https://example.com/prices' };
  ws.pageSetup = { orientation: 'landscape' };
  ws.headerFooter = { oddFooter: 'Page &P' };
  ws.addConditionalFormatting({
    ref: 'B2:E2',
    rules: [
      {
        type: 'dataBar',
        priority: 1,
        cfvo: [{ type: 'min' }, { type: 'max' }],
        color: { argb: 'FF638EC6' },
      } as unknown as ExcelJS.ConditionalFormattingRule,
    ],
  });
  ws.addTable({ name: 'Notes', ref: 'G20', columns: [{ name: 'Note' }], rows: [['a'], ['b']] });

  const images = wb.addWorksheet('Images');
  images.getCell('A1').value = 'logo';
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  images.addImage(wb.addImage({ buffer: png as never, extension: 'png' }), 'B2:C4');
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const CHARTS: readonly ChartSpec[] = [
  {
    sheet: SHEET,
    kind: 'line',
    title: 'Coût trimestriel — R&D <on-time vs delayed>',
    anchor: { from: { col: 7, row: 0 }, to: { col: 15, row: 15 } },
    categories: `${Q}!$B$1:$E$1`,
    series: [
      { name: 'À l’heure', values: `${Q}!$B$2:$E$2` },
      { name: 'Retard & pénurie', values: `${Q}!$B$3:$E$3` },
    ],
    valueAxisTitle: 'Coût (MAD)',
    numberFormat: '#,##0',
  },
  {
    sheet: SHEET,
    kind: 'bar',
    title: 'Tornado',
    anchor: { from: { col: 7, row: 16 }, to: { col: 15, row: 31 } },
    categories: `${Q}!$A$9:$A$11`,
    series: [
      { name: 'Low', values: `${Q}!$B$9:$B$11` },
      { name: 'High', values: `${Q}!$C$9:$C$11` },
    ],
    valueAxisTitle: 'Δ horizon total (MAD)',
  },
  {
    sheet: 'Images',
    kind: 'fan',
    title: 'Monte Carlo',
    anchor: { from: { col: 4, row: 1 }, to: { col: 12, row: 16 } },
    categories: `${Q}!$B$1:$E$1`,
    series: [
      { name: 'P10', values: `${Q}!$B$4:$E$4` },
      { name: 'P50', values: `${Q}!$B$5:$E$5` },
      { name: 'P90', values: `${Q}!$B$6:$E$6` },
    ],
    numberFormat: '#,##0.00',
  },
];

// ---------------------------------------------------------------------------------------
// An independent reader: Python's XML parser checks well-formedness and reports what the
// parts hold, so the assertions do not lean on the code under test.
// ---------------------------------------------------------------------------------------

interface Series {
  readonly name: string;
  readonly cat: string;
  readonly cats: readonly string[];
  readonly val: string;
  readonly vals: readonly (number | null)[];
}
interface Inspected {
  readonly root: string;
  readonly children: readonly string[];
  readonly groups?: readonly { readonly type: string; readonly series: readonly Series[] }[];
}

const INSPECT = `
import json, sys
from xml.dom import minidom
def els(node, name=None):
    return [c for c in node.childNodes if c.nodeType == 1 and (name is None or c.tagName == name)]
def text(node):
    return ''.join(t.data for t in node.childNodes if t.nodeType in (3, 4))
def pts(cache):
    n = int(els(cache, 'c:ptCount')[0].getAttribute('val'))
    out = [None] * n
    for p in els(cache, 'c:pt'):
        out[int(p.getAttribute('idx'))] = text(els(p, 'c:v')[0])
    return out
result = {}
for name, xml in json.load(sys.stdin).items():
    root = minidom.parseString(xml.encode('utf-8')).documentElement
    info = {'root': root.tagName, 'children': [c.tagName for c in els(root)]}
    if root.tagName == 'c:chartSpace':
        plot = els(els(root, 'c:chart')[0], 'c:plotArea')[0]
        groups = []
        for g in els(plot):
            if not g.tagName.endswith('Chart'):
                continue
            series = []
            for s in els(g, 'c:ser'):
                ref = els(els(s, 'c:cat')[0], 'c:strRef')[0]
                num = els(els(s, 'c:val')[0], 'c:numRef')[0]
                vals = pts(els(num, 'c:numCache')[0])
                series.append({
                    'name': text(els(els(s, 'c:tx')[0], 'c:v')[0]),
                    'cat': text(els(ref, 'c:f')[0]), 'cats': pts(els(ref, 'c:strCache')[0]),
                    'val': text(els(num, 'c:f')[0]),
                    'vals': [None if v is None else float(v) for v in vals]})
            groups.append({'type': g.tagName, 'series': series})
        info['groups'] = groups
    result[name] = info
json.dump(result, sys.stdout)
`;

interface Package {
  readonly zip: JSZip;
  readonly names: readonly string[];
  readonly text: (name: string) => Promise<string>;
  readonly xml: Readonly<Record<string, Inspected>>;
}

async function open(xlsx: Uint8Array): Promise<Package> {
  const zip = await JSZip.loadAsync(xlsx);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  const text = async (name: string) => {
    const f = zip.file(name);
    if (!f) throw new Error(`missing part ${name}`);
    return f.async('string');
  };
  const xmlParts: Record<string, string> = {};
  for (const n of names.filter((n) => /\.(xml|rels)$/.test(n))) xmlParts[n] = await text(n);
  const xml = JSON.parse(
    execFileSync('python3', ['-c', INSPECT], { input: JSON.stringify(xmlParts), encoding: 'utf8' }),
  ) as Record<string, Inspected>;
  return { zip, names, text, xml };
}

const rels = (xml: string) =>
  [...xml.matchAll(/<Relationship\b([^>]*)\/>/g)].map(([, a = '']) => ({
    id: /\bId="([^"]*)"/.exec(a)?.[1],
    type: /\bType="([^"]*)"/.exec(a)?.[1]?.split('/').pop(),
    target: /\bTarget="([^"]*)"/.exec(a)?.[1] ?? '',
    external: /TargetMode="External"/.test(a),
  }));

const resolve = (source: string, target: string) =>
  target.startsWith('/')
    ? target.slice(1)
    : posix.normalize(posix.join(posix.dirname(source), target));

/** The part a relationship of `source` with the given type points at. */
async function related(pkg: Package, source: string, type: string): Promise<string[]> {
  const relsName = posix.join(posix.dirname(source), '_rels', `${posix.basename(source)}.rels`);
  return rels(await pkg.text(relsName))
    .filter((r) => r.type === type)
    .map((r) => resolve(source, r.target));
}

async function sheetPart(pkg: Package, sheet: string): Promise<string> {
  const workbook = await pkg.text('xl/workbook.xml');
  const escaped = sheet.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rid = new RegExp(`<sheet [^>]*name="${escaped}"[^>]*r:id="([^"]+)"`).exec(workbook)?.[1];
  const rel = rels(await pkg.text('xl/_rels/workbook.xml.rels')).find((r) => r.id === rid);
  return resolve('xl/workbook.xml', rel!.target);
}

/** CT_Worksheet's child sequence (ECMA-376 Part 1, §18.3.1.99). */
const WORKSHEET_ORDER = [
  'sheetPr',
  'dimension',
  'sheetViews',
  'sheetFormatPr',
  'cols',
  'sheetData',
  'sheetCalcPr',
  'sheetProtection',
  'protectedRanges',
  'scenarios',
  'autoFilter',
  'sortState',
  'dataConsolidate',
  'customSheetViews',
  'mergeCells',
  'phoneticPr',
  'conditionalFormatting',
  'dataValidations',
  'hyperlinks',
  'printOptions',
  'pageMargins',
  'pageSetup',
  'headerFooter',
  'rowBreaks',
  'colBreaks',
  'customProperties',
  'cellWatches',
  'ignoredErrors',
  'smartTags',
  'drawing',
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
];

const finalized = (async () => {
  const input = await exceljsWorkbook();
  const output = await finalizeXlsx(input, { charts: CHARTS, date: DATE });
  return { input, output, pkg: await open(output) };
})();

// ---------------------------------------------------------------------------------------

describe('finalizeXlsx: the chart parts', () => {
  it('writes one chart part per spec and declares every new part in [Content_Types].xml', async () => {
    const { pkg } = await finalized;
    const charts = pkg.names.filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n)).sort();
    expect(charts).toEqual([
      'xl/charts/chart1.xml',
      'xl/charts/chart2.xml',
      'xl/charts/chart3.xml',
    ]);
    const types = await pkg.text('[Content_Types].xml');
    for (const c of charts) {
      expect(types).toContain(
        `<Override PartName="/${c}" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`,
      );
    }
    for (const d of pkg.names.filter((n) => /^xl\/drawings\/drawing\d+\.xml$/.test(n))) {
      expect(types).toContain(
        `<Override PartName="/${d}" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>`,
      );
    }
  });

  it('writes well-formed XML in every part', async () => {
    const { pkg } = await finalized;
    // The Python parser raised on none of them, and each has the expected root.
    expect(pkg.xml['xl/charts/chart1.xml']?.root).toBe('c:chartSpace');
    expect(pkg.xml['[Content_Types].xml']?.root).toBe('Types');
    expect(Object.keys(pkg.xml).length).toBe(
      pkg.names.filter((n) => /\.(xml|rels)$/.test(n)).length,
    );
  });

  it('resolves every internal relationship target to a part of the package', async () => {
    const { pkg } = await finalized;
    for (const relsName of pkg.names.filter((n) => n.endsWith('.rels'))) {
      const source = relsName.replace(/_rels\/([^/]*)\.rels$/, '$1');
      const list = rels(await pkg.text(relsName));
      expect(new Set(list.map((r) => r.id)).size, `${relsName}: unique ids`).toBe(list.length);
      for (const r of list.filter((r) => !r.external)) {
        expect(pkg.names, `${relsName} → ${r.target}`).toContain(resolve(source, r.target));
      }
    }
  });

  it('keeps elements in schema order in c:chartSpace, c:chart and the axes', async () => {
    const { pkg } = await finalized;
    const chart = await pkg.text('xl/charts/chart1.xml');
    expect(pkg.xml['xl/charts/chart1.xml']?.children).toEqual([
      'c:date1904',
      'c:lang',
      'c:roundedCorners',
      'c:chart',
      'c:spPr',
      'c:txPr',
    ]);
    const order = (xml: string, names: string[]) => names.map((n) => xml.indexOf(`<${n}`));
    const increasing = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!));
    expect(
      increasing(
        order(chart, ['c:title', 'c:autoTitleDeleted', 'c:plotArea', 'c:legend', 'c:plotVisOnly']),
      ),
    ).toBe(true);
    const ser = chart.slice(chart.indexOf('<c:ser>'), chart.indexOf('</c:ser>'));
    expect(
      increasing(
        order(ser, [
          'c:idx',
          'c:order',
          'c:tx',
          'c:spPr',
          'c:marker',
          'c:cat',
          'c:val',
          'c:smooth',
        ]),
      ),
    ).toBe(true);
    const valAx = chart.slice(chart.indexOf('<c:valAx>'));
    expect(
      increasing(
        order(valAx, [
          'c:axId',
          'c:scaling',
          'c:delete',
          'c:axPos',
          'c:majorGridlines',
          'c:title',
          'c:numFmt',
          'c:majorTickMark',
          'c:tickLblPos',
          'c:crossAx',
          'c:crosses',
          'c:crossBetween',
        ]),
      ),
    ).toBe(true);
    expect(valAx).toContain('<c:numFmt formatCode="#,##0" sourceLinked="0"/>');
  });

  it('caches the values and labels the worksheet holds, and references their cells', async () => {
    const { pkg } = await finalized;
    const line = pkg.xml['xl/charts/chart1.xml']!.groups!;
    expect(line.map((g) => g.type)).toEqual(['c:lineChart']);
    expect(line[0]!.series).toEqual([
      {
        name: 'À l’heure',
        cat: "'Synthèse fr'!$B$1:$E$1",
        cats: QUARTERS,
        val: "'Synthèse fr'!$B$2:$E$2",
        vals: ON_TIME,
      },
      {
        name: 'Retard & pénurie',
        cat: "'Synthèse fr'!$B$1:$E$1",
        cats: QUARTERS,
        val: "'Synthèse fr'!$B$3:$E$3",
        vals: DELAYED, // formula cells: their cached results
      },
    ]);
    const bar = pkg.xml['xl/charts/chart2.xml']!.groups!;
    expect(bar.map((g) => g.type)).toEqual(['c:barChart']);
    expect(bar[0]!.series.map((s) => [s.name, s.cats, s.vals])).toEqual([
      ['Low', DRIVERS, LOW],
      ['High', DRIVERS, HIGH],
    ]);
  });

  it('escapes titles and names (accents, &, <) so they read back unchanged', async () => {
    const { pkg } = await finalized;
    const chart = await pkg.text('xl/charts/chart1.xml');
    expect(chart).toContain('<a:t>Coût trimestriel — R&amp;D &lt;on-time vs delayed&gt;</a:t>');
    expect(chart).toContain('<c:v>Retard &amp; pénurie</c:v>');
    expect(chart).toContain('Coût (MAD)');
  });

  it('draws a tornado as horizontal bars with the first driver at the top', async () => {
    const { pkg } = await finalized;
    const chart = await pkg.text('xl/charts/chart2.xml');
    expect(chart).toContain('<c:barDir val="bar"/><c:grouping val="clustered"/>');
    const catAx = chart.slice(chart.indexOf('<c:catAx>'), chart.indexOf('</c:catAx>'));
    expect(catAx).toContain('<c:orientation val="maxMin"/>');
    // low and high never share a side of zero here, so each driver's bars share one row
    expect(chart).toContain('<c:overlap val="100"/>');
  });

  it('draws a fan as P10 unpainted, the band P90 − P10 stacked on it, and a P50 line', async () => {
    const { pkg } = await finalized;
    const [area, line] = pkg.xml['xl/charts/chart3.xml']!.groups!;
    expect(area!.type).toBe('c:areaChart');
    expect(line!.type).toBe('c:lineChart');
    const [base, band] = area!.series;
    expect(base).toMatchObject({ name: 'P10', val: "'Synthèse fr'!$B$4:$E$4", vals: P10 });
    expect(band!.name).toBe('P10–P90');
    // worked out by hand: 1200 − 800, 1340.25 − 850.5, 1480 − 900, 1620 − 950
    expect(band!.vals).toEqual([400, 489.75, 580, 670]);
    expect(band!.val).toBe("'Chart data'!$B$3:$E$3");
    expect(line!.series.map((s) => [s.name, s.val, s.vals])).toEqual([
      ['P10', "'Synthèse fr'!$B$4:$E$4", P10],
      ['P90', "'Synthèse fr'!$B$6:$E$6", P90],
      ['P50', "'Synthèse fr'!$B$5:$E$5", P50],
    ]);
    const chart = await pkg.text('xl/charts/chart3.xml');
    expect(chart).toContain('<c:grouping val="stacked"/>');
    const p10Area = chart.slice(chart.indexOf('<c:ser>'), chart.indexOf('</c:ser>'));
    expect(p10Area).toContain('<a:noFill/>');
    // the helper series stay out of the legend: only the band and P50 are listed
    const legend = chart.slice(chart.indexOf('<c:legend>'), chart.indexOf('</c:legend>'));
    expect(
      [...legend.matchAll(/<c:idx val="(\d)"\/><c:delete val="1"\/>/g)].map((m) => m[1]),
    ).toEqual(['0', '2', '3']);
  });

  it('computes the band in a hidden sheet by live formulas with cached results', async () => {
    const { pkg } = await finalized;
    const workbook = await pkg.text('xl/workbook.xml');
    expect(workbook).toMatch(
      /<sheet name="Chart data" sheetId="3" state="hidden" r:id="rId\d+"\/>/,
    );
    // appended last, so no existing sheet index moves
    expect(workbook.indexOf('name="Chart data"')).toBeGreaterThan(
      workbook.indexOf('name="Images"'),
    );
    const sheet = await pkg.text(await sheetPart(pkg, 'Chart data'));
    expect(sheet).toContain(`<c r="B3"><f>'Synthèse fr'!B6-'Synthèse fr'!B4</f><v>400</v></c>`);
    expect(sheet).toContain(`<c r="C3"><f>'Synthèse fr'!C6-'Synthèse fr'!C4</f><v>489.75</v></c>`);
    const app = await pkg.text('docProps/app.xml');
    expect(app).toContain('<vt:i4>3</vt:i4>');
    expect(app).toContain('<vt:lpstr>Chart data</vt:lpstr>');
  });
});

describe('finalizeXlsx: a fan whose band cells the workbook provides', () => {
  it('references the given band cells, adds no hidden sheet and draws the forecast dashed', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Monte Carlo');
    ws.getRow(1).values = ['Quarter', ...QUARTERS];
    ws.getRow(2).values = ['P10', ...P10];
    ws.getRow(3).values = ['P50', ...P50];
    ws.getRow(4).values = ['P90', ...P90];
    // P90 − P10 as live formulas, results worked out by hand
    const widths = [400, 489.75, 580, 670];
    ws.getRow(5).values = [
      'P90 − P10',
      ...widths.map((result, i) => ({ formula: `${'BCDE'[i]}4-${'BCDE'[i]}2`, result })),
    ];
    const FORECAST = [950, 1010.5, 1090, 1150];
    ws.getRow(6).values = ['Forecast', ...FORECAST];
    const input = new Uint8Array(await wb.xlsx.writeBuffer());
    const mc = "'Monte Carlo'";
    const output = await finalizeXlsx(input, {
      date: DATE,
      charts: [
        {
          sheet: 'Monte Carlo',
          kind: 'fan',
          title: 'Monte Carlo',
          anchor: { from: { col: 0, row: 6 }, to: { col: 8, row: 20 } },
          categories: `${mc}!$B$1:$E$1`,
          series: [
            { name: 'P10', values: `${mc}!$B$2:$E$2` },
            { name: 'P50', values: `${mc}!$B$3:$E$3` },
            { name: 'P90', values: `${mc}!$B$4:$E$4` },
          ],
          band: { name: 'P10–P90', values: `${mc}!$B$5:$E$5` },
          forecast: { name: 'Forecast (base)', values: `${mc}!$B$6:$E$6` },
        },
      ],
    });
    const pkg = await open(output);
    expect(await pkg.text('xl/workbook.xml')).not.toContain('Chart data');
    expect(await pkg.text('xl/workbook.xml')).not.toContain('hidden');
    const [area, line] = pkg.xml['xl/charts/chart1.xml']!.groups!;
    const band = area!.series[1]!;
    expect([band.name, band.val, band.vals]).toEqual(['P10–P90', `${mc}!$B$5:$E$5`, widths]);
    // the point forecast: a line after P50, with its cached values, dashed, in the legend
    expect(line!.series.map((s) => s.name)).toEqual(['P10', 'P90', 'P50', 'Forecast (base)']);
    expect(line!.series[3]!.vals).toEqual(FORECAST);
    const chart = await pkg.text('xl/charts/chart1.xml');
    const forecast = chart.slice(chart.lastIndexOf('<c:ser>'), chart.lastIndexOf('</c:ser>'));
    expect(forecast).toContain('<a:prstDash val="dash"/>');
    const legend = chart.slice(chart.indexOf('<c:legend>'), chart.indexOf('</c:legend>'));
    expect(legend).not.toContain('<c:idx val="5"/>');
  });
});

describe('finalizeXlsx: wiring the charts into the sheets', () => {
  it('adds exactly one <drawing> to a sheet, where CT_Worksheet puts it', async () => {
    const { pkg } = await finalized;
    const part = await sheetPart(pkg, SHEET);
    const children = pkg.xml[part]!.children;
    expect(children.filter((c) => c === 'drawing')).toHaveLength(1);
    const positions = children.map((c) => WORKSHEET_ORDER.indexOf(c));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // the constraints that matter in this workbook
    expect(children.indexOf('drawing')).toBeGreaterThan(children.indexOf('headerFooter'));
    expect(children.indexOf('drawing')).toBeLessThan(children.indexOf('tableParts'));
    expect(children.indexOf('drawing')).toBeLessThan(children.indexOf('extLst'));
  });

  it('extends the sheet rels, keeping the ids and targets exceljs wrote', async () => {
    const { input, pkg } = await finalized;
    const before = await open(input);
    const part = await sheetPart(pkg, SHEET);
    const relsName = part.replace(/([^/]+)$/, '_rels/$1.rels');
    const old = rels(await before.text(relsName));
    const now = rels(await pkg.text(relsName));
    expect(now.slice(0, old.length)).toEqual(old);
    expect(now.filter((r) => r.type === 'drawing')).toHaveLength(1);
    const sheet = await pkg.text(part);
    const drawingId = /<drawing r:id="([^"]+)"\/>/.exec(sheet)?.[1];
    expect(now.find((r) => r.id === drawingId)?.type).toBe('drawing');
    const [drawing] = await related(pkg, part, 'drawing');
    const charts = await related(pkg, drawing!, 'chart');
    expect(charts.sort()).toEqual(['xl/charts/chart1.xml', 'xl/charts/chart2.xml']);
  });

  it('anchors each chart at its cells, with a chart frame per anchor', async () => {
    const { pkg } = await finalized;
    const [drawing] = await related(pkg, await sheetPart(pkg, SHEET), 'drawing');
    const xml = await pkg.text(drawing!);
    expect(pkg.xml[drawing!]!.children).toEqual(['xdr:twoCellAnchor', 'xdr:twoCellAnchor']);
    const corners = [
      ...xml.matchAll(
        /<xdr:(from|to)><xdr:col>(\d+)<\/xdr:col><xdr:colOff>0<\/xdr:colOff><xdr:row>(\d+)<\/xdr:row>/g,
      ),
    ].map((m) => `${m[1]} ${m[2]},${m[3]}`);
    expect(corners).toEqual(['from 7,0', 'to 15,15', 'from 7,16', 'to 15,31']);
    expect(xml.match(/<c:chart [^>]*r:id="rId\d+"\/>/g)).toHaveLength(2);
  });

  it('adds charts to the drawing exceljs wrote for a picture instead of a second drawing', async () => {
    const { input, pkg } = await finalized;
    const part = await sheetPart(pkg, 'Images');
    const sheet = await pkg.text(part);
    expect(sheet.match(/<drawing /g)).toHaveLength(1);
    const drawings = await related(pkg, part, 'drawing');
    expect(drawings).toEqual(await related(await open(input), part, 'drawing'));
    const xml = await pkg.text(drawings[0]!);
    expect(xml).toContain('<xdr:pic>');
    expect(xml).toContain('<xdr:graphicFrame');
    const ids = [...xml.matchAll(/<xdr:cNvPr id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await related(pkg, drawings[0]!, 'image')).length).toBe(1);
    expect(await related(pkg, drawings[0]!, 'chart')).toEqual(['xl/charts/chart3.xml']);
  });
});

describe('finalizeXlsx: a deterministic package', () => {
  it('gives byte-identical output for the same input and date', async () => {
    const { input, output } = await finalized;
    const again = await finalizeXlsx(input, { charts: CHARTS, date: new Date(DATE) });
    expect(Buffer.compare(again, output)).toBe(0);
  });

  it('gives different bytes for a different date, and dates every entry with it', async () => {
    const { input, output, pkg } = await finalized;
    const later = new Date('2027-06-30T08:30:00Z');
    const other = await finalizeXlsx(input, { charts: CHARTS, date: later });
    expect(Buffer.compare(other, output)).not.toBe(0);
    for (const n of pkg.names) expect(pkg.zip.files[n]!.date.getTime()).toBe(DATE.getTime());
    const core = await pkg.text('docProps/core.xml');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2027-03-31T12:00:00Z<');
    expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2027-03-31T12:00:00Z<');
  });

  it('lists [Content_Types].xml first, then every part in name order, without folders', async () => {
    const { pkg } = await finalized;
    const entries = Object.keys(pkg.zip.files);
    expect(entries[0]).toBe('[Content_Types].xml');
    const rest = entries.slice(1);
    expect(rest).toEqual([...rest].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(entries.some((n) => n.endsWith('/'))).toBe(false);
  });

  it('does not depend on the order exceljs happened to write entries in', async () => {
    const { input, output } = await finalized;
    const src = await JSZip.loadAsync(input);
    const shuffled = new JSZip();
    for (const n of Object.keys(src.files).reverse()) {
      const f = src.files[n]!;
      if (!f.dir) shuffled.file(n, await f.async('uint8array'), { date: new Date(0) });
    }
    const reordered = await shuffled.generateAsync({ type: 'uint8array', compression: 'STORE' });
    const again = await finalizeXlsx(reordered, { charts: CHARTS, date: DATE });
    expect(Buffer.compare(again, output)).toBe(0);
  });

  it('re-packs a workbook without charts untouched but for dates and order', async () => {
    const { input } = await finalized;
    const plain = await open(await finalizeXlsx(input, { charts: [], date: DATE }));
    expect(plain.names.some((n) => n.startsWith('xl/charts/'))).toBe(false);
    expect(await plain.text('xl/workbook.xml')).not.toContain('Chart data');
  });
});

describe('finalizeXlsx: output of the streaming writer the renderer uses', () => {
  /** Quantiles in columns (one row per quarter), as the Monte Carlo sheet lays them out. */
  async function streamed(): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true });
    const ws = wb.addWorksheet('Monte Carlo');
    ws.addRow(['Quarter', 'P10', 'P50', 'P90']).commit();
    QUARTERS.forEach((quarter, i) => {
      ws.addRow([quarter, P10[i], P50[i], P90[i]]).commit();
    });
    ws.commit();
    wb.definedNames.add("'Monte Carlo'!$B$2", 'firstP10');
    await wb.commit();
    return new Uint8Array(Buffer.concat(chunks));
  }
  const col = (c: string) => `'Monte Carlo'!$${c}$2:$${c}$5`;
  const fan = (title: string, top: number): ChartSpec => ({
    sheet: 'Monte Carlo',
    kind: 'fan',
    title,
    anchor: { from: { col: 5, row: top }, to: { col: 13, row: top + 15 } },
    categories: col('A'),
    series: [
      { name: 'P10', values: col('B') },
      { name: 'P50', values: col('C') },
      { name: 'P90', values: col('D') },
    ],
  });

  it('reads column ranges and gives each of two fans its own band row', async () => {
    const charts = [fan('On time', 0), fan('Delayed', 16)];
    const pkg = await open(await finalizeXlsx(await streamed(), { charts, date: DATE }));
    for (const [i, row] of [
      [1, 3],
      [2, 4],
    ] as const) {
      const [area] = pkg.xml[`xl/charts/chart${i}.xml`]!.groups!;
      expect(area!.series[0]!.cats).toEqual(QUARTERS);
      expect(area!.series[0]!.vals).toEqual(P10);
      expect(area!.series[1]!.val).toBe(`'Chart data'!$B$${row}:$E$${row}`);
      expect(area!.series[1]!.vals).toEqual([400, 489.75, 580, 670]);
    }
    const band = await pkg.text(await sheetPart(pkg, 'Chart data'));
    expect(band).toContain("<c r=\"E4\"><f>'Monte Carlo'!D5-'Monte Carlo'!B5</f><v>670</v></c>");
    // the defined name still points where it did: the band sheet comes after every sheet
    expect(await pkg.text('xl/workbook.xml')).toContain(
      '<definedName name="firstP10">&apos;Monte Carlo&apos;!$B$2</definedName>',
    );
  });
});

describe('finalizeXlsx: specs it refuses (bugs in the caller)', () => {
  const line = CHARTS[0]!;
  const fan = CHARTS[2]!;
  const cases: [string, ChartSpec, RegExp][] = [
    ['an unknown sheet', { ...line, sheet: 'Nope' }, /no worksheet named "Nope"/],
    [
      'a reference to an unknown sheet',
      { ...line, categories: "'Nope'!$B$1:$E$1" },
      /missing sheet Nope/,
    ],
    ['a fan without three series', { ...fan, series: fan.series.slice(0, 2) }, /exactly \[P10/],
    [
      'a series longer than the categories',
      { ...line, series: [{ name: 'x', values: `${Q}!$B$2:$F$2` }] },
      /5 cells for 4 categories/,
    ],
    ['a two-dimensional range', { ...line, categories: `${Q}!$B$1:$E$2` }, /one row or one column/],
    ['a reference without a sheet', { ...line, categories: '$B$1:$E$1' }, /must name its sheet/],
    [
      'an empty anchor',
      { ...line, anchor: { from: { col: 3, row: 3 }, to: { col: 3, row: 9 } } },
      /span at least one cell/,
    ],
  ];
  it.each(cases)('throws on %s', async (_, spec, message) => {
    const { input } = await finalized;
    await expect(finalizeXlsx(input, { charts: [spec], date: DATE })).rejects.toThrow(message);
  });

  it('throws on a date a zip cannot hold', async () => {
    const { input } = await finalized;
    const early = new Date('1979-12-31T00:00:00Z');
    await expect(finalizeXlsx(input, { charts: [], date: early })).rejects.toThrow(/1980/);
  });
});
