import { readdirSync } from 'node:fs';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumptionsSchema } from '../../models/assumptions.ts';
import { forecast } from '../../models/forecast.ts';
import type { ForecastJson } from '../../models/forecast-json.ts';
import { forecastJsonSchema } from '../../models/forecast-json.ts';
import { forecastAsOfQuarter } from '../../models/freshness.ts';
import { scenariosFileSchema } from '../../models/scenarios.ts';
import { variance } from '../../models/variance.ts';
import { loadInputs } from '../../server/cli/load-inputs.ts';
import { readXlsx } from '../templates/xlsx-reader.ts';
import { backends, bearer, buildTestApp, fixture, repoPath, type TestApp } from './helper.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const json = (path: string) => JSON.parse(fixture(path).toString('utf8'));
const bankAssumptions = json('fixtures/bank-ma/assumptions.json');
const bankScenarios = json('fixtures/bank-ma/scenarios.json');
const tinyAssumptions = json('fixtures/tiny/assumptions.json');
const PRICE_FILES = readdirSync(repoPath('fixtures/bank-ma/prices')).sort();

/** The engine's forecast of bank-ma computed from the files, as the CLI computes it. */
async function engineForecast(
  draws: number,
  sensitivity = true,
  asOfQuarter?: string | null,
): Promise<ForecastJson> {
  const inputs = await loadInputs({
    assumptions: repoPath('fixtures/bank-ma/assumptions.json'),
    scenarios: repoPath('fixtures/bank-ma/scenarios.json'),
    prices: PRICE_FILES.map((f) => repoPath(`fixtures/bank-ma/prices/${f}`)),
  });
  if (!inputs.ok) throw new Error(JSON.stringify(inputs.issues));
  const f = forecast(inputs.value.assumptions, inputs.value.sheets, {
    draws,
    sensitivity,
    ...(asOfQuarter ? { asOfQuarter } : {}),
    ...(inputs.value.scenarios ? { scenarios: inputs.value.scenarios } : {}),
  });
  if (!f.ok) throw new Error(JSON.stringify(f.issues));
  return f.value.json;
}

/**
 * Everything but where each price came from (file path for the CLI, version name here) and the
 * warnings: stored versions have an as-of quarter, files do not, so only the service can tell
 * an old price from a newer sheet of the same provider.
 */
const comparable = (j: ForecastJson) => ({
  ...j,
  prices: j.prices.map(({ sheet: _, ...p }) => p),
  priceSheets: j.priceSheets.map(({ id: _, name: __, ...s }) => s),
  workloadPrices: j.workloadPrices.map((w) => ({
    ...w,
    primary: { ...w.primary, sheetId: undefined, sheet: undefined },
    fallback: w.fallback && { ...w.fallback, sheetId: undefined, sheet: undefined },
  })),
  warnings: undefined,
});

/** bank-ma's two Google Cloud sheets: GPU and storage as of 2024-Q4, Vertex AI as of 2026-Q3. */
const BANK_STALE_WARNINGS = [
  'workload "fine-tuning": SKU "a3-highgpu-1g" of Google Cloud is priced from google-cloud-2024Q4.json (as of 2024-Q4); the newer google-cloud-vertex-2026Q3.json (as of 2026-Q3) has Google Cloud prices but not this SKU',
  'workload "object-storage": SKU "gcs-standard-storage" of Google Cloud is priced from google-cloud-2024Q4.json (as of 2024-Q4); the newer google-cloud-vertex-2026Q3.json (as of 2026-Q3) has Google Cloud prices but not this SKU',
];

/**
 * The tiny sample under providers of its own (`Tag`Acme, `Tag`Backup, SKUs acme`tag`-…), so
 * that the versions other tests upload to the shared database do not compete with its prices.
 */
