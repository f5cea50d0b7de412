import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Forecast } from '../../models/forecast.ts';
import { renderParts, renderWorkbook } from '../../templates/index.ts';
import { LABELS } from '../../templates/labels.ts';
import { columnPoints, type PrintSheet, paginate } from '../../templates/paginate.ts';
import { fixtureForecast, OPTIONS } from './helpers.ts';
import { readXlsx, type XBook } from './xlsx-reader.ts';

/** `n` rows of 15 pt under columns of `chars` characters each. */
const sheet = (n: number, widths: number[], over: Partial<PrintSheet> = {}): PrintSheet => ({
  columns: widths,
  lastColumn: widths.length,
  heights: Array.from({ length: n }, () => 15),
  blockStarts: [],
  charts: [],
  ...over,
});
const five = [10, 10, 10, 10, 10];

describe('paginate: orientation, scale and row breaks worked out by hand', () => {
  // A4 is 595.3 × 841.9 pt; margins 0.4 in left and right (57.6 pt), 0.6 in top and bottom
  // (86.4 pt); pages filled to 95 %.
  it('measures columns as Excel prints them: 7 px a character and 5 px, 0.75 pt a px', () => {
    expect(columnPoints(10)).toBe(56.25); // (70 + 5) × 0.75
    expect(columnPoints(50)).toBe(266.25); // (350 + 5) × 0.75
    expect(columnPoints(9.14)).toBe(51); // trunc(63.98 + 5) = 68 px
  });

  it('prints a narrow sheet portrait at full size, 47 rows of 15 pt a page', () => {
    // 5 × 56.25 = 281.25 pt ≤ 537.7 pt: scale 1. Page: (841.9 − 86.4) × 0.95 = 717.7 pt = 47
    // rows of 15 (705 pt); 100 rows flow as 47 + 47 + 6.
    expect(paginate(sheet(100, five))).toEqual({
      orientation: 'portrait',
      scale: 1,
      breaks: [47, 94],
    });
  });

  it('prints a wide sheet landscape, scaled to the width', () => {
    // 10 × 108.75 = 1087.5 pt: portrait would scale to 537.7 / 1087.5 = 0.49 < 0.8.
    // Landscape: 784.3 / 1087.5 = 0.7212; page (595.3 − 86.4) × 0.95 / 0.7212 = 670.3 pt,
    // 44 rows of 15 (660 pt).
    const p = paginate(
      sheet(
        60,
        Array.from({ length: 10 }, () => 20),
      ),
    );
    expect(p.orientation).toBe('landscape');
    expect(p.scale).toBeCloseTo(784.3 / 1087.5, 10);
    expect(p.breaks).toEqual([44]);
  });

  it('starts a block that does not fit on a new page, rather than splitting it', () => {
    // Blocks 1–29 (435 pt), 30–59 (450 pt), 60–100 (615 pt): 435 + 450 > 717.7, 450 + 615 too.
    expect(paginate(sheet(100, five, { blockStarts: [30, 60] })).breaks).toEqual([29, 59]);
  });

  it('never breaks across a chart', () => {
    // One block of 100 rows; the break due before row 48 falls in the chart's rows 40–55, so it
    // comes before row 56, the first row under the chart.
    const p = paginate(sheet(100, five, { charts: [{ first: 40, last: 55 }] }));
    expect(p.breaks).toEqual([55]);
    // A block starting inside a chart is no place for a page to start either: 30 is skipped.
    const q = paginate(
      sheet(100, five, { blockStarts: [30, 60], charts: [{ first: 25, last: 35 }] }),
    );
    expect(q.breaks).toEqual([47, 59]);
  });

  it('leaves room for the print titles on every page after the first', () => {
    // Rows 1–2 repeat (30 pt): after the first page's 47 rows, 717.7 − 30 holds 45 more.
    expect(paginate(sheet(100, five, { printTitleRows: '1:2' })).breaks).toEqual([47, 92]);
  });

  it('breaks a block taller than a page before a table of its own, if it can', () => {
    // One block of 100 rows with tables starting at rows 20 and 40: the page is full after row
    // 47; the page breaks before row 40 instead, then after 86 rows' worth (40 + 47 − 1).
    expect(paginate(sheet(100, five, { tableStarts: [20, 40] })).breaks).toEqual([39, 86]);
  });

  it('never leaves fewer than three rows of a table alone on a page', () => {
    // 49 rows: a break before row 48 would leave 2; it comes before row 47 instead.
    expect(paginate(sheet(49, five)).breaks).toEqual([46]);
    // A sheet that fits has no break.
    expect(paginate(sheet(47, five)).breaks).toEqual([]);
  });
});

