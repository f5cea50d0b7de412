import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PriceRow } from '../../../../models/price-sheet.ts';
import type { Result } from '../../../../models/result.ts';
import {
  type ParseContext,
  type ParsedPriceSheet,
  type PriceRowBatch,
  parseCsvStream,
} from '../../../../server/ingest/index.ts';
import { parseCsvBuffered } from './buffered-oracle.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency';
const CTX: ParseContext = { file: 'prices.csv', maxRows: 1_000_000 };

/** The bytes in pieces cut at `cuts`, as a file or socket may deliver them. */
async function* pieces(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    if (cut > at) yield bytes.subarray(at, cut);
    at = Math.max(at, cut);
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

interface Streamed {
  readonly result: Result<ParsedPriceSheet>;
  readonly batches: PriceRowBatch[];
  readonly restarts: number;
}

/** Parses by streaming, collecting what the handlers are given. */
async function stream(
  bytes: Uint8Array,
  opts: { cuts?: readonly number[]; ctx?: ParseContext; batchRows?: number } = {},
): Promise<Streamed> {
  const batches: PriceRowBatch[] = [];
  let rows: PriceRow[] = [];
  let lines: number[] = [];
  let restarts = 0;
  const parsed = await parseCsvStream(() => pieces(bytes, opts.cuts ?? []), opts.ctx ?? CTX, {
    batchRows: opts.batchRows,
    async onBatch(batch) {
      batches.push(batch);
      expect(batch.first).toBe(rows.length);
      rows.push(...batch.rows);
      lines.push(...batch.lines);
    },
    async onRestart() {
      restarts += 1;
      rows = [];
      lines = [];
    },
  });
  const result: Result<ParsedPriceSheet> = parsed.ok
    ? {
        ok: true,
        value: {
          format: parsed.value.format,
          rows,
          lines,
          skipped: parsed.value.skipped,
          notes: parsed.value.notes,
        },
      }
    : parsed;
  return { result, batches, restarts };
}

/** Windows-1252 bytes of text made of ASCII and the few letters below. */
function cp1252(text: string): Uint8Array {
  const high: Record<string, number> = { é: 0xe9, è: 0xe8, '€': 0x80, œ: 0x9c, '’': 0x92 };
  return Uint8Array.from([...text], (ch) => high[ch] ?? ch.charCodeAt(0));
}

describe('streaming CSV', () => {
  it('hands the valid rows over in batches, in file order, numbered from 0', async () => {
    const body = Array.from({ length: 7 }, (_, i) => `OpenAI,sku-${i},1 h,${i}.5,USD`);
    const { result, batches, restarts } = await stream(utf8([HEADER, ...body].join('\r\n')), {
      batchRows: 3,
      cuts: [1, 50, 51, 99],
    });
    expect(batches.map((b) => [b.first, b.rows.length])).toEqual([
      [0, 3],
      [3, 3],
      [6, 1],
    ]);
    expect(batches[2]?.lines).toEqual([8]);
    expect(batches[1]?.rows[0]).toEqual({
      ProviderName: 'OpenAI',
      SkuId: 'sku-3',
      PricingUnit: '1 h',
      ListUnitPrice: '3.5',
      PricingCurrency: 'USD',
    });
    expect(restarts).toBe(0);
    expect(result).toMatchObject({ ok: true, value: { format: 'csv', skipped: 0, notes: [] } });
  });

  it('answers with the issues when a late row is bad, though earlier batches were handed over', async () => {
    const body = Array.from({ length: 6 }, (_, i) => `OpenAI,sku-${i},1 h,1,USD`);
    const { result, batches } = await stream(
      utf8([HEADER, ...body, 'OpenAI,late,1 h,x,USD'].join('\n')),
      { batchRows: 2 },
    );
    expect(batches.length).toBeGreaterThan(0);
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          file: 'prices.csv',
          row: 8,
          column: 4,
          field: 'ListUnitPrice',
          value: 'x',
          message: '"x" is not a number (write it like 2.50 or 1,250.50)',
        },
      ],
    });
  });

  it('switches to Windows-1252 on the spot when only ASCII came before the first bad byte', async () => {
    const text = `${HEADER},Description\nOVH,a,1 h,1,EUR,plain\nOVH,b,1 h,2,EUR,Données €\n`;
    const { result, restarts } = await stream(cp1252(text), { batchRows: 1, cuts: [70] });
    expect(restarts).toBe(0);
    expect(result.ok && result.value.rows[1]?.Description).toBe('Données €');
    expect(result.ok && result.value.notes).toEqual([
      'decoded as Windows-1252 (the file is not valid UTF-8)',
    ]);
  });

  it('reads the file again as Windows-1252 when valid UTF-8 text came before the first bad byte', async () => {
    const head = utf8(`${HEADER},Description\nOVH,a,1 h,1,EUR,café\nOVH,a2,1 h,1,EUR,\n`);
    const tail = cp1252('OVH,b,1 h,2,EUR,thé\n');
    const bytes = Uint8Array.from([...head, ...tail]);
    const { result, restarts } = await stream(bytes, { batchRows: 1, cuts: [head.length] });
    expect(restarts).toBe(1);
    // As a buffered read decides: the whole file is Windows-1252, so "é" in UTF-8 reads "Ã©".
    expect(result.ok && result.value.rows.map((r) => r.Description)).toEqual([
      'cafÃ©',
      undefined,
      'thé',
    ]);
    expect(result).toEqual(await parseCsvBuffered(bytes, CTX));
  });

  it('reads a tab-separated file again when a late price shows the decimal comma', async () => {
    const text =
      'ProviderName\tSkuId\tPricingUnit\tListUnitPrice\tPricingCurrency\nA\tx\t1 h\t1.250\tEUR\nA\ty\t1 h\t2,5\tEUR\n';
    const { result, restarts } = await stream(utf8(text), { batchRows: 1 });
    expect(restarts).toBe(1);
    expect(result.ok && result.value.rows.map((r) => r.ListUnitPrice)).toEqual(['1.250', '2.5']);
    expect(result.ok && result.value.notes).toEqual(['tab separator, decimal comma']);
  });

  it('finds the line of an unclosed quote across pieces', async () => {
    const bytes = utf8(`sep=,\r\n${HEADER}\r\nA,x,1 h,1,USD\r\nA,"y\r\n,1 h,"",1,USD\r\n`);
    const cuts = Array.from({ length: bytes.length }, (_, i) => i);
    const { result } = await stream(bytes, { cuts });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          file: 'prices.csv',
          // Line 3 of the text after the "sep=" line, which row numbers count.
          row: 4,
          message: 'is not valid CSV: the quote opened on line 3 is never closed',
        },
      ],
    });
  });

  it('passes on an error of the batch handler', async () => {
    const bytes = utf8(`${HEADER}\nA,x,1 h,1,USD\nA,y,1 h,1,USD\n`);
    const failing = parseCsvStream(() => pieces(bytes, []), CTX, {
      batchRows: 1,
      onBatch: () => Promise.reject(new Error('disk full')),
      onRestart: async () => {},
    });
    await expect(failing).rejects.toThrow('disk full');
  });
});