function tinyAs(tag: string) {
  const Tag = tag.charAt(0).toUpperCase() + tag.slice(1);
  const renameSku = (sku: string) => sku.replace('acme-', `acme${tag}-`);
  const renameProvider = (p: string) =>
    p.replace(/^Acme$/, `${Tag}Acme`).replace(/^Backup$/, `${Tag}Backup`);
  const csv = fixture('fixtures/tiny/prices.csv')
    .toString('utf8')
    .replace(/acme-/g, `acme${tag}-`)
    .replace(/Acme/g, `${Tag}Acme`)
    .replace(/Backup/g, `${Tag}Backup`);
  const assumptions = structuredClone(tinyAssumptions);
  assumptions.providers = [
    { name: `${Tag}Acme`, jurisdiction: 'US' },
    { name: `${Tag}Backup`, jurisdiction: 'FR' },
  ];
  for (const w of assumptions.workloads) {
    w.provider = renameProvider(w.provider);
    w.skuId = renameSku(w.skuId);
    if (w.fallback) {
      w.fallback.provider = renameProvider(w.fallback.provider);
      w.fallback.skuId = renameSku(w.fallback.skuId);
    }
  }
  return { csv, assumptions };
}

describe.each(backends)('assumptions, forecasts and what-if on $name', (backend) => {
  let t: TestApp;
  let bankSheets: string[];
  const post = (url: string, payload: unknown, key: string) =>
    t.app.inject({ method: 'POST', url, headers: bearer(key), payload: payload as object });
  const get = (url: string, key: string) =>
    t.app.inject({ method: 'GET', url, headers: bearer(key) });
  const upload = async (body: Buffer | string, quarter: string, fileName: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/price-sheets?quarter=${quarter}&fileName=${encodeURIComponent(fileName)}`,
      headers: {
        ...bearer(t.keys.finance),
        'content-type': fileName.endsWith('.json') ? 'application/json' : 'text/csv',
      },
      payload: body,
    });
    expect(r.statusCode, r.body).toBeLessThan(202);
    return r.json().id as string;
  };
  const count = async (table: 'forecasts' | 'assumption_sets' | 'price_sheets' | 'price_rows') =>
    Number(
      (
        await t.store.db
          .selectFrom(table)
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await buildTestApp({ backend });
    bankSheets = [];
    for (const f of PRICE_FILES) {
      const quarter = /(\d{4})Q(\d)/.exec(f)!;
      bankSheets.push(
        await upload(fixture(`fixtures/bank-ma/prices/${f}`), `${quarter[1]}-Q${quarter[2]}`, f),
      );
    }
  });
  afterAll(() => t?.close());

  describe('/v1/assumptions', () => {
    it('stores named sets, each save of a name being its next version', async () => {
      const first = await post('/v1/assumptions', tinyAssumptions, t.keys.analyst);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({
        name: 'Tiny hand-checkable model',
        version: 1,
        createdBy: 'test analyst',
      });
      const second = await post(
        '/v1/assumptions',
        { ...tinyAssumptions, horizonQuarters: 6 },
        t.keys.analyst,
      );
      expect(second.json()).toMatchObject({ name: 'Tiny hand-checkable model', version: 2 });
      const list = await get(
        `/v1/assumptions?name=${encodeURIComponent('Tiny hand-checkable model')}`,
        t.keys.analyst,
      );
      expect(list.json().items.map((s: { version: number }) => s.version)).toEqual([2, 1]);
      const one = await get(`/v1/assumptions/${second.json().id}`, t.keys.analyst);
      expect(one.json().assumptions).toMatchObject({
        horizonQuarters: 6,
        reportingCurrency: 'EUR',
      });
    });

    it('gives concurrent saves of one name consecutive versions', async () => {
      const name = `Concurrent ${backend.name}`;
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          post('/v1/assumptions', { ...tinyAssumptions, name }, t.keys.analyst),
        ),
      );
      expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(answers.map((a) => a.json().version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('validates as the engine does, each issue naming its field', async () => {
      const bad = structuredClone(tinyAssumptions);
      bad.workloads[0].growthPerQuarter = 0.1;
      bad.workloads[1].efficiency = '1.5';
      bad.reportingCurrency = 'euro';
      const before = await count('assumption_sets');
      const r = await post('/v1/assumptions', bad, t.keys.analyst);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('invalid_request');
      expect(
        r
          .json()
          .error.issues.map((i: { field: string }) => i.field)
          .sort(),
      ).toEqual(['reportingCurrency', 'workloads.0.growthPerQuarter', 'workloads.1.efficiency']);
      expect(await count('assumption_sets')).toBe(before);
    });
  });

  describe('POST /v1/forecasts', () => {
    let created: {
      id: string;
      forecast: ForecastJson;
      generatedAt: string;
      createdAt: string;
      quarter: string;
    };

    it('computes bank-ma exactly as the engine does from the files', async () => {
      const r = await post(
        '/v1/forecasts',
        {
          assumptions: bankAssumptions,
          priceSheetIds: bankSheets,
          scenarios: bankScenarios,
          draws: 2000,
        },
        t.keys.analyst,
      );
      expect(r.statusCode, r.body).toBe(201);
      created = r.json();
      // Without asOf, the forecast is as of the quarter it was generated in.
      const quarter = forecastAsOfQuarter(undefined, new Date(r.json().generatedAt));
      expect(r.json()).toMatchObject({
        name: 'Banque Atlas (example) — AI programme',
        quarter,
        staleAfterQuarters: 1,
        status: 'draft',
        currency: 'MAD',
        draws: 2000,
        assumptionsId: null,
        createdBy: 'test analyst',
      });
      // fixtures/README.md, computed independently in Python.
      expect(r.json().totals).toEqual([
        { scenarioId: 'on-time', name: 'Build-out on time', total: '1549133.93' },
        { scenarioId: 'delayed', name: 'Build-out delayed', total: '2084827.20' },
        { scenarioId: 'provider-rupture', name: expect.any(String), total: '1264477.46' },
      ]);
      expect(r.json().forecast.asOfQuarter).toBe(quarter);
      const engine = await engineForecast(2000, true, quarter);
      expect(comparable(r.json().forecast)).toEqual(comparable(engine));
      expect(engine.warnings).toEqual([]);
      expect(r.json().forecast.warnings).toEqual(BANK_STALE_WARNINGS);
    });

    it('is stored with its pinned inputs, listed, and read back identical', async () => {
      const one = await get(`/v1/forecasts/${created.id}`, t.keys.viewer);
      expect(one.statusCode).toBe(200);
      expect(one.json().forecast).toEqual(created.forecast);
      // The scenarios as validated (defaults filled in), the assumptions likewise.
      expect(one.json().inputs.scenarios).toEqual(scenariosFileSchema.parse(bankScenarios));
      expect(one.json().inputs.assumptions).toEqual(assumptionsSchema.parse(bankAssumptions));
      expect(one.json().priceSheets.map((s: { id: string }) => s.id)).toEqual(bankSheets);
      const list = await get(`/v1/forecasts?quarter=${created.quarter}`, t.keys.analyst);
      expect(list.json().items.map((f: { id: string }) => f.id)).toContain(created.id);
      // Issue 15: a viewer's list holds the approved forecasts unless it asks for others.
      const ids = async (url: string) =>
        (await get(url, t.keys.viewer)).json().items.map((f: { id: string }) => f.id);
      expect(await ids(`/v1/forecasts?quarter=${created.quarter}`)).not.toContain(created.id);
      expect(await ids(`/v1/forecasts?quarter=${created.quarter}&status=all`)).toContain(
        created.id,
      );
      expect(await ids(`/v1/forecasts?quarter=${created.quarter}&status=draft`)).toContain(
        created.id,
      );
      const none = await get('/v1/forecasts?quarter=2019-Q1', t.keys.viewer);
      expect(none.json()).toMatchObject({ items: [], total: 0 });
    });

    it('downloads the workbook named after the forecast and quarter, the same bytes every time', async () => {
      const a = await get(`/v1/forecasts/${created.id}/workbook`, t.keys.viewer);
      expect(a.statusCode, a.body.slice(0, 300)).toBe(200);
      expect(a.headers['content-type']).toBe(XLSX);
      expect(a.headers['content-disposition']).toMatch(
        new RegExp(
          `^attachment; filename="costcast-banque-atlas-example-ai-programme-${created.quarter}-draft\\.xlsx"; filename\\*=UTF-8''Banque%20Atlas`,
        ),
      );
      const b = await get(`/v1/forecasts/${created.id}/workbook`, t.keys.viewer);
      expect(b.rawPayload.equals(a.rawPayload)).toBe(true);
      const zip = await JSZip.loadAsync(a.rawPayload);
      expect(Object.keys(zip.files)).toContain('xl/workbook.xml');
      const fr = await get(`/v1/forecasts/${created.id}/workbook?locale=fr`, t.keys.viewer);
      expect(fr.statusCode).toBe(200);
      expect(fr.rawPayload.equals(a.rawPayload)).toBe(false);
    });

    it('renders the workbook with a Changes sheet when given a variance, and without one as downloaded', async () => {
      const inputs = await loadInputs({
        assumptions: repoPath('fixtures/bank-ma/assumptions.json'),
        scenarios: repoPath('fixtures/bank-ma/scenarios.json'),
        prices: PRICE_FILES.map((f) => repoPath(`fixtures/bank-ma/prices/${f}`)),
      });
      if (!inputs.ok) throw new Error(JSON.stringify(inputs.issues));
      const now = { ...inputs.value, scenarios: inputs.value.scenarios ?? undefined };
      // The earlier forecast: the first workload at half its quantity.
      const earlier = {
        ...now,
        assumptions: {
          ...now.assumptions,
          workloads: now.assumptions.workloads.map((w, i) =>
            i === 0 ? { ...w, baseQuantity: String(Number(w.baseQuantity) / 2) } : w,
          ),
        },
      };
      const v = variance(earlier, now);
      if (!v.ok) throw new Error(JSON.stringify(v.issues));
      const plain = await t.app.forecasts.workbook(created.id, 'en');
      const withChanges = await t.app.forecasts.workbook(created.id, 'en', undefined, {
        variance: v.value,
      });
      if (!plain.ok || !withChanges.ok) throw new Error('no workbook');
      const download = await get(`/v1/forecasts/${created.id}/workbook`, t.keys.viewer);
      expect(plain.value.bytes.equals(download.rawPayload)).toBe(true);
      expect((await readXlsx(plain.value.bytes)).sheets.map((x) => x.name)).not.toContain(
        'Changes',
      );
      const book = await readXlsx(withChanges.value.bytes);
      expect(book.sheets.map((x) => x.name).slice(0, 2)).toEqual(['Summary', 'Changes']);
      // The volume effect alone moved the total: each scenario's check is 0.
      const checks = [...book.sheet('Changes').cells.values()].filter(
        (c) => c.formula?.startsWith('ROUND(B') && c.formula.includes('+SUM('),
      );
      expect(checks.map((c) => c.value)).toEqual(v.value.scenarios.map(() => 0));
    });

    it('uses a stored assumption set by id, and Monte Carlo defaults to 10 000 draws', async () => {
      const set = await post('/v1/assumptions', tinyAssumptions, t.keys.analyst);
      const tiny = await upload(fixture('fixtures/tiny/prices.csv'), '2026-Q4', 'tiny.csv');
      const r = await post(
        '/v1/forecasts',
        { assumptionsId: set.json().id, priceSheetIds: [tiny] },
        t.keys.analyst,
      );
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({
        assumptionsId: set.json().id,
        draws: 10_000,
        quarter: forecastAsOfQuarter(undefined, new Date(r.json().generatedAt)),
      });
      // fixtures/tiny/EXPECTED.md, worked out term by term.
      expect(r.json().totals.map((x: { total: string }) => x.total)).toEqual([
        '2908.01',
        '4181.65',
      ]);
    });

    it('"as of" a quarter prices each SKU at its newest version uploaded by then', async () => {
      const { csv, assumptions } = tinyAs('asof');
      // Q1: Acme and Backup; Q2: a new Backup price only (12 → 24 USD); Q3: another Acme price.
      const q1 = await upload(csv, '2030-Q1', 'asof-q1.csv');
      const backupOnly = csv
        .split(/\r?\n/)
        .filter((l, i) => i === 0 || l.startsWith('AsofBackup'))
        .join('\r\n')
        .replace(',12,', ',24,');
      const q2 = await upload(backupOnly, '2030-Q2', 'asof-q2.csv');
      await upload(csv.replace(',10,', ',20,'), '2030-Q4', 'asof-q4.csv');
      const asOfQ1 = await post(
        '/v1/forecasts',
        { assumptions, asOf: '2030-Q1', draws: 0 },
        t.keys.analyst,
      );
      expect(asOfQ1.statusCode, asOfQ1.body).toBe(201);
      expect(asOfQ1.json().quarter).toBe('2030-Q1');
      // The Q1 sheet holds the tiny prices: EXPECTED.md's totals.
      expect(asOfQ1.json().totals.map((x: { total: string }) => x.total)).toEqual([
        '2908.01',
        '4181.65',
      ]);
      const asOfQ3 = await post(
        '/v1/forecasts',
        { assumptions, asOf: '2030-Q3', draws: 0 },
        t.keys.analyst,
      );
      expect(asOfQ3.statusCode, asOfQ3.body).toBe(201);
      // Newest first: Backup from Q2, and from Q1 only Acme (its Backup rows are superseded).
      expect(asOfQ3.json().priceSheets).toEqual([
        { id: q2, providers: null },
        { id: q1, providers: ['AsofAcme'] },
      ]);
      expect(asOfQ3.json().priceSelection).toBe('latest');
      // On time nothing spills to the fallback, so only the delayed total moves.
      const [onTime, delayed] = asOfQ3.json().totals.map((x: { total: string }) => x.total);
      expect(onTime).toBe('2908.01');
      expect(delayed).not.toBe('4181.65');
    });

    it('"as of" keeps a provider\'s prices split across sheets, and warns of a price a newer sheet leaves out', async () => {
      const { csv, assumptions } = tinyAs('split');
      const lines = csv.split(/\r?\n/);
      // Q1: the whole tiny sheet. Q2: only the chat SKU, at 15 USD instead of 10.
      const q1 = await upload(csv, '2031-Q1', 'split-q1.csv');
      const chatAt15 = [lines[0], lines.find((l) => l.startsWith('SplitAcme,acmesplit-chat'))]
        .join('\n')
        .replace(',10,USD', ',15,USD');
      const q2 = await upload(chatAt15, '2031-Q2', 'split-q2.csv');
      const asOf = await post(
        '/v1/forecasts',
        { assumptions, asOf: '2031-Q2', draws: 0 },
        t.keys.analyst,
      );
      expect(asOf.statusCode, asOf.body).toBe(201);
      expect(asOf.json().priceSheets).toEqual([
        { id: q2, providers: null },
        { id: q1, providers: null },
      ]);
      const prices = asOf.json().forecast.prices as { skuId: string; listUnitPrice: string }[];
      expect(prices.find((p) => p.skuId === 'acmesplit-chat')?.listUnitPrice).toBe('15');
      expect(prices.find((p) => p.skuId === 'acmesplit-store')?.listUnitPrice).toBe('0.02');
      expect(asOf.json().forecast.warnings).toContainEqual(
        expect.stringMatching(
          /"acmesplit-store" of SplitAcme is priced from split-q1\.csv \(as of 2031-Q1\); the newer split-q2\.csv/,
        ),
      );
      // The same prices in one sheet, named explicitly, give the same forecast.
      const merged = await upload(
        lines
          .map((l) =>
            l.startsWith('SplitAcme,acmesplit-chat') ? l.replace(',10,USD', ',15,USD') : l,
          )
          .join('\n'),
        '2031-Q3',
        'split-merged.csv',
      );
      const listed = await post(
        '/v1/forecasts',
        { assumptions, priceSheetIds: [merged], draws: 0 },
        t.keys.analyst,
      );
      expect(listed.statusCode, listed.body).toBe(201);
      expect(listed.json().priceSelection).toBe('listed');
      // The same prices; only where they came from (and so their age) differs.
      const samePrices = (j: ForecastJson) => ({
        ...comparable(j),
        asOfQuarter: undefined,
        priceSheets: undefined,
        workloadPrices: undefined,
      });
      expect(samePrices(asOf.json().forecast)).toEqual(samePrices(listed.json().forecast));
      expect(asOf.json().totals).toEqual(listed.json().totals);
      expect(asOf.json().totals[0].total).not.toBe('2908.01');
      // As of Q3 the merged sheet prices everything: the older versions drop out.
      const asOfQ3 = await post(
        '/v1/forecasts',
        { assumptions, asOf: '2031-Q3', draws: 0 },
        t.keys.analyst,
      );
      expect(asOfQ3.json().priceSheets).toEqual([{ id: merged, providers: null }]);
      expect(asOfQ3.json().forecast.warnings).toEqual([]);
      // A selection of rows is worked out once: the same sources give the same sheet objects.
      const sources = [
        { sheetId: q2, providers: null, latest: true as const },
        { sheetId: q1, providers: null, latest: true as const },
      ];
      const selected = await t.app.priceSheets.load(sources);
      expect(selected.map((s) => s.rows.map((r) => `${r.SkuId} ${r.ListUnitPrice}`))).toEqual([
        ['acmesplit-chat 15'],
        ['backup-chat 12', 'acmesplit-store 0.02'],
      ]);
      expect(await t.app.priceSheets.load(sources)).toBe(selected);
    });

    it('answers 422 with the engine issues when inputs do not fit together', async () => {
      const bad = structuredClone(bankAssumptions);
      bad.workloads[0].skuId = 'gpt-9-input';
      const before = await count('forecasts');
      const r = await post(
        '/v1/forecasts',
        { assumptions: bad, priceSheetIds: bankSheets, draws: 0 },
        t.keys.analyst,
      );
      expect(r.statusCode).toBe(422);
      expect(r.json().error.code).toBe('invalid_forecast_input');
      expect(r.json().error.issues[0]).toMatchObject({
        field: expect.stringContaining('workloads.0'),
        message: expect.stringContaining('gpt-9-input'),
      });
      expect(await count('forecasts')).toBe(before);
    });

    it('answers a schema error and a unit mismatch of another workload in one 400', async () => {
      const bad = structuredClone(bankAssumptions);
      bad.workloads[1].efficiency = '1.5';
      bad.workloads[2].unit = '1K tokens';
      for (const [path, body] of [
        ['/v1/forecasts', { assumptions: bad, priceSheetIds: bankSheets, draws: 0 }],
        ['/v1/what-if', { assumptions: bad, asOf: '2026-Q3' }],
      ] as const) {
        const r = await post(path, body, t.keys.analyst);
        expect(r.statusCode, path).toBe(400);
        expect(r.json().error.code).toBe('invalid_request');
        // workload 2's primary (OpenAI) and fallback (Mistral) SKUs are both per 1M tokens
        expect(r.json().error.issues.map((i: { field: string }) => i.field)).toEqual([
          'assumptions.workloads.1.efficiency',
          'assumptions.workloads.2.unit',
          'assumptions.workloads.2.fallback.skuId',
        ]);
        expect(r.json().error.issueCount).toBe(3);
        expect(r.json().error.issues[1].message).toContain(
          'unit "1K tokens" differs from the PricingUnit "1M tokens" of OpenAI',
        );
      }
    });

    it('answers 404 for unknown inputs and 400 for ambiguous ones', async () => {
      const unknownSheet = await post(
        '/v1/forecasts',
        { assumptions: tinyAssumptions, priceSheetIds: ['00000000-0000-4000-8000-000000000000'] },
        t.keys.analyst,
      );
      expect(unknownSheet.statusCode).toBe(404);
      const unknownSet = await post(
        '/v1/forecasts',
        { assumptionsId: '00000000-0000-4000-8000-000000000000', priceSheetIds: bankSheets },
        t.keys.analyst,
      );
      expect(unknownSet.statusCode).toBe(404);
      const both = await post(
        '/v1/forecasts',
        {
          assumptions: tinyAssumptions,
          assumptionsId: '00000000-0000-4000-8000-000000000000',
          priceSheetIds: bankSheets,
        },
        t.keys.analyst,
      );
      expect(both.statusCode).toBe(400);
      const neither = await post('/v1/forecasts', { assumptions: tinyAssumptions }, t.keys.analyst);
      expect(neither.statusCode).toBe(400);
      expect(neither.json().error.issues[0].field).toBe('priceSheetIds');
    });

    it('moves through review: analyst submits, finance approves or rejects', async () => {
      const id = created.id;
      // The forecast's quarter (2026-Q4 as this is written), in English and French forms.
      const q = created.quarter;
      const act = (action: string, key: string, body?: object, on = id) =>
        post(`/v1/forecasts/${on}/${action}`, body, key);
      /** The download: its file name, the Summary's as-of line, banner and note, About's text. */
      const download = async (locale: 'en' | 'fr', of = id) => {
        const r = await get(`/v1/forecasts/${of}/workbook?locale=${locale}`, t.keys.viewer);
        expect(r.statusCode).toBe(200);
        const book = await readXlsx(r.rawPayload);
        const summary = book.sheets[0]!;
        const text = (ref: string) => summary.cells.get(ref)?.value;
        return {
          bytes: r.rawPayload,
          file: /filename="([^"]+)"/.exec(String(r.headers['content-disposition']))![1],
          asOf: text('B3'),
          banner: text('B4'),
          note: text('B5'),
          about: [...book.sheets.at(-1)!.cells.values()].map((c) => c.value),
        };
      };
      /** A time as the workbook writes it: the ISO date and minutes, in UTC. */
      const at = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
      const draft = await download('en');
      expect(draft.file).toBe(`costcast-banque-atlas-example-ai-programme-${q}-draft.xlsx`);
      // The quarter of the file name is the one the Summary says the forecast is as of.
      expect(draft.asOf).toMatch(new RegExp(`^Forecast as of ${q} · `));
      expect(draft.banner).toBe(
        `DRAFT — not submitted for review (created by test analyst on ${at(created.createdAt)})`,
      );
      expect(draft.about).toContain('Draft');
      expect((await act('approve', t.keys.finance)).statusCode).toBe(409);
      const submitted = await act('submit', t.keys.analyst);
      // Issue 15: submitting is recorded as the submission, not as a review.
      expect(submitted.json()).toMatchObject({
        status: 'in_review',
        reviewedBy: null,
        reviewedAt: null,
        submittedBy: 'test analyst',
      });
      const inReview = await download('en');
      expect(inReview.file).toMatch(new RegExp(`-${q}-in-review\\.xlsx$`));
      expect(inReview.banner).toBe(
        `IN REVIEW — submitted by test analyst on ${at(submitted.json().submittedAt)}; not approved yet`,
      );
      const rejected = await act('reject', t.keys.finance, { note: 'FX rates are last quarter’s' });
      expect(rejected.json()).toMatchObject({
        status: 'rejected',
        reviewNote: 'FX rates are last quarter’s',
        reviewedBy: 'test finance',
        submittedBy: 'test analyst',
      });
      const rejectedFr = await download('fr');
      expect(rejectedFr.file).toBe(
        `costcast-banque-atlas-example-ai-programme-T${q[6]}-${q.slice(0, 4)}-rejetee.xlsx`,
      );
      expect(rejectedFr.asOf).toMatch(new RegExp(`^Prévision au T${q[6]} ${q.slice(0, 4)} · `));
      expect(rejectedFr.banner).toBe(
        `REJETÉE par test finance le ${at(rejected.json().reviewedAt)}`,
      );
      expect(rejectedFr.note).toBe('Note : FX rates are last quarter’s');
      expect(rejectedFr.about).toEqual(
        expect.arrayContaining([
          'Rejetée',
          `par test analyst le ${at(created.createdAt)}`,
          `par test finance le ${at(rejected.json().reviewedAt)}`,
          'FX rates are last quarter’s',
        ]),
      );
      // Issue 15: a rejected forecast is no longer submitted again (which overwrote the
      // rejection); it is revised into a new draft linked to it, and that one is reviewed.
      const resubmit = await act('submit', t.keys.analyst);
      expect(resubmit.statusCode).toBe(409);
      expect(resubmit.json().error.message).toBe(
        `cannot submit a forecast that is rejected (only from draft); revise it into a new draft: POST /v1/forecasts/${id}/revise`,
      );
      const revision = await act('revise', t.keys.analyst, { note: 'same inputs, for the test' });
      expect(revision.statusCode, revision.body).toBe(201);
      const rid = revision.json().id;
      expect(revision.json()).toMatchObject({ status: 'draft', revises: id, quarter: q });
      expect(revision.json().forecast.scenarios).toEqual(created.forecast.scenarios);
      expect((await act('submit', t.keys.analyst, undefined, rid)).json().status).toBe('in_review');
      // Its price sheets were stale for it (BANK_STALE_WARNINGS): approving needs a reason.
      const plain = await act('approve', t.keys.finance, undefined, rid);
      expect(plain.statusCode).toBe(409);
      expect(plain.json().error.code).toBe('acknowledgement_required');
      const approved = await act(
        'approve',
        t.keys.finance,
        { acknowledge: { reason: 'the older sheets are the contract prices' } },
        rid,
      );
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved', reviewedBy: 'test finance' });
      const approvedBook = await download('en', rid);
      expect(approvedBook.file).toBe(
        `costcast-banque-atlas-example-ai-programme-${q}-approved.xlsx`,
      );
      expect(approvedBook.banner).toBe(
        `APPROVED by test finance on ${at(approved.json().reviewedAt)}`,
      );
      // The status is part of what is rendered: the same status gives the same bytes, another
      // status other bytes.
      expect((await download('en', rid)).bytes.equals(approvedBook.bytes)).toBe(true);
      expect(approvedBook.bytes.equals(draft.bytes)).toBe(false);
      const again = await act('approve', t.keys.admin, undefined, rid);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toMatch(/approved/);
      const approvedList = await get('/v1/forecasts?status=approved', t.keys.viewer);
      expect(approvedList.json().items.map((f: { id: string }) => f.id)).toEqual([rid]);
      const original = await get(`/v1/forecasts/${id}`, t.keys.viewer);
      expect(original.json()).toMatchObject({ status: 'rejected', revisedBy: rid });
    });
  });

  describe('POST /v1/what-if', () => {
    it('answers the forecast JSON of the same body and stores nothing', async () => {
      const tables = ['forecasts', 'assumption_sets', 'price_sheets', 'price_rows'] as const;
      const before = await Promise.all(tables.map(count));
      const body = {
        assumptions: bankAssumptions,
        priceSheetIds: bankSheets,
        scenarios: bankScenarios,
      };
      const r = await post('/v1/what-if', body, t.keys.analyst);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().monteCarlo).toMatchObject({ draws: 0, scenarios: [] });
      expect(r.json().sensitivity).toMatchObject({ tornado: [], grid: [] });
      // sent without re-validation (server/http/validation.ts): the shape is checked here
      expect(forecastJsonSchema.safeParse(r.json()).success).toBe(true);
      expect(comparable(r.json())).toEqual(
        comparable(await engineForecast(0, false, r.json().asOfQuarter)),
      );
      expect(await Promise.all(tables.map(count))).toEqual(before);
    });

    it('adds the tornado and the grid when asked, equal to the engine', async () => {
      const body = {
        assumptions: bankAssumptions,
        priceSheetIds: bankSheets,
        scenarios: bankScenarios,
        sensitivity: true,
      };
      const r = await post('/v1/what-if', body, t.keys.analyst);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().sensitivity.grid).toHaveLength(3);
      expect(comparable(r.json())).toEqual(
        comparable(await engineForecast(0, true, r.json().asOfQuarter)),
      );
    });

    it('changes with a driver: the fast loop of an analyst', async () => {
      const slower = structuredClone(bankAssumptions);
      for (const w of slower.workloads) w.growthPerQuarter = '0';
      const r = await post(
        '/v1/what-if',
        { assumptions: slower, priceSheetIds: bankSheets },
        t.keys.analyst,
      );
      expect(r.statusCode).toBe(200);
      const base = await post(
        '/v1/what-if',
        { assumptions: bankAssumptions, priceSheetIds: bankSheets },
        t.keys.analyst,
      );
      expect(Number(r.json().scenarios[0].total)).toBeLessThan(
        Number(base.json().scenarios[0].total),
      );
    });
  });
});