describe('every sheet of the workbooks is set up for print', () => {
  const books = new Map<string, { book: XBook; f: Forecast; locale: 'en' | 'fr' }>();

  beforeAll(async () => {
    for (const name of ['tiny', 'bank-ma'] as const) {
      const f = await fixtureForecast(name, 200);
      for (const locale of ['en', 'fr'] as const)
        books.set(`${name} ${locale}`, {
          f,
          locale,
          book: await readXlsx(await renderWorkbook(f, { ...OPTIONS, locale })),
        });
    }
  });

  it('prints A4, one page wide, with margins, the sheet and page in the footer, the status in the header', () => {
    for (const [key, { book, f, locale }] of books)
      for (const s of book.sheets) {
        const at = `${key}: ${s.name}`;
        expect(s.xml, at).toMatch(/<pageSetUpPr fitToPage="1"\/>/);
        expect(s.xml, at).toMatch(
          /<pageSetup paperSize="9" orientation="(portrait|landscape)"[^>]* fitToWidth="1" fitToHeight="0"\/>/,
        );
        expect(s.xml, at).toContain(
          '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.25" footer="0.25"/>',
        );
        // &A the sheet's name, &P / &N the page and the count; the CLI's workbook is not reviewed.
        expect(s.xml, at).toContain(
          '<oddFooter>&amp;L&amp;8&amp;A&amp;R&amp;8&amp;P / &amp;N</oddFooter>',
        );
        const status = locale === 'en' ? 'Not reviewed' : 'Non revue';
        expect(s.xml, at).toContain(
          `<oddHeader>&amp;L&amp;8${f.model.name}&amp;R&amp;8&amp;B${status}</oddHeader>`,
        );
      }
  });

  it('repeats the column headers of the long tables on every printed page', async () => {
    for (const name of ['tiny', 'bank-ma'] as const) {
      const f = await fixtureForecast(name, 0);
      for (const locale of ['en', 'fr'] as const) {
        const zip = await JSZip.loadAsync(await renderWorkbook(f, { ...OPTIONS, locale }));
        const xml = await zip.file('xl/workbook.xml')!.async('string');
        const titles = [
          ...xml.matchAll(/<definedName name="_xlnm.Print_Titles" localSheetId="\d+">([^<]+)</g),
        ].map((m) => m[1]!.replace(/&apos;/g, "'"));
        const L = LABELS[locale];
        // Prices (its header row), each calculation sheet and Scenarios (their timeline).
        expect(titles, `${name} ${locale}`).toEqual([
          `'${L.sheet.prices}'!$4:$4`,
          ...f.scenarios.map(() => expect.stringMatching(/^'[^']+'!\$4:\$8$/)),
          `'${L.sheet.scenarios}'!$4:$7`,
        ]);
      }
    }
  });

  it('breaks pages only before a section, never inside a table or a chart', async () => {
    for (const [key, { book, f, locale }] of books) {
      const { charts } = await renderParts(f, { ...OPTIONS, locale });
      // The section bars share one style: the Summary's first section bar has it.
      const summary = book.sheets[0]!;
      const bar = [...summary.cells.values()].find((c) => c.row > 4 && c.col === 1)!.style;
      let broken = 0;
      for (const s of book.sheets) {
        const ids = [...s.xml.matchAll(/<brk id="(\d+)" max="16383" man="1"\/>/g)].map((m) =>
          Number(m[1]),
        );
        broken += ids.length;
        for (const id of ids) {
          const next = [...s.cells.values()].filter((c) => c.row === id + 1);
          expect(
            next.some((c) => c.style === bar),
            `${key}: ${s.name} breaks before row ${id + 1}, not a section`,
          ).toBe(true);
          for (const c of charts.filter((x) => x.sheet === s.name))
            expect(
              id + 1 > c.anchor.from.row + 1 && id + 1 <= c.anchor.to.row,
              `${key}: ${s.name} row ${id + 1} in ${c.title}`,
            ).toBe(false);
        }
      }
      expect(broken, key).toBeGreaterThan(0);
    }
  });

  it('prints the narrow Providers sheet portrait and the wide calculation sheets landscape', () => {
    for (const [key, { book, locale }] of books) {
      const L = LABELS[locale];
      // Providers: 34 + 16 + 20 + 14 + 28 characters = 608 pt, 0.88 of a portrait page's width.
      expect(book.sheet(L.sheet.providers).xml, key).toMatch(/orientation="portrait"/);
      for (const s of book.sheets.filter((x) => x.name.startsWith(L.sheet.calc)))
        expect(s.xml, `${key}: ${s.name}`).toMatch(/orientation="landscape"/);
    }
  });
});