/** Cell text that exercises quoting, locales, blanks, non-ASCII and bad values. */
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('OpenAI', 'sku-1', '1 h', 'USD', 'EUR', 'eu-west') },
  {
    weight: 6,
    arbitrary: fc.constantFrom('2.50', '2,50', '1 250,50', '1,250.50', '1.250', '2.5E-06', '0'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', ' ', 'NULL', 'x', '-1', 'usd', 'é€', 'café', '"', 'a"b'),
  },
  { weight: 1, arbitrary: fc.constantFrom('a,b', 'a;b', 'a\tb', 'two\nlines', 'two\r\nlines') },
);

const NAMES = [
  'ProviderName',
  'provider_name',
  'SkuId',
  'PricingUnit',
  'ListUnitPrice',
  'PricingCurrency',
  'ContractedUnitPrice',
  'Description',
  'RegionId',
  'Other',
];

/** A CSV file as Excel or a script may write it, good or bad, with the bytes cut anywhere. */
const csvFile = fc
  .record({
    separator: fc.constantFrom(',', ';', '\t'),
    sepLine: fc.boolean(),
    bom: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    encoding: fc.constantFrom('utf-8', 'utf-8', 'windows-1252', 'mixed'),
    header: fc.oneof(
      fc.constant<string[]>([
        'ProviderName',
        'SkuId',
        'PricingUnit',
        'ListUnitPrice',
        'PricingCurrency',
      ]),
      fc.shuffledSubarray(NAMES, { minLength: 3 }),
    ),
    rows: fc.array(fc.array(cell, { minLength: 3, maxLength: 8 }), { maxLength: 25 }),
    quoteAll: fc.boolean(),
    unclosed: fc.boolean(),
    blankLines: fc.array(fc.nat(30), { maxLength: 3 }),
    maxRows: fc.constantFrom(1, 3, 10, 1000),
    provider: fc.constantFrom(undefined, 'Zeta'),
    cuts: fc.array(fc.nat(4000), { maxLength: 12 }),
    batchRows: fc.integer({ min: 1, max: 5 }),
  })
  .map((f) => {
    const sep = f.separator;
    const quote = (v: string) =>
      f.quoteAll || v.includes(sep) || v.includes('\n') || v.includes('\r') || v.includes('"')
        ? `"${v.replaceAll('"', '""')}"`
        : v;
    // Rows as wide as the header most of the time, so most files get past the width check.
    const width = f.header.length;
    const lines = [
      f.header.map(quote).join(sep),
      ...f.rows.map((r, i) =>
        (i % 5 === 4 ? r : Array.from({ length: width }, (_, j) => r[j % r.length] ?? ''))
          .map(quote)
          .join(sep),
      ),
    ];
    for (const at of f.blankLines) lines.splice(Math.min(at, lines.length), 0, '');
    let text = lines.join(f.eol) + f.eol;
    if (f.unclosed) text += `A${sep}"open${f.eol}B${sep}1${f.eol}`;
    if (f.sepLine) text = `sep=${sep}${f.eol}${text}`;
    let bytes: Uint8Array;
    if (f.encoding === 'windows-1252') bytes = cp1252(text);
    else if (f.encoding === 'mixed') {
      const half = Math.floor(text.length / 2);
      bytes = Uint8Array.from([...utf8(text.slice(0, half)), ...cp1252(text.slice(half))]);
    } else bytes = utf8(text);
    if (f.bom) bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);
    const ctx: ParseContext = { file: 'prices.csv', provider: f.provider, maxRows: f.maxRows };
    return { bytes, ctx, cuts: f.cuts, batchRows: f.batchRows };
  });

describe('streaming CSV is the buffered parser, whatever the pieces', () => {
  it('gives the same rows, lines, notes or issues as the former buffered parser', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, async ({ bytes, ctx, cuts, batchRows }) => {
        const { result } = await stream(bytes, { ctx, cuts, batchRows });
        expect(result).toEqual(await parseCsvBuffered(bytes, ctx));
      }),
      { numRuns: 400 },
    );
  });
});
