import { describe, expect, it } from 'vitest';
import type { PriceRow } from '../../../../models/price-sheet.ts';
import { parseCsvStream, parsePriceSheet } from '../../../../server/ingest/index.ts';

// Excel's "Unicode Text" (French: "Texte Unicode") export: UTF-16LE with a byte order mark,
// tab-separated, numbers as the user's locale writes them. The bytes are built here, by hand.

/** UTF-16LE bytes of `text`, after the byte order mark FF FE. */
function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes[0] = 0xff;
  bytes[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[2 + 2 * i] = code & 0xff;
    bytes[3 + 2 * i] = code >> 8;
  }
  return bytes;
}

/** UTF-16BE bytes of `text`, after the byte order mark FE FF. */
function utf16be(text: string): Uint8Array {
  const le = utf16le(text);
  const be = new Uint8Array(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return be;
}

// French Excel: decimal commas, thousands grouped by U+00A0, accents in the text.
const FRENCH = [
  'ProviderName\tSkuId\tPricingUnit\tListUnitPrice\tPricingCurrency\tRegionId\tx_Source',
  'Orange Business\tstockage-objet\t1 Go-mois\t0,125\tEUR\tRégion Île-de-France\tGrille « été »',
  'Oracle\tBM.GPU.H100.8\t1 heure\t1\u00A0250,50\tUSD\t\tTarif négocié',
  '',
].join('\r\n');

const ENGLISH = [
  'ProviderName\tSkuId\tPricingUnit\tListUnitPrice\tPricingCurrency\tx_Source',
  'OpenAI\tgpt-4o-input\t1M tokens\t2.50\tUSD\tCafé pricing page',
  'Oracle\tBM.GPU.H100.8\t1 hour\t"1,250.50"\tUSD\t',
  '',
].join('\r\n');

const frenchRows = [
  {
    ProviderName: 'Orange Business',
    SkuId: 'stockage-objet',
    PricingUnit: '1 Go-mois',
    ListUnitPrice: '0.125',
    PricingCurrency: 'EUR',
    RegionId: 'Région Île-de-France',
    x_Source: 'Grille « été »',
  },
  {
    ProviderName: 'Oracle',
    SkuId: 'BM.GPU.H100.8',
    PricingUnit: '1 heure',
    ListUnitPrice: '1250.50',
    PricingCurrency: 'USD',
    x_Source: 'Tarif négocié',
  },
];

async function read(bytes: Uint8Array, fileName = 'prix.txt') {
  const r = await parsePriceSheet(bytes, { fileName });
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 2));
  return r.value;
}

describe('Excel "Unicode Text" (UTF-16 with a byte order mark, tab-separated)', () => {
  it('reads a French UTF-16LE export: accents, decimal commas, U+00A0 thousands', async () => {
    const sheet = await read(utf16le(FRENCH));
    expect(sheet.rows).toEqual(frenchRows);
    expect(sheet.lines).toEqual([2, 3]);
    expect(sheet.notes).toContain('decoded as UTF-16LE (byte order mark)');
    expect(sheet.notes).toContain('tab separator, decimal comma');
  });

  it('reads an English UTF-16LE export with decimal points and quoted thousands', async () => {
    const sheet = await read(utf16le(ENGLISH), 'prices.txt');
    expect(sheet.rows.map((r) => [r.SkuId, r.ListUnitPrice, r.x_Source])).toEqual([
      ['gpt-4o-input', '2.50', 'Café pricing page'],
      ['BM.GPU.H100.8', '1250.50', undefined],
    ]);
    expect(sheet.notes).toContain('tab separator, decimal point');
  });

  it('reads the same file in UTF-16BE', async () => {
    const sheet = await read(utf16be(FRENCH));
    expect(sheet.rows).toEqual(frenchRows);
    expect(sheet.notes).toContain('decoded as UTF-16BE (byte order mark)');
  });

  it('reads a UTF-16 file without a name or extension by its byte order mark', async () => {
    const sheet = await read(utf16le(FRENCH), 'upload');
    expect(sheet.format).toBe('csv');
    expect(sheet.rows).toHaveLength(2);
  });

  it('decodes a stream cut inside characters and inside the byte order mark', async () => {
    const bytes = utf16le(FRENCH);
    // Pieces of 1, then 3 bytes: every cut falls in the middle of a UTF-16 code unit.
    async function* pieces() {
      yield bytes.subarray(0, 1);
      for (let i = 1; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    }
    const rows: PriceRow[] = [];
    const r = await parseCsvStream(
      pieces,
      { file: 'prix.txt', maxRows: 100 },
      {
        async onBatch(b) {
          rows.push(...b.rows);
        },
        async onRestart() {
          rows.length = 0;
        },
      },
    );
    expect(r.ok).toBe(true);
    expect(rows).toEqual(frenchRows);
  });

  it('locates a bad price in a UTF-16 file at its line and column', async () => {
    const text = FRENCH.replace('0,125', '0,1x5');
    const r = await parsePriceSheet(utf16le(text), { fileName: 'prix.txt' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      expect.objectContaining({
        file: 'prix.txt',
        row: 2,
        column: 4,
        field: 'ListUnitPrice',
        value: '0,1x5',
      }),
    ]);
  });
});
