import { describe, expect, it } from 'vitest';
import { readSharedStrings, readSheetValues } from '../../templates/charts/cells.ts';
import {
  addOverride,
  addRelationship,
  type Parts,
  readRels,
  relativeTarget,
  resolveTarget,
} from '../../templates/charts/opc.ts';
import { columnLetters, parseRange, rangeFormula } from '../../templates/charts/refs.ts';
import { escapeXml, parseRoot, unescapeXml } from '../../templates/charts/xml.ts';

describe('chart references', () => {
  it('reads quoted and unquoted sheet names and writes them quoted and absolute', () => {
    expect(rangeFormula(parseRange('Summary!C20:E20'))).toBe("'Summary'!$C$20:$E$20");
    expect(rangeFormula(parseRange("='Synthèse fr'!$B$1:$B$3"))).toBe("'Synthèse fr'!$B$1:$B$3");
    const r = parseRange("'It''s Q&A'!$A$1:$A$3");
    expect(r.sheet).toBe("It's Q&A");
    expect(r.cells).toEqual([
      { col: 0, row: 0 },
      { col: 0, row: 1 },
      { col: 0, row: 2 },
    ]);
    expect(rangeFormula(r)).toBe("'It''s Q&A'!$A$1:$A$3");
    expect(parseRange("'S'!$D$7").cells).toEqual([{ col: 3, row: 6 }]);
  });

  it('names columns past Z as Excel does', () => {
    expect([0, 25, 26, 51, 701, 702].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'ZZ',
      'AAA',
    ]);
    expect(parseRange("'S'!$AA$1:$AC$1").cells.map((c) => c.col)).toEqual([26, 27, 28]);
  });
});

describe('cached cell values', () => {
  const shared = readSharedStrings(
    '<sst><si><t>plain</t></si><si><r><t>ri</t></r><r><rPr/><t xml:space="preserve">ch &amp; </t></r>' +
      '<rPh><t>ignored</t></rPh></si><si><t/></si></sst>',
  );

  it('joins rich-text runs of shared strings and leaves phonetic guides out', () => {
    expect(shared).toEqual(['plain', 'rich & ', '']);
  });

  it('reads numbers, shared, inline and formula strings, and skips booleans and errors', () => {
    const values = readSheetValues(
      '<worksheet><sheetData><row r="2">' +
        '<c r="A2" t="s"><v>1</v></c><c r="B2"><v>1.5E-3</v></c><c r="C2"><f>A1</f><v>-2</v></c>' +
        '<c r="D2" t="inlineStr"><is><t>inline &lt;x&gt;</t></is></c>' +
        '<c r="E2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="F2" t="b"><v>1</v></c>' +
        '<c r="G2" t="e"><v>#N/A</v></c><c r="H2" s="3"/><c><v>9</v></c>' +
        '</row><row r="4"><c r="B4"><f>B2*2</f></c></row></sheetData></worksheet>',
      shared,
    );
    const at = (col: number, row: number) => values.get({ col, row });
    expect(at(0, 1)).toEqual({ kind: 'text', value: 'rich & ' });
    expect(at(1, 1)).toEqual({ kind: 'number', value: 0.0015 });
    expect(at(2, 1)).toEqual({ kind: 'number', value: -2 });
    expect(at(3, 1)).toEqual({ kind: 'text', value: 'inline <x>' });
    expect(at(4, 1)).toEqual({ kind: 'text', value: 'ab' });
    expect(at(5, 1)).toBeUndefined();
    expect(at(6, 1)).toBeUndefined();
    expect(at(7, 1)).toBeUndefined();
    // a cell without r follows the previous one
    expect(at(8, 1)).toEqual({ kind: 'number', value: 9 });
    // a formula never calculated has no cached value
    expect(at(1, 3)).toBeUndefined();
  });
});

describe('XML as text', () => {
  it('escapes and unescapes markup characters and character references', () => {
    expect(escapeXml('R&D <"Synthèse">\u0001')).toBe('R&amp;D &lt;&quot;Synthèse&quot;&gt;');
    expect(unescapeXml('&lt;&#233;t&#xE9;&amp;&apos;&gt;')).toBe("<été&'>");
  });

  it('lists only the root’s own children, whatever is nested or quoted inside them', () => {
    const root = parseRoot(
      '<?xml version="1.0"?><!-- <drawing/> --><worksheet a="x>y"><sheetData/>' +
        '<conditionalFormatting><cfRule><extLst><ext/></extLst></cfRule></conditionalFormatting>' +
        '<tableParts count="1"><tablePart/></tableParts><extLst/></worksheet>',
    );
    expect(root.name).toBe('worksheet');
    expect(root.children.map((c) => c.name)).toEqual([
      'sheetData',
      'conditionalFormatting',
      'tableParts',
      'extLst',
    ]);
  });

  it('rejects unbalanced markup', () => {
    expect(() => parseRoot('<a><b></a>')).toThrow(/unbalanced/);
  });
});

describe('package relationships and content types', () => {
  it('resolves relative and absolute targets, and writes relative ones', () => {
    expect(resolveTarget('xl/worksheets/sheet1.xml', '../drawings/drawing1.xml')).toBe(
      'xl/drawings/drawing1.xml',
    );
    expect(resolveTarget('xl/workbook.xml', '/xl/worksheets/sheet2.xml')).toBe(
      'xl/worksheets/sheet2.xml',
    );
    expect(relativeTarget('xl/drawings/drawing1.xml', 'xl/charts/chart1.xml')).toBe(
      '../charts/chart1.xml',
    );
    expect(relativeTarget('xl/worksheets/sheet1.xml', 'xl/drawings/drawing2.xml')).toBe(
      '../drawings/drawing2.xml',
    );
    expect(relativeTarget('xl/workbook.xml', 'xl/worksheets/sheet9.xml')).toBe(
      'worksheets/sheet9.xml',
    );
  });

  it('adds a relationship under the first free id, keeping the others', () => {
    const parts: Parts = new Map([
      [
        'xl/worksheets/_rels/sheet1.xml.rels',
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="t/hyperlink" Target="https://x.test/?a=1&amp;b=2" TargetMode="External"/>' +
          '<Relationship Id="rId3" Type="t/comments" Target="../comments1.xml"/></Relationships>',
      ],
    ]);
    const id = addRelationship(
      parts,
      'xl/worksheets/sheet1.xml',
      't/drawing',
      'xl/drawings/drawing1.xml',
    );
    expect(id).toBe('rId2');
    const rels = readRels(parts.get('xl/worksheets/_rels/sheet1.xml.rels') as string);
    expect(rels.map((r) => [r.id, r.target, r.external])).toEqual([
      ['rId1', 'https://x.test/?a=1&b=2', true],
      ['rId3', '../comments1.xml', false],
      ['rId2', '../drawings/drawing1.xml', false],
    ]);
    // a part without rels gets a new rels part
    expect(
      addRelationship(parts, 'xl/drawings/drawing1.xml', 't/chart', 'xl/charts/chart1.xml'),
    ).toBe('rId1');
  });

  it('declares a content type once', () => {
    const parts: Parts = new Map([['[Content_Types].xml', '<Types></Types>']]);
    addOverride(parts, 'xl/charts/chart1.xml', 'ct/chart');
    addOverride(parts, 'xl/charts/chart1.xml', 'ct/chart');
    expect(parts.get('[Content_Types].xml')).toBe(
      '<Types><Override PartName="/xl/charts/chart1.xml" ContentType="ct/chart"/></Types>',
    );
  });
});
