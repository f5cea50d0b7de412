import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForecastJson } from '../../models/forecast-json.ts';
import { forecastJsonSchema } from '../../models/forecast-json.ts';
import { Decimal, money } from '../../models/money.ts';
import { readXlsx } from '../templates/xlsx-reader.ts';
import {
  backends,
  bearer,
  buildTestApp,
  fixture,
  repoPath,
  type TestApp,
  uploadBankSheets,
} from './helper.ts';

/*
 * The what-if's `adjust` (models/adjust.ts) through the API: × every workload's growth and
 * efficiency, checked against the independent Python engine (tests/reference/reference.py,
 * which applies the multipliers itself in Python decimals) and against a what-if on
 * assumptions edited by hand; a stored forecast pins the adjusted assumptions and says so.
 */
const json = (path: string) => JSON.parse(fixture(path).toString('utf8'));
const bankAssumptions = json('fixtures/bank-ma/assumptions.json');
const bankScenarios = json('fixtures/bank-ma/scenarios.json');
const FR = { 'accept-language': 'fr-FR,fr;q=0.9' };

/** The Python reference's totals of the bank sample, with its multipliers, rounded to cents. */
function reference(growth: string, efficiency: string): Record<string, string> {
  const out = JSON.parse(
    execFileSync(
      'python3',
      [
        repoPath('tests/reference/reference.py'),
        repoPath('fixtures/bank-ma'),
        '--growth',
        growth,
        '--efficiency',
        efficiency,
      ],
      { encoding: 'utf8' },
    ),
  ) as Record<string, { total: string }>;
  return Object.fromEntries(
    Object.entries(out).map(([id, s]) => [id, money(new Decimal(s.total))]),
  );
}

/**
 * The bank sample's workloads with growth × 1.2 and efficiency × 0.8, typed by hand:
 * growth 0.12 → 0.144, 0.10 → 0.12, 0.05 → 0.06, 0.08 → 0.096, 0.06 → 0.072;
 * efficiency 0.25 → 0.2, 0.20 → 0.16, 0.10 → 0.08, 0.15 → 0.12.
 */
const HAND_EDITED: Record<string, [string, string]> = {
  'chatbot-input': ['0.144', '0.2'],
  'chatbot-output': ['0.144', '0.16'],
  routing: ['0.12', '0.08'],
  embeddings: ['0.06', '0.08'],
  'batch-input': ['0.096', '0.12'],
  'batch-output': ['0.096', '0.12'],
  'fine-tuning': ['0.06', '0.08'],
  'object-storage': ['0.072', '0.08'],
  egress: ['0.096', '0.08'],
};
const handEdited = () => {
  const a = structuredClone(bankAssumptions);
  for (const w of a.workloads as { id: string; growthPerQuarter: string; efficiency: string }[]) {
    const [g, e] = HAND_EDITED[w.id]!;
    w.growthPerQuarter = g;
    w.efficiency = e;
  }
  return a;
};

const totals = (f: ForecastJson) => Object.fromEntries(f.scenarios.map((s) => [s.id, s.total]));
const bar = (f: ForecastJson, scenarioId: string, driver: string) =>
  f.sensitivity.tornado.find((b) => b.scenarioId === scenarioId && b.driver === driver)!;

const NOTE =
  "growth × 1.2, efficiency × 0.8 applied as what-if multipliers: each workload's growthPerQuarter and efficiency multiplied before the projection (the assumptions shown are the adjusted ones)";

