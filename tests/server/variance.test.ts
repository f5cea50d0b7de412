import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost, shapeOf, VARIANCE_STATES } from '../../server/compute/cost.ts';
import { forecastVarianceSchema } from '../../server/http/schemas/variance.ts';
import { previousQuarter } from '../../server/services/forecasts/variance.ts';
import { readXlsx } from '../templates/xlsx-reader.ts';
import { backends, bearer, buildTestApp, fixture, type TestApp } from './helper.ts';
import { runCli } from './process.ts';

const tinyAssumptions = JSON.parse(fixture('fixtures/tiny/assumptions.json').toString('utf8'));
const tinyPrices = fixture('fixtures/tiny/prices.csv');
// The same sheet with Acme's chat at 8 USD instead of 10.
const cheaperChat = Buffer.from(
  tinyPrices.toString('utf8').replace('acme-chat,1M tokens,10,USD', 'acme-chat,1M tokens,8,USD'),
);

// Hand-worked (fixtures/tiny/EXPECTED.md gives the old side): default scenarios, on time.
// Old (2026-Q3): chat 2 837.08728 + store 70.927182 = 2 908.014462 → 2 908.01
// New (2026-Q4): chat at 8 USD instead of 10, 1 USD = 1 EUR instead of 0.9.
//   price: chat × 8/10 = 2 269.669824; total 2 340.597006 → 2 340.60; effect 2 340.60 − 2 908.01 = −567.41
//   fx:    everything ÷ 0.9: 2 340.597006 / 0.9 = 2 600.66334 → 2 600.66; effect +260.06
//   change 2 600.66 − 2 908.01 = −307.35 = −567.41 + 260.06
describe.each(backends)('GET /v1/forecasts/:id/variance on $name', (backend) => {
  let t: TestApp;
  let oldId: string;
  let newId: string;

  const get = (url: string, key = t.keys.viewer, lang?: string) =>
    t.app.inject({
      method: 'GET',
      url,
      headers: { ...bearer(key), ...(lang ? { 'accept-language': lang } : {}) },
    });

  beforeAll(async () => {
    t = await buildTestApp({ backend });
    const upload = async (quarter: string, body: Buffer) => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/price-sheets?quarter=${quarter}`,
        headers: { ...bearer(t.keys.finance), 'content-type': 'text/csv' },
        payload: body,
      });
      expect(r.statusCode, r.body).toBe(201);
      // Accepted in review by a second person: approvals need no acknowledgement for it.
      const accepted = await t.app.inject({
        method: 'POST',
        url: `/v1/price-sheets/${r.json().id}/review`,
        headers: bearer(t.keys.admin),
        payload: { decision: 'accepted' },
      });
      expect(accepted.statusCode, accepted.body).toBe(201);
      return r.json().id as string;
    };
    const q3 = await upload('2026-Q3', tinyPrices);
    const q4 = await upload('2026-Q4', cheaperChat);
    const create = async (body: Record<string, unknown>) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/forecasts',
        headers: bearer(t.keys.analyst),
        payload: body,
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    oldId = await create({
      assumptions: tinyAssumptions,
      priceSheetIds: [q3],
      asOf: '2026-Q3',
      draws: 0,
    });
    newId = await create({
      assumptions: { ...tinyAssumptions, fx: { USD: '1' } },
      priceSheetIds: [q4],
      asOf: '2026-Q4',
      draws: 0,
    });
  });
  afterAll(() => t?.close());

  it('without an approved forecast the quarter before, says which quarter it looked for and how to name one', async () => {
    const r = await get(`/v1/forecasts/${newId}/variance`);
    expect(r.statusCode).toBe(404);
    expect(r.json().error.message).toBe(
      "no approved forecast for 2026-Q3, the quarter before this forecast's 2026-Q4; name the forecast to compare with: ?against=<forecast id>",
    );
    const fr = await get(`/v1/forecasts/${newId}/variance`, t.keys.viewer, 'fr');
    expect(fr.json().error.message).toContain('aucune prévision approuvée pour 2026-Q3');
  });

  it('bridges against the previous quarter’s approved forecast by default, worked by hand', async () => {
    for (const [action, key] of [
      ['submit', t.keys.analyst],
      ['approve', t.keys.finance],
    ] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/forecasts/${oldId}/${action}`,
        headers: bearer(key),
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const r = await get(`/v1/forecasts/${newId}/variance`);
    expect(r.statusCode, r.body).toBe(200);
    const body = forecastVarianceSchema.parse(r.json());
    expect(body.forecast).toMatchObject({ id: newId, quarter: '2026-Q4' });
    expect(body.against).toMatchObject({
      id: oldId,
      quarter: '2026-Q3',
      status: 'approved',
      chosenBy: 'previous-quarter-approved',
    });
    const onTime = body.variance.scenarios.find((s) => s.id === 'on-time')!;
    expect(onTime.total).toMatchObject({
      old: '2908.01',
      new: '2600.66',
      change: '-307.35',
      effects: {
        removed: '0.00',
        horizon: '0.00',
        volume: '0.00',
        price: '-567.41',
        fx: '260.06',
        scenario: '0.00',
        new: '0.00',
      },
    });
    expect(onTime.total.exact.effects.price).toBe('-567.417456');
    expect(onTime.total.exact.effects.fx).toBe('260.066334');
    expect(body.variance.fxChanges).toEqual([{ currency: 'USD', old: '0.9', new: '1' }]);
    const chat = onTime.workloads.find((w) => w.workloadId === 'chat')!;
    expect(chat.prices.old?.primary).toMatchObject({ nativePrice: '10', unitPrice: '9' });
    expect(chat.prices.new?.primary).toMatchObject({ nativePrice: '8', unitPrice: '8' });
  });

  it('adds the Changes sheet to a workbook downloaded with ?against=, and only then', async () => {
    // After the test above: the 2026-Q3 forecast is approved, the quarter before newId's.
    const plain = await get(`/v1/forecasts/${newId}/workbook`);
    expect(plain.statusCode).toBe(200);
    const names = (b: Uint8Array) => readXlsx(b).then((x) => x.sheets.map((s) => s.name));
    expect(await names(plain.rawPayload)).not.toContain('Changes');
    const withChanges = await get(`/v1/forecasts/${newId}/workbook?against=previous`);
    expect(withChanges.statusCode, withChanges.body.slice(0, 300)).toBe(200);
    const book = await readXlsx(withChanges.rawPayload);
    expect(book.sheets.map((s) => s.name)).toContain('Changes');
    // The hand-worked bridge above, as values on the sheet: 2908.01 → −567.41 + 260.06.
    const values = [...book.sheet('Changes').cells.values()].map((c) => c.value);
    expect(values).toEqual(expect.arrayContaining([2908.01, -567.41, 260.06]));
    // The same by id; an unknown id is a 404 naming it.
    const byId = await get(`/v1/forecasts/${newId}/workbook?against=${oldId}`);
    expect(byId.rawPayload.equals(withChanges.rawPayload)).toBe(true);
    const unknown = randomUUID();
    const missing = await get(`/v1/forecasts/${newId}/workbook?against=${unknown}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain(unknown);
  });

  it('takes ?against=, and says which id it did not find', async () => {
    const r = await get(`/v1/forecasts/${oldId}/variance?against=${newId}`);
    expect(r.statusCode).toBe(200);
    const back = r.json();
    expect(back.against).toMatchObject({ id: newId, chosenBy: 'against' });
    expect(back.variance.scenarios[0].total.change).toBe('307.35');
    const missing = randomUUID();
    const m = await get(`/v1/forecasts/${newId}/variance?against=${missing}`);
    expect(m.statusCode).toBe(404);
    expect(m.json().error.message).toBe(`forecast ${missing} (against) was not found`);
    const none = await get(`/v1/forecasts/${missing}/variance`);
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toBe(`forecast ${missing} was not found`);
    const bad = await get(`/v1/forecasts/${newId}/variance?against=nope`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ field: 'against' });
  });

  it('refuses to bridge two reporting currencies with a 422 saying which', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/forecasts',
      headers: bearer(t.keys.analyst),
      payload: {
        assumptions: { ...tinyAssumptions, reportingCurrency: 'MAD', fx: { USD: '9.65' } },
        asOf: '2026-Q4',
        draws: 0,
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const v = await get(`/v1/forecasts/${r.json().id}/variance?against=${oldId}`);
    expect(v.statusCode).toBe(422);
    expect(v.json().error).toMatchObject({
      code: 'invalid_forecast_input',
      message: 'the two forecasts cannot be bridged',
      issues: [
        expect.objectContaining({
          field: 'reportingCurrency',
          message: expect.stringContaining(
            'the new forecast reports in MAD and the old one in EUR',
          ),
        }),
      ],
    });
  });

  it('the CLI computes the same bridge from the forecasts saved from the service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'costcast-variance-'));
    const save = async (id: string) => {
      const path = join(dir, `${id}.json`);
      writeFileSync(path, (await get(`/v1/forecasts/${id}`)).body);
      return path;
    };
    const [a, b] = [await save(oldId), await save(newId)];
    const api = (await get(`/v1/forecasts/${newId}/variance?against=${oldId}`)).json();
    const json = await runCli({}, 'compare', a, b, '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).scenarios).toEqual(
      // the sheets' names and lines are the stored versions' in both
      api.variance.scenarios,
    );
    const text = await runCli({}, 'compare', a, b, '--locale', 'en');
    expect(text.stdout).toMatch(/price \(unit prices at new quantities\)\s+-567\.41/);
    expect(text.stdout).toMatch(/new total\s+2,600\.66 EUR\s+change -307\.35 EUR \(-10\.6%\)/);
  });
});

describe('the variance bridge’s compute estimate', () => {
  it('counts one exact projection per state of both sides’ workloads, no Monte Carlo', () => {
    const a = { workloads: [1, 2, 3], horizonQuarters: 8 };
    const shape = shapeOf({
      assumptions: { workloads: [1, 2], horizonQuarters: 12 },
      scenarios: null,
      draws: 10_000,
      sensitivity: true,
      varianceFrom: { assumptions: a },
    });
    // 5 workloads × 12 quarters × 2 scenarios × 8 states × 400 units
    expect(shape).toMatchObject({ workloads: 5, quarters: 12, scenarios: 2, draws: 0 });
    expect(VARIANCE_STATES).toBe(8);
    expect(estimateCost(shape).units).toBe(5 * 12 * 2 * 8 * 400);
  });

  it('knows the quarter before', () => {
    expect(previousQuarter('2027-Q1')).toBe('2026-Q4');
    expect(previousQuarter('2026-Q4')).toBe('2026-Q3');
  });
});
