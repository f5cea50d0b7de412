import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import ExcelJS from 'exceljs';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, bearer, buildTestApp, fixture, multipart, type TestApp } from './helper.ts';
import { minimalXlsx, xlsxRow } from './ingest/xlsx/zip-helper.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency';
const tiny = JSON.parse(fixture('fixtures/tiny/assumptions.json').toString('utf8'));

/** A request of the corpus: who sends it is filled in by the test. */
interface Bad {
  readonly name: string;
  readonly request: () => Promise<InjectOptions> | InjectOptions;
  /** The exact status expected, when the corpus pins it. */
  readonly status?: number;
  /** A field one of the error's issues must name. */
  readonly field?: string;
  /** The row one of the error's issues must name (with `field`, when given). */
  readonly row?: number;
  /** What the error (its message or one of its issues') must say. */
  readonly says?: RegExp;
}

const sheet = (body: Buffer | string, type: string, query = 'quarter=2026-Q3'): InjectOptions => ({
  method: 'POST',
  url: `/v1/price-sheets?${query}`,
  headers: { 'content-type': type },
  payload: body,
});
const jsonPost = (url: string, payload: string): InjectOptions => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/json' },
  payload,
});

async function validXlsx(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const s = book.addWorksheet('Prices');
  s.addRow(HEADER.split(','));
  for (let i = 0; i < 50; i++) s.addRow(['Acme', `sku-${i}`, 'GB', i + 0.5, 'USD']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const ROW = 'A,s,GB,1,USD';
const NUL = '\u0000';
const LONE = '\ud800';
const ID = '00000000-0000-4000-8000-000000000000';
const multipartSheet = (fields: Record<string, string>, name = 'p.csv'): InjectOptions => {
  const form = multipart(fields, { name, content: `${HEADER}\n${ROW}\n` });
  return { method: 'POST', url: '/v1/price-sheets', headers: form.headers, payload: form.payload };
};
/** A multipart upload (quarter, then the file "x.csv") with the file part's header changed. */
const withDisposition = (change: (form: string) => string): InjectOptions => {
  const form = multipart({ quarter: '2026-Q3' }, { name: 'x.csv', content: `${HEADER}\n${ROW}\n` });
  const payload = change(form.payload.toString('latin1'));
  return {
    method: 'POST',
    url: '/v1/price-sheets',
    headers: form.headers,
    payload: Buffer.from(payload, 'latin1'),
  };
};
/** The tiny assumptions with the first workload changed. */
const withWorkload = (change: Record<string, unknown>) => ({
  ...tiny,
  workloads: [{ ...tiny.workloads[0], ...change }, ...tiny.workloads.slice(1)],
});

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const CORPUS: readonly Bad[] = [
  // CSV
  {
    name: 'CSV with an unclosed quote',
    request: () => sheet(`${HEADER}\nA,"sku,GB,1,USD\n`, 'text/csv'),
    status: 422,
  },
  {
    name: 'CSV with rows wider than the header',
    request: () => sheet(`${HEADER}\nA,s,GB,1,USD,x,y\n`, 'text/csv'),
    status: 422,
  },
  { name: 'CSV with only a header', request: () => sheet(`${HEADER}\n`, 'text/csv'), status: 422 },
  { name: 'an empty CSV body', request: () => sheet('', 'text/csv'), status: 422 },
  {
    name: 'CSV without the required columns',
    request: () => sheet('a,b,c\n1,2,3\n', 'text/csv'),
    status: 422,
  },
  {
    name: 'binary noise sent as CSV',
    request: () =>
      sheet(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'text/csv'),
    status: 422,
  },
  {
    // With its byte order mark UTF-16 is read (tests/server/ingest/csv/utf16.test.ts);
    // without one it is not text we can tell.
    name: 'CSV in UTF-16 without a byte order mark',
    request: () => sheet(Buffer.from(`${HEADER}\nA,s,GB,1,USD\n`, 'utf16le'), 'text/csv'),
    status: 422,
    row: 1,
    // Was "the required column ProviderName is missing" over a header shown as "P r o v…".
    says: /the header has a NUL character \(column 1\): the file is not UTF-8 text/,
  },
  {
    name: 'CSV with a price of Infinity',
    request: () => sheet(`${HEADER}\nA,s,GB,Infinity,USD\n`, 'text/csv'),
    status: 422,
  },
  {
    name: 'CSV with a NaN price',
    request: () => sheet(`${HEADER}\nA,s,GB,NaN,USD\n`, 'text/csv'),
    status: 422,
  },
  // XLSX
  {
    name: 'random bytes sent as XLSX',
    request: () => sheet(Buffer.from('this is not a zip file at all'), XLSX),
    status: 422,
  },
  {
    name: 'a truncated XLSX',
    request: async () => {
      const b = await validXlsx();
      return sheet(b.subarray(0, Math.floor(b.length / 2)), XLSX);
    },
    status: 422,
  },
  {
    name: 'an XLSX with its zip directory cut off',
    request: async () => {
      const b = await validXlsx();
      return sheet(b.subarray(0, b.length - 30), XLSX);
    },
    status: 422,
  },
  // JSON price sheets
  {
    name: 'truncated JSON rows',
    request: () => sheet('[{"ProviderName": "A", "SkuId": ', 'application/json'),
    status: 422,
  },
  {
    name: 'JSON rows that are numbers',
    request: () => sheet('[1, 2, 3]', 'application/json'),
    status: 422,
  },
  { name: 'a JSON scalar', request: () => sheet('"prices"', 'application/json'), status: 422 },
  {
    name: 'JSON rows with a __proto__ key',
    request: () =>
      sheet(
        '[{"ProviderName":"A","SkuId":"s","PricingUnit":"GB","ListUnitPrice":"1","PricingCurrency":"USD","__proto__":{"polluted":true}}]',
        'application/json',
      ),
    status: 422,
  },
  {
    name: 'deeply nested JSON rows',
    request: () => sheet(nested(100_000), 'application/json'),
    status: 422,
  },
  // Multipart
  {
    name: 'a truncated multipart body',
    status: 400,
    request: () => {
      const form = multipart(
        { quarter: '2026-Q3' },
        { name: 'p.csv', content: `${HEADER}\nA,s,GB,1,USD\n` },
      );
      return {
        method: 'POST',
        url: '/v1/price-sheets',
        headers: form.headers,
        payload: form.payload.subarray(0, form.payload.length - 40),
      };
    },
  },
  {
    name: 'a multipart file in the wrong field',
    request: () => {
      const form = multipart(
        { quarter: '2026-Q3' },
        { field: 'upload', name: 'p.csv', content: `${HEADER}\nA,s,GB,1,USD\n` },
      );
      return {
        method: 'POST',
        url: '/v1/price-sheets',
        headers: form.headers,
        payload: form.payload,
      };
    },
    status: 400,
  },
  {
    name: 'a multipart field named __proto__',
    request: () => {
      const fields = JSON.parse('{"__proto__": "x", "quarter": "2026-Q3"}') as Record<
        string,
        string
      >;
      const form = multipart(fields, {
        name: 'p.csv',
        content: `${HEADER}\nA,s,GB,1,USD\n`,
      });
      return {
        method: 'POST',
        url: '/v1/price-sheets',
        headers: form.headers,
        payload: form.payload,
      };
    },
    status: 400,
  },
  {
    name: 'a multipart body without a boundary',
    request: () => sheet('--x\r\n', 'multipart/form-data'),
    status: 400,
  },
  // JSON request bodies
  {
    name: 'malformed JSON',
    request: () => jsonPost('/v1/assumptions', '{"name": "x",'),
    status: 400,
  },
  { name: 'an empty JSON body', request: () => jsonPost('/v1/assumptions', ''), status: 400 },
  {
    name: 'a __proto__ key in the assumptions',
    request: () =>
      jsonPost(
        '/v1/assumptions',
        JSON.stringify(tiny).replace('{', '{"__proto__":{"admin":true},'),
      ),
    status: 400,
  },
  {
    name: 'a constructor.prototype key in the assumptions',
    request: () =>
      jsonPost(
        '/v1/assumptions',
        JSON.stringify(tiny).replace('{', '{"constructor":{"prototype":{"admin":true}},'),
      ),
    status: 400,
  },
  {
    name: 'a prototype key inside the FX table',
    request: () => jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, fx: { prototype: '1' } })),
    status: 400,
  },
  {
    name: 'deeply nested JSON body',
    request: () => jsonPost('/v1/what-if', nested(100_000)),
    status: 400,
  },
  {
    name: 'assumptions nested 40 levels deep',
    request: () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 40; i++) deep = { a: deep };
      return jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, name: deep }));
    },
    status: 400,
  },
  {
    name: 'numbers where decimal strings are required',
    request: () => jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, fx: { USD: 0.9 } })),
    status: 400,
  },
  {
    name: 'an array instead of assumptions',
    request: () => jsonPost('/v1/assumptions', '[]'),
    status: 400,
  },
  {
    name: 'an unknown field',
    request: () => jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, colour: 'red' })),
    status: 400,
  },
  {
    name: 'wrong types in a forecast request',
    request: () =>
      jsonPost(
        '/v1/what-if',
        JSON.stringify({ assumptions: tiny, priceSheetIds: 'all', draws: 'ten', seed: -1 }),
      ),
    status: 400,
  },
  {
    name: 'too many Monte Carlo draws',
    request: () =>
      jsonPost(
        '/v1/what-if',
        JSON.stringify({
          assumptions: tiny,
          priceSheetIds: ['00000000-0000-4000-8000-000000000000'],
          draws: 10_000_000,
        }),
      ),
    status: 400,
  },
  {
    name: 'a JSON body over the body limit',
    request: () =>
      jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, name: 'x'.repeat(5 * 1024 * 1024) })),
    status: 413,
  },
  {
    name: 'JSON sent as text/plain',
    request: () => ({
      ...jsonPost('/v1/assumptions', JSON.stringify(tiny)),
      headers: { 'content-type': 'text/plain' },
    }),
    status: 415,
  },
  {
    name: 'JSON encoded in UTF-16',
    request: () => ({
      ...jsonPost('/v1/assumptions', ''),
      payload: Buffer.from(JSON.stringify(tiny), 'utf16le'),
    }),
    status: 400,
  },
  // Hostile text: a NUL or a lone surrogate anywhere a user string reaches PostgreSQL
  // (issue 13: ten paths answered 500 with PostgreSQL 22021).
  {
    name: 'a NUL in the fileName query parameter',
    request: () => sheet(`${HEADER}\n${ROW}\n`, 'text/csv', 'quarter=2026-Q3&fileName=a%00.csv'),
    status: 400,
    field: 'fileName',
  },
  {
    name: 'a NUL in a multipart file name',
    request: () => multipartSheet({ quarter: '2026-Q3' }, `a${NUL}b.csv`),
    status: 400,
    field: 'fileName',
  },
  {
    name: 'a NUL in the multipart provider field',
    request: () => multipartSheet({ quarter: '2026-Q3', provider: `Ac${NUL}me` }),
    status: 400,
    field: 'provider',
  },
  {
    name: 'a NUL in the upload provider query parameter',
    request: () => sheet(`${HEADER}\n${ROW}\n`, 'text/csv', 'quarter=2026-Q3&provider=a%00'),
    status: 400,
    field: 'provider',
  },
  {
    name: 'a NUL in the price-sheet provider filter',
    request: () => ({ method: 'GET', url: '/v1/price-sheets?provider=Acme%00' }),
    status: 400,
    field: 'provider',
  },
  {
    name: 'a NUL in the assumption-set name filter',
    request: () => ({ method: 'GET', url: '/v1/assumptions?name=x%00' }),
    status: 400,
    field: 'name',
  },
  {
    name: 'a NUL in an assumption set name',
    request: () => jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, name: `x${NUL}y` })),
    status: 400,
    field: 'name',
  },
  {
    name: 'a lone surrogate in a workload name',
    request: () => jsonPost('/v1/assumptions', JSON.stringify(withWorkload({ name: `x${LONE}y` }))),
    status: 400,
    field: 'workloads.0.name',
  },
  {
    name: 'a NUL in a forecast name',
    request: () =>
      jsonPost(
        '/v1/forecasts',
        JSON.stringify({ name: `f${NUL}`, assumptions: tiny, priceSheetIds: [ID] }),
      ),
    status: 400,
    field: 'name',
  },
  {
    name: 'a NUL in a review note',
    request: () => jsonPost(`/v1/forecasts/${ID}/approve`, JSON.stringify({ note: `ok${NUL}` })),
    status: 400,
    field: 'note',
  },
  {
    name: 'a NUL in a key name',
    request: () => jsonPost('/v1/keys', JSON.stringify({ name: `k${NUL}`, role: 'viewer' })),
    status: 400,
    field: 'name',
  },
  {
    name: 'a lone surrogate in a what-if workload provider',
    request: () =>
      jsonPost(
        '/v1/what-if',
        JSON.stringify({ assumptions: withWorkload({ provider: LONE }), priceSheetIds: [ID] }),
      ),
    status: 400,
    field: 'assumptions.workloads.0.provider',
  },
  {
    name: 'a NUL in a JSON key',
    request: () =>
      jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, fx: { [`EU${NUL}`]: '1' } })),
    status: 400,
    field: `fx.EU${NUL}`,
    says: /its key contains a NUL character/,
  },
  // Numbers beyond what a real model can mean (bounds in models/fields.ts BOUNDS).
  {
    name: 'a baseQuantity of 9e99',
    request: () =>
      jsonPost('/v1/assumptions', JSON.stringify(withWorkload({ baseQuantity: '9e99' }))),
    status: 400,
    field: 'workloads.0.baseQuantity',
  },
  {
    name: 'a growthPerQuarter of 9e99',
    request: () =>
      jsonPost('/v1/assumptions', JSON.stringify(withWorkload({ growthPerQuarter: '9e99' }))),
    status: 400,
    field: 'workloads.0.growthPerQuarter',
  },
  {
    // 1e15 × (1 + 2)^39 ≈ 4.05e33 units in the last quarter, over the 1e18 allowed.
    name: 'quantities that outgrow any real model over the horizon',
    request: () =>
      jsonPost(
        '/v1/assumptions',
        JSON.stringify({
          ...withWorkload({ baseQuantity: '1e15', growthPerQuarter: '2' }),
          horizonQuarters: 40,
        }),
      ),
    status: 400,
    field: 'workloads.0.growthPerQuarter',
  },
  {
    name: 'an assumption set starting 9999-Q4',
    request: () =>
      jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, startQuarter: '9999-Q4' })),
    status: 400,
    field: 'startQuarter',
  },
  {
    name: 'a shortagePremium of 1e99',
    request: () =>
      jsonPost(
        '/v1/what-if',
        JSON.stringify({
          assumptions: tiny,
          priceSheetIds: [ID],
          scenarios: {
            scenarios: [{ id: 's', name: 'S', delayQuarters: 0, shortagePremium: '1e99' }],
          },
        }),
      ),
    status: 400,
    field: 'scenarios.scenarios.0.shortagePremium',
  },
  {
    name: 'a fallbackPremium of 1e99 in a stored forecast',
    request: () =>
      jsonPost(
        '/v1/forecasts',
        JSON.stringify({
          assumptions: tiny,
          priceSheetIds: [ID],
          scenarios: {
            scenarios: [{ id: 's', name: 'S', delayQuarters: 0, fallbackPremium: '1e99' }],
          },
        }),
      ),
    status: 400,
    field: 'scenarios.scenarios.0.fallbackPremium',
    says: /must be ≤ 100 \(got 1e99\)/,
  },
  {
    name: 'an FX rate of 1e99',
    request: () => jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, fx: { USD: '1e99' } })),
    status: 400,
    field: 'fx.USD',
    says: /must be ≤ 1000000000 \(got 1e99\)/,
  },
  {
    name: 'a budget of 1e99',
    request: () =>
      jsonPost('/v1/assumptions', JSON.stringify({ ...tiny, budget: { FY2027: '1e99' } })),
    status: 400,
    field: 'budget.FY2027',
    says: /must be ≤ 1e18 \(got 1e99\)/,
  },
  {
    name: 'a rupture window ending 9999-Q4',
    request: () =>
      jsonPost(
        '/v1/what-if',
        JSON.stringify({
          assumptions: tiny,
          priceSheetIds: [ID],
          scenarios: {
            scenarios: [
              {
                id: 's',
                name: 'S',
                delayQuarters: 0,
                providerAvailability: [
                  { provider: 'A', from: '2027-Q1', to: '9999-Q4', availability: '0' },
                ],
              },
            ],
          },
        }),
      ),
    status: 400,
    field: 'scenarios.scenarios.0.providerAvailability.0.to',
  },
  {
    name: 'prices as of 9999-Q4',
    request: () => jsonPost('/v1/what-if', JSON.stringify({ assumptions: tiny, asOf: '9999-Q4' })),
    status: 400,
    field: 'asOf',
  },
  // Messages that say what is actually wrong.
  {
    name: 'two files in one multipart form',
    request: () => {
      const form = multipart(
        { quarter: '2026-Q3' },
        { name: 'a.csv', content: `${HEADER}\n${ROW}\n` },
      );
      const boundary = form.headers['content-type']!.split('boundary=')[1]!;
      const second = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\nB,s,GB,1,USD\n\r\n`;
      const text = form.payload.toString('utf8');
      const end = text.lastIndexOf(`--${boundary}--`);
      return {
        method: 'POST',
        url: '/v1/price-sheets',
        headers: form.headers,
        payload: Buffer.from(text.slice(0, end) + second + text.slice(end)),
      };
    },
    status: 400,
    says: /one file per upload/,
  },
  {
    name: 'an empty zip sent as XLSX',
    request: () => sheet(Buffer.from(`504b0506${'0'.repeat(36)}`, 'hex'), XLSX),
    status: 422,
    says: /empty zip archive/,
  },
  {
    name: 'a CSV header with a NUL',
    request: () =>
      sheet(
        `Prov\u0000iderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\n${ROW}\n`,
        'text/csv',
      ),
    status: 422,
    row: 1,
    says: /NUL character \(column 1\): the file is not UTF-8 text/,
  },
  {
    name: 'valid JSON rows with a __proto__ key say which key, not "not valid JSON"',
    request: () => sheet(`[{"ProviderName":"A","__proto__":{"x":1}}]`, 'application/json'),
    status: 422,
    says: /the key "__proto__" is not allowed/,
  },
  {
    // Was a 201 with a generic note, or 'has no price rows' when no entry was good.
    name: 'a LiteLLM catalogue whose only entries are bad, each named with why',
    request: () =>
      sheet(
        '{\n"neg": {"litellm_provider": "acme", "input_cost_per_token": -1},\n"inf": {"litellm_provider": "acme", "input_cost_per_token": 1e999}\n}',
        'application/json',
      ),
    status: 422,
    field: 'inf',
    row: 3,
    says: /catalogue entry "neg" input_cost_per_token is negative \(-1\)/,
  },
  {
    // XML cannot carry a NUL (nor a lone surrogate): the workbook is refused as unreadable.
    name: 'an XLSX cell holding a NUL character reference',
    request: () =>
      sheet(
        minimalXlsx(
          `${xlsxRow(1, HEADER.split(','))}${xlsxRow(2, ['A', 's&#x0;2', 'GB', 1, 'USD'])}`,
        ),
        XLSX,
      ),
    status: 422,
    says: /could not be read as an XLSX workbook/,
  },
  // Invisible provider names: zero-width and bidi control characters refused, located.
  {
    name: 'a provider named only a zero-width space',
    request: () =>
      jsonPost(
        '/v1/assumptions',
        JSON.stringify({ ...tiny, providers: [{ name: '\u200b', jurisdiction: 'US' }] }),
      ),
    status: 400,
    field: 'providers.0.name',
    says: /U\+200B at position 1/,
  },
  {
    name: 'a CSV provider name with a zero-width space inside',
    request: () => sheet(`${HEADER}\n${ROW}\nOpen\u200bAI,s2,GB,1,USD\n`, 'text/csv'),
    status: 422,
    field: 'ProviderName',
    row: 3,
    says: /U\+200B at position 5/,
  },
  {
    name: 'a bidi override in the upload provider',
    request: () =>
      sheet(
        `${HEADER}\n${ROW}\n`,
        'text/csv',
        `quarter=2026-Q3&provider=${encodeURIComponent('Acme\u202e')}`,
      ),
    status: 400,
    field: 'provider',
    says: /U\+202E/,
  },
  // Over-long lines: refused at a cap, in time linear in the file (bench/csv-long-line.ts).
  {
    name: 'a 2 MB CSV header line',
    request: () => sheet(Buffer.alloc(2 * 1024 * 1024, 'a'), 'text/csv'),
    status: 422,
    row: 1,
  },
  {
    name: 'a 2 MB CSV data line',
    request: () =>
      sheet(Buffer.from(`${HEADER}\nA,${'b'.repeat(2 * 1024 * 1024)},GB,1,USD\n`), 'text/csv'),
    status: 422,
    row: 2,
  },
  // Hostile text in a file: refused on upload (stored, it broke the diff with 22P05).
  {
    name: 'a CSV cell with a NUL',
    request: () => sheet(`${HEADER}\n${ROW}\nA,s${NUL}2,GB,1,USD\n`, 'text/csv'),
    status: 422,
    field: 'SkuId',
    row: 3,
  },
  {
    name: 'a JSON price row with a lone surrogate',
    request: () =>
      sheet(
        '[{"ProviderName":"A","SkuId":"x\\ud800y","PricingUnit":"GB","ListUnitPrice":"1","PricingCurrency":"USD"}]',
        'application/json',
      ),
    status: 422,
    field: '0.SkuId',
    row: 1,
  },
  // Request headers the service reads: printable text, else a 400 naming the header. On the
  // wire Node's parser refuses C0 controls and DEL (see "over a socket" below); a C1 byte
  // (0x80–0x9F, read as U+0080–U+009F) and injected requests reach the service.
  {
    name: 'a C1 control character in the Authorization header',
    request: () => ({
      method: 'GET',
      url: '/v1/forecasts',
      headers: { authorization: 'Bearer cc_\u0085x' },
    }),
    status: 400,
    field: 'Authorization',
    says: /the Authorization header contains a control character \(U\+0085 at position 11\)/,
  },
  {
    name: 'a NUL in the Authorization header',
    request: () => ({
      method: 'GET',
      url: '/v1/forecasts',
      headers: { authorization: `Bearer ${NUL}` },
    }),
    status: 400,
    field: 'Authorization',
  },
  {
    name: 'a lone surrogate in the Authorization header',
    request: () => ({
      method: 'GET',
      url: '/v1/forecasts',
      headers: { authorization: `Bearer ${LONE}` },
    }),
    status: 400,
    field: 'Authorization',
    says: /lone UTF-16 surrogate/,
  },
  {
    name: 'an escape character in Accept-Language',
    request: () => ({
      method: 'GET',
      url: '/v1/forecasts',
      headers: { 'accept-language': 'fr\u001b[31m' },
    }),
    status: 400,
    field: 'Accept-Language',
  },
  {
    name: 'a NUL in the Content-Type of an upload',
    request: () => sheet(`${HEADER}\n${ROW}\n`, `text/csv${NUL}`),
    status: 400,
    field: 'Content-Type',
  },
  {
    name: 'a lone surrogate in a Content-Type parameter',
    request: () => sheet(`${HEADER}\n${ROW}\n`, `text/csv; x=${LONE}`),
    status: 400,
    field: 'Content-Type',
  },
  {
    name: 'a terminal escape in a multipart file name',
    request: () => multipartSheet({ quarter: '2026-Q3' }, 'a\u001b[31mb.csv'),
    status: 400,
    field: 'fileName',
    says: /contains a control character \(U\+001B at position 2\)/,
  },
  {
    name: 'an escape in a multipart file name, percent-encoded (filename*)',
    request: () => {
      const form = multipart(
        { quarter: '2026-Q3' },
        { name: 'x.csv', content: `${HEADER}\n${ROW}\n` },
      );
      const payload = form.payload
        .toString('latin1')
        .replace('filename="x.csv"', "filename*=UTF-8''a%1Bb.csv");
      return {
        method: 'POST',
        url: '/v1/price-sheets',
        headers: form.headers,
        payload: Buffer.from(payload, 'latin1'),
      };
    },
    status: 400,
    field: 'fileName',
    says: /U\+001B at position 2/,
  },
  // busboy skips a part whose Content-Disposition it cannot use: the form seemed to have no
  // file ("the form has no file"); the part's headers are watched to say what is wrong.
  {
    name: 'a CR LF in a multipart file name, percent-encoded (filename*)',
    request: () =>
      withDisposition((d) => d.replace('filename="x.csv"', "filename*=UTF-8''a%0D%0Ab.csv")),
    status: 400,
    field: 'fileName',
    says: /contains a control character \(U\+000D at position 2\)/,
  },
  {
    name: 'a NUL in the Content-Disposition of the file part',
    request: () =>
      withDisposition((d) => d.replace('form-data; name="file"', `form-data${NUL}; name="file"`)),
    status: 400,
    field: 'part 2',
    says: /the Content-Disposition header of part 2 contains a control character \(U\+0000 at position 10\)/,
  },
  {
    name: 'a file part that is not form-data',
    request: () =>
      withDisposition((d) => d.replace('form-data; name="file"', 'attachment; name="file"')),
    status: 400,
    field: 'part 2',
    says: /the Content-Disposition header of part 2 is "attachment", not form-data/,
  },
  {
    name: 'a C1 control character in the fileName query parameter',
    request: () => sheet(`${HEADER}\n${ROW}\n`, 'text/csv', 'quarter=2026-Q3&fileName=a%C2%85.csv'),
    status: 400,
    field: 'fileName',
  },
  // URLs and query strings
  {
    name: 'a negative page size',
    request: () => ({ method: 'GET', url: '/v1/price-sheets?limit=-1' }),
    status: 400,
  },
  {
    name: 'a page size that is not a number',
    request: () => ({ method: 'GET', url: '/v1/forecasts?limit=ten' }),
    status: 400,
  },
  {
    name: 'an unknown status filter',
    request: () => ({ method: 'GET', url: '/v1/forecasts?status=done' }),
    status: 400,
  },
  {
    name: 'a malformed id',
    request: () => ({ method: 'GET', url: "/v1/forecasts/1'%20OR%20'1'='1" }),
    status: 400,
  },
  {
    name: 'an unknown workbook locale',
    request: () => ({
      method: 'GET',
      url: '/v1/forecasts/00000000-0000-4000-8000-000000000000/workbook?locale=de',
    }),
    status: 400,
  },
  {
    name: 'an unknown route',
    request: () => ({ method: 'GET', url: '/v1/nothing-here' }),
    status: 404,
  },
  {
    name: 'a method the route does not have',
    request: () => ({ method: 'DELETE', url: '/v1/forecasts' }),
    status: 404,
  },
];

describe.each(backends)('a corpus of bad requests on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  it.each(CORPUS)('$name: a clear 4xx, nothing stored, and the service stays up', async (bad) => {
    const sheetsBefore = await t.store.db
      .selectFrom('price_sheets')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const req = await bad.request();
    const r = await t.app.inject({
      ...req,
      headers: { ...bearer(t.keys.admin), ...(req.headers ?? {}) },
    });
    expect(r.statusCode, r.body.slice(0, 500)).toBeGreaterThanOrEqual(400);
    expect(r.statusCode, r.body.slice(0, 500)).toBeLessThan(500);
    if (bad.status !== undefined) expect(r.statusCode, r.body.slice(0, 500)).toBe(bad.status);
    const body = r.json();
    expect(body.error.code).toMatch(/^[a-z_]+$/);
    expect(body.error.message.length).toBeGreaterThan(5);
    if (bad.field !== undefined || bad.row !== undefined)
      expect(body.error.issues, r.body.slice(0, 500)).toContainEqual(
        expect.objectContaining({
          ...(bad.field === undefined ? {} : { field: bad.field }),
          ...(bad.row === undefined ? {} : { row: bad.row }),
        }),
      );
    if (bad.says !== undefined)
      expect(
        [
          body.error.message,
          ...(body.error.issues ?? []).map((i: { message: string }) => i.message),
        ].join('\n'),
      ).toMatch(bad.says);
    if (body.error.issues)
      expect(body.error.issueCount).toBeGreaterThanOrEqual(body.error.issues.length);
    const sheetsAfter = await t.store.db
      .selectFrom('price_sheets')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(sheetsAfter.n).toBe(sheetsBefore.n);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe.each(backends)('an over-long value in an upload, on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  // Random letters: a run of one letter would be refused as a zip bomb before being read.
  const long = Array.from(randomBytes(300_000), (b) => String.fromCharCode(97 + (b % 26))).join('');
  it.each([
    [
      'an XLSX cell',
      () =>
        sheet(
          minimalXlsx(`${xlsxRow(1, HEADER.split(','))}${xlsxRow(2, ['A', long, 'GB', 1, 'USD'])}`),
          XLSX,
        ),
    ],
    [
      'a JSON value',
      () =>
        sheet(
          JSON.stringify([
            {
              ProviderName: 'A',
              SkuId: long,
              PricingUnit: 'GB',
              ListUnitPrice: '1',
              PricingCurrency: 'USD',
            },
          ]),
          'application/json',
        ),
    ],
  ])(
    '%s of 300 000 characters: the 422 repeats its start and its length, not the whole value',
    async (_n, req) => {
      const r = await t.app.inject({
        ...req(),
        headers: { ...bearer(t.keys.admin), ...req().headers },
      });
      expect(r.statusCode).toBe(422);
      // Was the whole value: a 300 kB error body (a 20 MB cell, a 20 MB body).
      expect(r.body.length).toBeLessThan(2_000);
      const issue = r.json().error.issues[0];
      expect(issue.field).toMatch(/SkuId/);
      // 199 characters kept, then the length.
      expect(issue.value).toBe(`${long.slice(0, 199)}… (300,000 characters)`);
    },
  );
});

/** A raw HTTP/1.1 exchange over a socket: what the server wrote until it closed. */
function exchange(port: number, request: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

describe('request headers over a socket, where Node parses them', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t?.close());

  const request = (lines: readonly string[]) =>
    Buffer.from(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`, 'latin1');

  it.each([
    ['a NUL in Authorization', 'Authorization: Bearer cc_\u0000x', 'Authorization', '0x00'],
    ['an escape in Accept-Language', 'Accept-Language: fr\u001b', 'Accept-Language', '0x1b'],
    ['a DEL in Content-Type', 'Content-Type: text/csv\u007f', 'Content-Type', '0x7f'],
    [
      'a vertical tab in X-Forwarded-For',
      'X-Forwarded-For: 1.2.3.4\u000b',
      'X-Forwarded-For',
      '0x0b',
    ],
  ])(
    '%s: refused by the parser with our error body naming the header',
    async (_n, line, name, byte) => {
      const r = await exchange(port, request(['GET /v1/forecasts HTTP/1.1', 'Host: x', line]));
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toEqual({
        error: {
          code: 'bad_request',
          message: `the ${name} header holds the byte ${byte}, which HTTP does not allow in a header (control characters and NUL are refused)`,
        },
      });
      expect(r.body).not.toContain('cc_');
    },
  );

  it('a C1 byte in Authorization reaches the service and is a 400 naming the header', async () => {
    const r = await exchange(
      port,
      request(['GET /v1/forecasts HTTP/1.1', 'Host: x', 'Authorization: Bearer cc_\u0085x']),
    );
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toMatchObject({
      code: 'invalid_request',
      message:
        'the Authorization header contains a control character (U+0085 at position 11); send printable text',
      issues: [expect.objectContaining({ field: 'Authorization' })],
    });
  });

  it('a malformed request line is a 400 in our error shape', async () => {
    const r = await exchange(port, request(['GET /a\u0000b HTTP/1.1', 'Host: x']));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toEqual({
      code: 'bad_request',
      message: expect.stringMatching(/^the request is not valid HTTP\/1\.1 \(HPE_INVALID_URL/),
    });
  });

  it('the service still answers', async () => {
    const r = await exchange(port, request(['GET /health HTTP/1.1', 'Host: x']));
    expect(r.status).toBe(200);
  });
});