describe.each(backends)('the what-if adjust on $name', (backend) => {
  let t: TestApp;
  let sheets: string[];
  let setId: string;
  const post = (url: string, payload: unknown, key = t.keys.analyst, headers = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(key), ...headers },
      payload: payload as object,
    });
  const get = (url: string, key = t.keys.analyst) =>
    t.app.inject({ method: 'GET', url, headers: bearer(key) });

  beforeAll(async () => {
    t = await buildTestApp({ backend });
    sheets = await uploadBankSheets(t.app, t.keys.finance);
    const r = await post('/v1/assumptions', bankAssumptions);
    expect(r.statusCode, r.body).toBe(201);
    setId = r.json().id;
  });
  afterAll(() => t?.close());

  const adjust = { growth: '1.2', efficiency: '0.8' };
  const body = (extra: object) => ({
    priceSheetIds: sheets,
    scenarios: bankScenarios,
    sensitivity: true,
    ...extra,
  });

  it('equals the Python reference with the same multipliers, and a what-if edited by hand', async () => {
    const r = await post('/v1/what-if', body({ assumptions: bankAssumptions, adjust }));
    expect(r.statusCode, r.body).toBe(200);
    const f = r.json() as ForecastJson;
    expect(forecastJsonSchema.safeParse(f).success).toBe(true);
    expect(totals(f)).toEqual(reference('1.2', '0.8'));
    // …and, unadjusted, the sample's own totals (README: 1,549,133.93 on time)
    const plain = (await post('/v1/what-if', body({ assumptions: bankAssumptions }))).json();
    expect(totals(plain)).toEqual(reference('1', '1'));
    expect(totals(plain)['on-time']).toBe('1549133.93');

    // The same forecast as the hand-edited assumptions, tornado and grid included; only the
    // record of the adjustment differs.
    const hand = (await post('/v1/what-if', body({ assumptions: handEdited() }))).json();
    const { adjust: recorded, warnings, ...rest } = f;
    const { warnings: handWarnings, ...handRest } = hand as ForecastJson;
    expect(rest).toEqual(handRest);
    expect(recorded).toEqual(adjust);
    expect(warnings).toEqual([...handWarnings, NOTE]);
    expect('adjust' in hand).toBe(false);
  });

  it('moves the tornado accordingly: its growth and efficiency scale the adjusted values', async () => {
    const f = (await post('/v1/what-if', body({ assumptionsId: setId, adjust }))).json();
    // growth high: 1.5 × (1.2 × growth) = 1.8 × growth; efficiency low: 0.5 × 0.8 = 0.4
    const growth = bar(f, 'delayed', 'growth');
    expect(growth).toMatchObject({ low: '0.5', high: '1.5' });
    expect(growth.totalAtHigh).toBe(reference('1.8', '0.8')['delayed']);
    expect(growth.totalAtLow).toBe(reference('0.6', '0.8')['delayed']);
    const efficiency = bar(f, 'on-time', 'efficiency');
    expect(efficiency.totalAtLow).toBe(reference('1.2', '0.4')['on-time']);
    expect(efficiency.totalAtHigh).toBe(reference('1.2', '1.2')['on-time']);
    // unadjusted, the growth bar is another one
    const plain = (await post('/v1/what-if', body({ assumptionsId: setId }))).json();
    expect(bar(plain, 'delayed', 'growth').totalAtHigh).toBe(reference('1.5', '1')['delayed']);
  });

  it('multipliers of 1 change nothing and record nothing', async () => {
    const a = await post('/v1/what-if', body({ assumptionsId: setId, adjust: { growth: '1' } }));
    const b = await post('/v1/what-if', body({ assumptionsId: setId }));
    expect(a.body).toBe(b.body);
  });

  it('refuses an efficiency that reaches 1: 422 naming the workload and the numbers, in English and French', async () => {
    // chatbot-input 0.25 × 4 = 1; the others stay below
    const bad = body({ assumptionsId: setId, adjust: { efficiency: '4' } });
    for (const url of ['/v1/what-if', '/v1/forecasts']) {
      const en = await post(url, bad);
      expect(en.statusCode, en.body).toBe(422);
      expect(en.json().error).toEqual({
        code: 'invalid_forecast_input',
        message: 'the adjustment ("adjust") takes 1 workload out of bounds; lower its multipliers',
        issues: [
          {
            field: 'adjust.efficiency',
            value: '4',
            row: null,
            column: null,
            message: 'workload "chatbot-input": efficiency 0.25 × 4 = 1, must be < 1',
          },
        ],
        issueCount: 1,
      });
      const fr = await post(url, bad, t.keys.analyst, FR);
      expect(fr.statusCode).toBe(422);
      expect(fr.json().error.message).toBe(
        'l’ajustement (« adjust ») sort 1 charge de ses bornes ; réduisez ses multiplicateurs',
      );
      expect(fr.json().error.issues[0].message).toBe(
        'charge « chatbot-input » : efficacité 0.25 × 4 = 1, doit être < 1',
      );
    }
    // A workload growing 2 a quarter (+200 %) × 6 = 12: over the +1 000 % bound
    const one = {
      ...bankAssumptions,
      workloads: [{ ...bankAssumptions.workloads[0], growthPerQuarter: '2' }],
    };
    const tooFast = await post(
      '/v1/what-if',
      { assumptions: one, priceSheetIds: sheets, adjust: { growth: '6' } },
      t.keys.analyst,
      FR,
    );
    expect(tooFast.statusCode, tooFast.body).toBe(422);
    expect(tooFast.json().error.issues).toMatchObject([
      {
        field: 'adjust.growth',
        value: '6',
        message:
          'charge « chatbot-input » : croissance par trimestre (growthPerQuarter) 2 × 6 = 12 : doit être ≤ 10 (reçu 12)',
      },
    ]);
    // × 5 = 10 is the bound itself: computed
    const atBound = await post('/v1/what-if', {
      assumptions: one,
      priceSheetIds: sheets,
      adjust: { growth: '5' },
    });
    expect(atBound.statusCode, atBound.body).toBe(200);
    // a multiplier that is not one: 400 at its field
    const typo = await post(
      '/v1/what-if',
      body({ assumptionsId: setId, adjust: { growth: '-1' } }),
    );
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.issues[0].field).toBe('adjust.growth');
  });

  it('a stored forecast pins the adjusted assumptions, records the adjustment and its workbook says so', async () => {
    const r = await post('/v1/forecasts', {
      assumptionsId: setId,
      priceSheetIds: sheets,
      scenarios: bankScenarios,
      draws: 0,
      adjust,
      name: 'Adjusted',
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id as string;
    // The same inputs typed by hand, stored: the same numbers and the same input hash.
    const h = await post('/v1/forecasts', {
      assumptions: handEdited(),
      priceSheetIds: sheets,
      scenarios: bankScenarios,
      draws: 0,
      name: 'Adjusted',
    });
    expect(h.statusCode, h.body).toBe(201);
    expect(r.json().inputHash).toBe(h.json().inputHash);
    expect(r.json().totals).toEqual(h.json().totals);
    const stored = (await get(`/v1/forecasts/${id}`)).json();
    expect(stored.assumptionsId).toBe(setId);
    expect(
      stored.inputs.assumptions.workloads.map(
        (w: { id: string; growthPerQuarter: string; efficiency: string }) => [
          w.id,
          [w.growthPerQuarter, w.efficiency],
        ],
      ),
    ).toEqual(Object.entries(HAND_EDITED));
    expect(stored.forecast.adjust).toEqual(adjust);
    expect(stored.forecast.warnings).toContain(NOTE);
    expect(totals(stored.forecast)).toEqual(reference('1.2', '0.8'));

    // Its workbook, rendered again from what was pinned: the same JSON (reproduced), the note
    // on the Summary in the workbook's language, the adjusted growth on the Inputs sheet.
    const book = await t.app.forecasts.workbook(id, 'en');
    if (!book.ok) throw new Error(JSON.stringify(book));
    expect(book.value.reproduced).toBe(true);
    const text = async (locale: 'en' | 'fr') => {
      const x = await get(`/v1/forecasts/${id}/workbook?locale=${locale}`);
      expect(x.statusCode).toBe(200);
      const wb = await readXlsx(x.rawPayload);
      return {
        summary: [...wb.sheets[0]!.cells.values()].map((c) => String(c.value ?? '')),
        inputs: wb.sheets.find((s) => /Inputs|Hypothèses/.test(s.name))!,
      };
    };
    const en = await text('en');
    // the Summary's warnings, each a sentence
    expect(en.summary).toContain(`G${NOTE.slice(1)}`);
    const chatbot = [...en.inputs.cells.values()].find((c) => c.value === 'chatbot-input')!;
    const growthCell = [...en.inputs.cells.values()].find(
      (c) => c.row === chatbot.row && c.value === 0.144,
    );
    expect(
      growthCell,
      'the adjusted growth 0.144 on the Inputs row of chatbot-input',
    ).toBeDefined();
    const fr = await text('fr');
    expect(fr.summary).toContain(
      'Croissance × 1,2, efficacité × 0,8 appliquées en multiplicateurs de simulation : la croissance par trimestre et l’efficacité de chaque charge multipliées avant la projection (les hypothèses présentées sont les hypothèses ajustées)',
    );
  });

  it('a revision of a rejected adjusted forecast keeps its set and its adjustment', async () => {
    const r = await post('/v1/forecasts', {
      assumptionsId: setId,
      priceSheetIds: sheets,
      draws: 0,
      adjust: { growth: '0.5' },
    });
    const id = r.json().id as string;
    expect((await post(`/v1/forecasts/${id}/submit`, {})).statusCode).toBe(200);
    expect(
      (await post(`/v1/forecasts/${id}/reject`, { note: 'why not' }, t.keys.finance)).statusCode,
    ).toBe(200);
    const rev = await post(`/v1/forecasts/${id}/revise`, {});
    expect(rev.statusCode, rev.body).toBe(201);
    expect(rev.json().assumptionsId).toBe(setId);
    expect(rev.json().totals).toEqual(r.json().totals);
    expect(rev.json().forecast.adjust).toEqual({ growth: '0.5' });
  });

  /** Stores a forecast, submits and rejects it: its id and its answer. */
  const rejected = async (payload: object) => {
    const r = await post('/v1/forecasts', { priceSheetIds: sheets, draws: 0, ...payload });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id as string;
    expect((await post(`/v1/forecasts/${id}/submit`, {})).statusCode).toBe(200);
    const no = await post(`/v1/forecasts/${id}/reject`, { note: 'again' }, t.keys.finance);
    expect(no.statusCode, no.body).toBe(200);
    return { id, created: r.json() };
  };
  /** The Summary sheet's texts of a stored forecast's workbook. */
  const summaryTexts = async (id: string, locale: 'en' | 'fr') => {
    const x = await get(`/v1/forecasts/${id}/workbook?locale=${locale}`);
    expect(x.statusCode).toBe(200);
    const wb = await readXlsx(x.rawPayload);
    return [...wb.sheets[0]!.cells.values()].map((c) => String(c.value ?? ''));
  };

  it('a revision of an adjusted forecast with inline assumptions says what was adjusted, and adjusts nothing twice', async () => {
    const { id, created } = await rejected({
      assumptions: bankAssumptions,
      scenarios: bankScenarios,
      adjust,
    });
    const rev = await post(`/v1/forecasts/${id}/revise`, { note: 'same inputs' });
    expect(rev.statusCode, rev.body).toBe(201);
    const f = rev.json().forecast as ForecastJson;
    // Its pinned inputs are the original's adjusted ones, taken as they are: × 1.2 and × 0.8
    // once (the Python reference's totals), not twice (× 1.44 and × 0.64).
    const pinned = async (of: string) => (await get(`/v1/forecasts/${of}`)).json().inputs;
    const inputs = await pinned(rev.json().id);
    expect(inputs.assumptions).toEqual((await pinned(id)).assumptions);
    expect(
      inputs.assumptions.workloads.map(
        (w: { id: string; growthPerQuarter: string; efficiency: string }) => [
          w.id,
          [w.growthPerQuarter, w.efficiency],
        ],
      ),
    ).toEqual(Object.entries(HAND_EDITED));
    expect(totals(f)).toEqual(reference('1.2', '0.8'));
    expect(totals(f)).toEqual(totals(created.forecast));
    expect(totals(f)).not.toEqual(reference('1.44', '0.64'));
    expect(rev.json().inputHash).toBe(created.inputHash);
    // …and it says so, as the original did: JSON, warnings, workbook Summary.
    expect(f.adjust).toEqual(adjust);
    expect(f.warnings).toEqual(created.forecast.warnings);
    expect(f.warnings).toContain(NOTE);
    expect(await summaryTexts(rev.json().id, 'en')).toContain(`G${NOTE.slice(1)}`);
    const book = await t.app.forecasts.workbook(rev.json().id, 'en');
    expect(book.ok && book.value.reproduced).toBe(true);
  });

  it('revise takes an adjust of its own, on the pinned (already adjusted) assumptions', async () => {
    // Inline, stored × 1.2 / × 0.8, revised × 1.5: growth × 1.2 × 1.5 = × 1.8 of the sample's
    // own, efficiency × 0.8 still — the Python reference run with --growth 1.8 --efficiency 0.8.
    const inline = await rejected({
      assumptions: bankAssumptions,
      scenarios: bankScenarios,
      adjust,
    });
    const a = await post(`/v1/forecasts/${inline.id}/revise`, { adjust: { growth: '1.5' } });
    expect(a.statusCode, a.body).toBe(201);
    expect(totals(a.json().forecast)).toEqual(reference('1.8', '0.8'));
    expect(a.json().forecast.adjust).toEqual({ growth: '1.8', efficiency: '0.8' });
    const note18 = NOTE.replace('× 1.2', '× 1.8');
    expect(a.json().forecast.warnings).toContain(note18);
    expect(a.json().forecast.warnings).not.toContain(NOTE);
    expect(await summaryTexts(a.json().id, 'en')).toContain(`G${note18.slice(1)}`);

    // On a stored set, stored × 0.5 growth, revised × 0.8 efficiency: both, on the same set.
    const set = await rejected({
      assumptionsId: setId,
      scenarios: bankScenarios,
      adjust: { growth: '0.5' },
    });
    const b = await post(`/v1/forecasts/${set.id}/revise`, { adjust: { efficiency: '0.8' } });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().assumptionsId).toBe(setId);
    expect(totals(b.json().forecast)).toEqual(reference('0.5', '0.8'));
    expect(b.json().forecast.adjust).toEqual({ growth: '0.5', efficiency: '0.8' });

    // An unadjusted forecast revised with adjust: as if it had been stored with it.
    const plain = await rejected({ assumptionsId: setId, scenarios: bankScenarios });
    const c = await post(`/v1/forecasts/${plain.id}/revise`, { adjust });
    expect(c.statusCode, c.body).toBe(201);
    expect(totals(c.json().forecast)).toEqual(reference('1.2', '0.8'));
    expect(c.json().forecast.warnings).toContain(NOTE);

    // New assumptions in the body: the adjust multiplies those, the forecast's is not carried.
    const other = await rejected({
      assumptionsId: setId,
      scenarios: bankScenarios,
      adjust: { growth: '0.5' },
    });
    const d = await post(`/v1/forecasts/${other.id}/revise`, {
      assumptions: bankAssumptions,
      adjust: { efficiency: '0.8' },
    });
    expect(d.statusCode, d.body).toBe(201);
    expect(totals(d.json().forecast)).toEqual(reference('1', '0.8'));
    expect(d.json().forecast.adjust).toEqual({ efficiency: '0.8' });
  });

  it('refuses a revise adjust out of bounds (422) or not a number (400), naming the field and the workload', async () => {
    // Stored × 0.8: chatbot-input's efficiency is 0.25 × 0.8 = 0.2; × 5 = 1 (the others stay
    // below: 0.16 × 5 = 0.8, 0.12 × 5 = 0.6, 0.08 × 5 = 0.4)
    const { id } = await rejected({
      assumptions: bankAssumptions,
      scenarios: bankScenarios,
      adjust,
    });
    const url = `/v1/forecasts/${id}/revise`;
    const en = await post(url, { adjust: { efficiency: '5' } });
    expect(en.statusCode, en.body).toBe(422);
    expect(en.json().error).toEqual({
      code: 'invalid_forecast_input',
      message: 'the adjustment ("adjust") takes 1 workload out of bounds; lower its multipliers',
      issues: [
        {
          field: 'adjust.efficiency',
          value: '5',
          row: null,
          column: null,
          message: 'workload "chatbot-input": efficiency 0.2 × 5 = 1, must be < 1',
        },
      ],
      issueCount: 1,
    });
    const fr = await post(url, { adjust: { efficiency: '5' } }, t.keys.analyst, FR);
    expect(fr.statusCode).toBe(422);
    expect(fr.json().error.issues[0].message).toBe(
      'charge « chatbot-input » : efficacité 0.2 × 5 = 1, doit être < 1',
    );
    for (const bad of [{ growth: 'x' }, { growth: '11' }, { efficiency: -1 }, { delay: '1' }]) {
      const r = await post(url, { adjust: bad });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.issues[0].field).toMatch(/^adjust/);
    }
    // Nothing was stored: the forecast is still revisable, and × 4 is in bounds (0.2 × 4 = 0.8).
    const ok = await post(url, { adjust: { efficiency: '4' } });
    expect(ok.statusCode, ok.body).toBe(201);
    // 0.8 × 4 = 3.2
    expect(totals(ok.json().forecast)).toEqual(reference('1.2', '3.2'));
  });
});
