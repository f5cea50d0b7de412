import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, bearer, buildTestApp, type TestApp, uploadBankSheets } from './helper.ts';

/**
 * Issue 16, the assumptions editor's SKU picker: GET /v1/prices lists the prices a forecast
 * "as of" a quarter would use — precedence contract > provider price list > catalogue, then
 * the newest; a version refused in review prices nothing. The numbers are the fixtures'
 * (fixtures/bank-ma/prices) and the two sheets below, read by hand.
 */

// Mistral's list for 2026-Q4, in French Excel CSV: only Large input, cheaper (0,50 → 0,40).
const MISTRAL_Q4 = [
  'ProviderName;SkuId;PricingUnit;ListUnitPrice;PricingCurrency',
  'Mistral;mistral-large-input;1M tokens;0,40;USD',
].join('\r\n');
// OpenAI's public list for 2026-Q4: a provider price list (no contracted price). The 2026-Q3
// sheet is a contract (gpt-4o-input has a ContractedUnitPrice), which outranks it.
const OPENAI_Q4 = [
  'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency',
  'OpenAI,gpt-4o-output,1M tokens,8.00,USD',
  'OpenAI,gpt-4o-input,1M tokens,2.00,USD',
].join('\r\n');

interface Item {
  provider: string;
  skuId: string;
  region: string | null;
  unit: string;
  category: string;
  unitPrice: string;
  currency: string;
  sheetId: string;
  sheetQuarter: string | null;
  sheetKind: string;
}

describe.each(backends)('GET /v1/prices on $name', (backend) => {
  let t: TestApp;
  let salma: string;
  let mistralQ3: string;
  let mistralQ4: string;
  let openaiQ3: string;

  const get = (query: string, key = t.keys.analyst, lang = 'en') =>
    t.app.inject({
      method: 'GET',
      url: `/v1/prices?${query}`,
      headers: { ...bearer(key), 'accept-language': lang },
    });
  const items = async (query: string): Promise<Item[]> => {
    const r = await get(query);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items;
  };
  /** SKU → "price currency/unit @ quarter (kind)", the fields the picker fills from. */
  const brief = (list: Item[]) =>
    Object.fromEntries(
      list.map((i) => [
        `${i.skuId}${i.region ? ` ${i.region}` : ''}`,
        `${i.unitPrice} ${i.currency}/${i.unit} @ ${i.sheetQuarter} (${i.sheetKind})`,
      ]),
    );

  /** Uploads a CSV sheet as finance, for `quarter`; its version id. */
  const upload = async (quarter: string, body: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets?quarter=${quarter}`,
      headers: { ...bearer(t.keys.finance), 'content-type': 'text/csv' },
      payload: body,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };

  beforeAll(async () => {
    t = await buildTestApp({ backend });
    salma = (await t.app.keys.create('Salma', 'finance', null)).key;
    // File-name order: anthropic, aws, google-cloud, google-cloud-vertex, mistral, openai, oracle.
    const ids = await uploadBankSheets(t.app, t.keys.finance);
    mistralQ3 = ids[4] as string;
    openaiQ3 = ids[5] as string;
    mistralQ4 = await upload('2026-Q4', MISTRAL_Q4);
    await upload('2026-Q4', OPENAI_Q4);
  });
  afterAll(() => t?.close());

  it('prices a SKU in two quarters by the newer version, and keeps what it leaves out', async () => {
    const list = await items('asOf=2026-Q4&q=mistral');
    // mistral-large-input: 0,40 in the 2026-Q4 sheet beats 0,50 in 2026-Q3; the other four
    // SKUs are only in 2026-Q3 and keep its prices. Sorted by SKU.
    expect(brief(list)).toEqual({
      'mistral-embed': '0.1 USD/1M tokens @ 2026-Q3 (provider)',
      'mistral-large-input': '0.4 USD/1M tokens @ 2026-Q4 (provider)',
      'mistral-large-output': '1.5 USD/1M tokens @ 2026-Q3 (provider)',
      'mistral-small-input': '0.06 USD/1M tokens @ 2026-Q3 (provider)',
      'mistral-small-output': '0.18 USD/1M tokens @ 2026-Q3 (provider)',
    });
    expect(list.map((i) => i.skuId)).toEqual([
      'mistral-embed',
      'mistral-large-input',
      'mistral-large-output',
      'mistral-small-input',
      'mistral-small-output',
    ]);
    expect(list.find((i) => i.skuId === 'mistral-large-input')?.sheetId).toBe(mistralQ4);
    expect(list.find((i) => i.skuId === 'mistral-embed')?.sheetId).toBe(mistralQ3);
    expect(list[0]).toMatchObject({ provider: 'Mistral', region: null, category: 'llm-inference' });
  });

  it('as of the earlier quarter, the earlier version prices it', async () => {
    const list = await items('asOf=2026-Q3&provider=mistral&q=large-input');
    expect(brief(list)).toEqual({
      'mistral-large-input': '0.5 USD/1M tokens @ 2026-Q3 (provider)',
    });
  });

  it('a contract outranks a newer provider price list; the contracted price is the price', async () => {
    const list = await items('asOf=2026-Q4&provider=OpenAI&q=gpt-4o-');
    // The 2026-Q3 contract lists both SKUs: gpt-4o-input at its ContractedUnitPrice 2.25 (list
    // 2.50), gpt-4o-output at 10.00; the 2026-Q4 list's 2.00 and 8.00 are passed over.
    const chosen = brief(
      list.filter((i) => i.skuId === 'gpt-4o-input' || i.skuId === 'gpt-4o-output'),
    );
    expect(chosen).toEqual({
      'gpt-4o-input': '2.25 USD/1M tokens @ 2026-Q3 (contract)',
      'gpt-4o-output': '10 USD/1M tokens @ 2026-Q3 (contract)',
    });
    expect(list.every((i) => i.sheetId === openaiQ3)).toBe(true);
  });

  it('lists each region of a SKU with its own price, unit and category', async () => {
    const list = await items('asOf=2026-Q4&provider=AWS&q=datatransfer');
    // aws-2024Q3.csv: 0.114 Tokyo, 0.1093 Mumbai, 0.09 Frankfurt and London, per GB.
    expect(brief(list)).toEqual({
      'DataTransfer-Out-Internet-First10TB ap-northeast-1': '0.114 USD/GB @ 2024-Q3 (provider)',
      'DataTransfer-Out-Internet-First10TB ap-south-1': '0.1093 USD/GB @ 2024-Q3 (provider)',
      'DataTransfer-Out-Internet-First10TB eu-central-1': '0.09 USD/GB @ 2024-Q3 (provider)',
      'DataTransfer-Out-Internet-First10TB eu-west-2': '0.09 USD/GB @ 2024-Q3 (provider)',
    });
    expect(new Set(list.map((i) => i.category))).toEqual(new Set(['network']));
  });

  it('only sheets of the quarter or before price: as of 2024-Q2, Oracle alone', async () => {
    const list = await items('asOf=2024-Q2');
    expect(new Set(list.map((i) => i.provider))).toEqual(new Set(['Oracle']));
    // B98415: list 10,00, contracted 8,50 (oracle-2024Q1.csv, French CSV).
    expect(brief(list)['B98415']).toBe('8.5 USD/GPU-Hour @ 2024-Q1 (contract)');
  });

  it('searches SKU ids and providers in any case, and bounds the answer', async () => {
    const r = await get('asOf=2026-Q4&q=MISTRAL&limit=2');
    expect(r.json()).toMatchObject({ asOf: '2026-Q4', total: 5, limit: 2, ambiguous: 0 });
    expect(r.json().items.map((i: Item) => i.skuId)).toEqual([
      'mistral-embed',
      'mistral-large-input',
    ]);
    // "embed" is in mistral-embed and OpenAI's text-embedding-3-small and -large.
    expect((await items('asOf=2026-Q4&q=embed')).map((i) => i.skuId)).toEqual([
      'mistral-embed',
      'text-embedding-3-large',
      'text-embedding-3-small',
    ]);
    expect((await get('asOf=2026-Q4')).json().limit).toBe(50);
  });

  it('skips a version refused in review: the next newest prices again', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets/${mistralQ4}/review`,
      headers: bearer(salma),
      payload: { decision: 'refused', note: 'not Mistral’s published price' },
    });
    expect(refused.statusCode, refused.body).toBe(201);
    const list = await items('asOf=2026-Q4&q=mistral-large');
    expect(brief(list)).toEqual({
      'mistral-large-input': '0.5 USD/1M tokens @ 2026-Q3 (provider)',
      'mistral-large-output': '1.5 USD/1M tokens @ 2026-Q3 (provider)',
    });
  });

  it('refuses a bad quarter or limit, in English and French, and viewers', async () => {
    const en = await get('asOf=2026-Q5&limit=501');
    expect(en.statusCode).toBe(400);
    const enBody = en.json().error;
    expect(enBody.code).toBe('invalid_request');
    const fr = await get('asOf=2026-Q5&limit=501', t.keys.analyst, 'fr');
    expect(fr.statusCode).toBe(400);
    const frBody = fr.json().error;
    expect(frBody.issues.map((i: { field: string }) => i.field).sort()).toEqual(['asOf', 'limit']);
    expect(frBody.message).not.toBe(enBody.message);
    expect((await get('asOf=2026-Q4', t.keys.viewer)).statusCode).toBe(403);
  });

  it('leaves out a SKU with two prices of one kind, and counts it as ambiguous', async () => {
    // Atlas's list for 2027-Q1 prices its GPU hour twice (2.00 and 2.50 EUR): a forecast could
    // not tell which, so it prices nothing; the storage row is listed. (2027-Q1 keeps the
    // other tests' quarters as they were.)
    await upload(
      '2027-Q1',
      [
        'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency',
        'Atlas,atlas-gpu-hour,1 hour,2.00,EUR',
        'Atlas,atlas-gpu-hour,1 hour,2.50,EUR',
        'Atlas,atlas-storage,GB-Month,0.02,EUR',
      ].join('\r\n'),
    );
    const answer = (await get('asOf=2027-Q1&q=atlas')).json();
    expect(answer).toMatchObject({ total: 1, ambiguous: 1 });
    expect(answer.items.map((i: Item) => i.skuId)).toEqual(['atlas-storage']);
  });

  it('is in the OpenAPI document, its query and answer from the zod schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/v1/prices'].get;
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'asOf',
      'limit',
      'provider',
      'q',
    ]);
    const item = op.responses['200'].content['application/json'].schema.properties.items.items;
    expect(Object.keys(item.properties)).toEqual(
      expect.arrayContaining(['provider', 'skuId', 'region', 'unit', 'unitPrice', 'sheetQuarter']),
    );
  });
});
