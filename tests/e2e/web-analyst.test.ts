import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';
import { fixture } from '../server/helper.ts';
import { python } from '../templates/libreoffice.ts';
import { amountOf, SHOTS, startWeb, type WebHarness } from './web-helper.ts';

/**
 * The Analyst page in Debian's Chromium at 1366×768, on a real server with the bank sample's
 * sheets uploaded and its assumptions saved as a set: sign in as an analyst → the set and the
 * newest quarter picked → the totals equal POST /v1/what-if's for the same body → move the
 * delay by keyboard → the totals follow the API's → move growth and efficiency by keyboard →
 * the totals are the API's with the same `adjust`, the tornado's bars the API's tornado →
 * save as a draft (adjust included) → submit → the API says in_review. The what-if loop (a
 * value changed to the chart redrawn, and to the tornado redrawn) and the API's what-if with
 * and without `sensitivity` are measured, not asserted, into
 * artifacts/screenshots/analyst-timings.json for bench/RESULTS.md.
 */
const DRAWS = 500;

interface WhatIf {
  currency: string;
  scenarios: { id: string; total: string }[];
  sensitivity: {
    tornado: { scenarioId: string; driver: string; totalAtLow: string; totalAtHigh: string }[];
  };
  adjust?: { growth?: string; efficiency?: string };
  warnings: string[];
}

/** The middle and the 95th percentile of some timings (ms). */
const percentiles = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    p50: sorted[Math.floor(0.5 * (sorted.length - 1))],
    p95: sorted[Math.ceil(0.95 * (sorted.length - 1))],
  };
};

interface Globals {
  readonly document: {
    querySelector: (s: string) => { dataset: Record<string, string | undefined> } | null;
  };
}

describe('the Analyst page in Chromium', () => {
  let web: WebHarness;
  let setId = '';
  let newestQuarter = '';

  beforeAll(async () => {
    web = await startWeb('analyst', {
      analyst: ['Amina (analyst)', 'analyst'],
      finance: ['Youssef (finance)', 'finance'],
    });
    const { quarters } = await web.uploadBankSample(web.keys['finance']!);
    newestQuarter = quarters.sort().at(-1)!;
    const assumptions = JSON.parse(fixture('fixtures/bank-ma/assumptions.json').toString('utf8'));
    setId = (
      await web.call<{ id: string }>('POST', '/v1/assumptions', web.keys['analyst']!, assumptions)
    ).id;
  });

  afterAll(async () => {
    await web?.close();
  });

  /** Which what-if the chart shows (set after it is redrawn), and whether one is under way. */
  const drawn = (page: Page) =>
    page.evaluate(() => {
      const el = (globalThis as unknown as Globals).document.querySelector('section.analyst');
      return { drawn: Number(el?.dataset['drawn'] ?? 0), state: el?.dataset['state'] ?? '' };
    });
  /** Waits until a what-if later than `after` is drawn and none is under way. */
  const redrawnAfter = (page: Page, after: number) =>
    page.waitForFunction((n) => {
      const el = (globalThis as unknown as Globals).document.querySelector('section.analyst');
      return Number(el?.dataset['drawn'] ?? 0) > n && el?.dataset['state'] === 'ready';
    }, after);

  /** The totals the page shows, scenario by scenario, as the API's decimal strings. */
  const shownTotals = async (page: Page, locale: 'en' | 'fr') => {
    const out: Record<string, string> = {};
    for (const row of await page.locator('#whatif-totals tbody tr').all())
      out[(await row.getAttribute('data-scenario'))!] = amountOf(
        (await row.locator('td').first().textContent())!,
        locale,
      );
    return out;
  };
  const apiTotals = async (body: unknown) => {
    const f = await web.call<WhatIf>('POST', '/v1/what-if', web.keys['analyst']!, body);
    return Object.fromEntries(f.scenarios.map((s) => [s.id, s.total]));
  };
  /** Waits until the tornado shows the what-if of the panel as it is (not an earlier one). */
  const tornadoReady = (page: Page) =>
    page.waitForFunction(
      () =>
        (globalThis as unknown as Globals).document.querySelector(
          'section.tornado-panel[data-state="ready"] .tornado svg',
        ) !== null,
    );
  /**
   * The tornado the page draws for the scenario picked, driver by driver in its order, the
   * amounts written at the ends of each bar as the API's strings; a bar without effect (both
   * ends at the forecast) is written "no effect" and read as null.
   */
  const shownTornado = async (page: Page, locale: 'en' | 'fr') => {
    const out: { driver: string; low: string | null; high: string | null }[] = [];
    for (const g of await page.locator('.tornado svg g[data-driver]').all()) {
      const end = async (which: string) => {
        const t = g.locator(`text[data-end="${which}"]`);
        return (await t.count()) === 0 ? null : amountOf((await t.textContent())!, locale);
      };
      out.push({
        driver: (await g.getAttribute('data-driver'))!,
        low: await end('low'),
        high: await end('high'),
      });
    }
    return out;
  };
  /** The API's tornado of a scenario for a body, as `shownTornado` reads the page's. */
  const apiTornado = async (body: object, scenarioId: string) => {
    const f = await web.call<WhatIf>('POST', '/v1/what-if', web.keys['analyst']!, {
      ...body,
      draws: 0,
      sensitivity: true,
    });
    const total = f.scenarios.find((x) => x.id === scenarioId)!.total;
    return f.sensitivity.tornado
      .filter((b) => b.scenarioId === scenarioId)
      .map((b) =>
        b.totalAtLow === total && b.totalAtHigh === total
          ? { driver: b.driver, low: null, high: null }
          : { driver: b.driver, low: b.totalAtLow, high: b.totalAtHigh },
      );
  };

  it('what-if → the API’s totals → save as a draft → submit for review', async () => {
    // 401/403 before sign-in and the 422 of the refused workbook are expected.
    const { context, page, problems } = await web.open({ allow: /status of (40[13]|422)/ });
    try {
      await page.goto(`${web.server.url}/analyst`);
      await page.getByLabel('API key').fill(web.keys['analyst']!);
      await page.getByLabel('API key').press('Enter');
      await page.getByRole('heading', { level: 1, name: 'What-if on an assumption set' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/analyst');
      await redrawnAfter(page, 0);
      expect(await page.locator('#wi-set').inputValue()).toBe(setId);
      expect(await page.locator('#wi-asof').inputValue()).toBe(newestQuarter);
      await page.locator('.plot canvas').first().waitFor();

      // Untouched, the panel is the default scenarios: the API's what-if without a scenarios
      // file (models/scenarios.ts) gives the same totals.
      const base = { assumptionsId: setId, asOf: newestQuarter, draws: DRAWS };
      const defaults = await apiTotals(base);
      expect(Object.keys(defaults)).toEqual(['on-time', 'delayed']);
      expect(await shownTotals(page, 'en')).toEqual(defaults);

      // The delay moved by keyboard from 4 to 5: the totals are the API's for the delayed
      // scenario delayed by 5 quarters, the rest the defaults.
      const before = (await drawn(page)).drawn;
      await page.getByLabel('Delay of the build-out (quarters)').focus();
      await page.keyboard.press('ArrowRight');
      await redrawnAfter(page, before);
      const delayed5 = {
        ...base,
        scenarios: {
          scenarios: DEFAULT_SCENARIOS.map((s) =>
            s.id === 'delayed' ? { ...s, delayQuarters: 5 } : s,
          ),
        },
      };
      const expected = await apiTotals(delayed5);
      expect(await shownTotals(page, 'en')).toEqual(expected);
      // A longer delay moves the delayed scenario's total, not the on-time one.
      expect(expected['on-time']).toBe(defaults['on-time']);
      expect(expected['delayed']).not.toBe(defaults['delayed']);
      expect(problems).toEqual([]);

      // The what-if loop, measured: a value changed by keyboard to the chart redrawn with the
      // answer (the 300 ms debounce included), 20 changes between delays 5 and 6. The tornado
      // is on (the default): it is asked for 300 ms after the chart, so a quick next change
      // cancels it and it never holds the chart up.
      const loops: number[] = [];
      for (let i = 0; i < 20; i++) {
        const n = (await drawn(page)).drawn;
        const t0 = Date.now();
        await page.keyboard.press(i % 2 === 0 ? 'ArrowRight' : 'ArrowLeft');
        await redrawnAfter(page, n);
        loops.push(Date.now() - t0);
      }
      // …and to the tornado redrawn too (its own request, after the chart's).
      const tornadoLoops: number[] = [];
      for (let i = 0; i < 10; i++) {
        const n = (await drawn(page)).drawn;
        const t0 = Date.now();
        await page.keyboard.press(i % 2 === 0 ? 'ArrowRight' : 'ArrowLeft');
        await redrawnAfter(page, n);
        await tornadoReady(page);
        tornadoLoops.push(Date.now() - t0);
      }
      expect(await shownTotals(page, 'en')).toEqual(expected);

      // Does `sensitivity` slow a what-if? The page's body, 15 times each way, alternated.
      const timed = async (body: object) => {
        const t0 = performance.now();
        await web.call('POST', '/v1/what-if', web.keys['analyst']!, body);
        return performance.now() - t0;
      };
      const plainMs: number[] = [];
      const sensitivityMs: number[] = [];
      for (let i = 0; i < 15; i++) {
        plainMs.push(await timed(delayed5));
        sensitivityMs.push(await timed({ ...delayed5, sensitivity: true }));
      }
      const timings = {
        whatIfLoopMs: [...loops].sort((a, b) => a - b),
        ...percentiles(loops),
        tornadoLoopMs: [...tornadoLoops].sort((a, b) => a - b),
        tornado: percentiles(tornadoLoops),
        api: {
          withoutSensitivity: percentiles(plainMs),
          withSensitivity: percentiles(sensitivityMs),
        },
        machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverage: loadavg() },
      };
      writeFileSync(join(SHOTS, 'analyst-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);

      // Growth and efficiency moved by keyboard (steps of 5 %): growth to 120 %, efficiency to
      // 80 %; the totals are the API's what-if with adjust { growth 1.2, efficiency 0.8 }.
      const growth = page.getByLabel('Growth per quarter');
      await growth.focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      expect(await growth.getAttribute('aria-valuetext')).toBe('× 1.2');
      const efficiency = page.getByLabel('Efficiency (token discipline)');
      await efficiency.focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
      expect(await efficiency.getAttribute('aria-valuetext')).toBe('× 0.8');
      const adjust = { growth: '1.2', efficiency: '0.8' };
      const adjusted = { ...delayed5, adjust };
      const expectedAdjusted = await apiTotals(adjusted);
      // growth up and efficiency down both raise the cost
      expect(Number(expectedAdjusted['delayed'])).toBeGreaterThan(Number(expected['delayed']));
      await expect.poll(() => shownTotals(page, 'en')).toEqual(expectedAdjusted);
      await redrawnAfter(page, 0);

      // The tornado of the delayed scenario, bar by bar, is the API's for the same body; then
      // the on-time one (premium and availability have no effect on it: "no effect").
      await tornadoReady(page);
      expect(await page.locator('#wi-tornado-scenario').inputValue()).toBe('delayed');
      const delayedTornado = await apiTornado(adjusted, 'delayed');
      expect(delayedTornado).toHaveLength(8);
      expect(await shownTornado(page, 'en')).toEqual(delayedTornado);
      await page.locator('#wi-tornado-scenario').selectOption('on-time');
      const onTimeTornado = await apiTornado(adjusted, 'on-time');
      expect(onTimeTornado.filter((b) => b.low === null).map((b) => b.driver)).toEqual([
        'premium',
        'availability',
      ]);
      await expect.poll(() => shownTornado(page, 'en')).toEqual(onTimeTornado);
      await page.locator('#wi-tornado-scenario').selectOption('delayed');
      await expect.poll(() => shownTornado(page, 'en')).toEqual(delayedTornado);
      // the table under it: one row per driver
      expect(await page.locator('#tornado-table tbody tr').count()).toBe(8);
      expect(problems).toEqual([]);

      await web.shot(page, 'analyst-en');
      expect(await web.axe(page)).toEqual([]);

      // Saved as a draft with the same body, adjust included, then submitted: the API shows it
      // in review, with the adjusted numbers and the adjustment recorded.
      await page.getByLabel('Forecast name').fill('Bank what-if');
      await page.getByRole('button', { name: 'Save as a draft forecast' }).click();
      const saved = page.locator('#saved[data-status="draft"]');
      await saved.waitFor();
      const id = (await saved.getAttribute('data-id'))!;
      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.locator('#saved[data-status="in_review"]').waitFor();
      const stored = await web.call<{ status: string; name: string; forecast: WhatIf }>(
        'GET',
        `/v1/forecasts/${id}`,
        web.keys['analyst']!,
      );
      expect(stored.status).toBe('in_review');
      expect(stored.name).toBe('Bank what-if');
      expect(Object.fromEntries(stored.forecast.scenarios.map((s) => [s.id, s.total]))).toEqual(
        expectedAdjusted,
      );
      expect(stored.forecast.adjust).toEqual(adjust);
      expect(stored.forecast.warnings).toContain(
        "growth × 1.2, efficiency × 0.8 applied as what-if multipliers: each workload's growthPerQuarter and efficiency multiplied before the projection (the assumptions shown are the adjusted ones)",
      );
      const link = page.getByRole('link', { name: 'Its workbook (.xlsx)' });
      expect(await link.getAttribute('href')).toBe(`/v1/forecasts/${id}/workbook?locale=en`);

      // The draft's workbook, its efficiency of chatbot-output edited to 1.5 (openpyxl), then
      // uploaded from the page: refused, the problem shown at its cell; unedited: version 2.
      const wb = await fetch(`${web.server.url}/v1/forecasts/${id}/workbook?locale=en`, {
        headers: { authorization: `Bearer ${web.keys['analyst']}` },
      });
      expect(wb.status).toBe(200);
      const original = join(web.dir, 'draft.xlsx');
      writeFileSync(original, Buffer.from(await wb.arrayBuffer()));
      const bad = join(web.dir, 'edited.xlsx');
      execFileSync(python!, [
        '-c',
        `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb['Inputs']
row = next(r for r in range(1, ws.max_row + 1) if ws['B%d' % r].value == 'chatbot-output')
ws['J%d' % row] = 1.5
wb.save(sys.argv[2])`,
        original,
        bad,
      ]);
      await page.getByLabel('Costcast workbook (.xlsx)').setInputFiles(bad);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.locator('#upload-error li').first().waitFor();
      expect(await page.locator('#upload-error li').allTextContents()).toEqual([
        expect.stringMatching(/^Inputs!J\d+: efficiency: must be < 1 \(got 1\.5\)$/),
      ]);
      await page.getByLabel('Costcast workbook (.xlsx)').setInputFiles(original);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText(/^Saved: .*, version 2\.$/).waitFor();
      const { items: sets } = await web.call<{ items: { id: string; version: number }[] }>(
        'GET',
        '/v1/assumptions',
        web.keys['analyst']!,
      );
      expect(sets[0]?.version).toBe(2);
      expect(await page.locator('#wi-set').inputValue()).toBe(sets[0]?.id);
      await web.shot(page, 'analyst-upload-en');
      expect(await web.axe(page)).toEqual([]);

      // In French, on version 2 (the draft's adjusted assumptions, the panel's multipliers on
      // top): the API's numbers for that body, written the French way, tornado included.
      await page.getByLabel('Language').selectOption('fr');
      await page
        .getByRole('heading', { level: 1, name: 'Simulation sur un jeu d’hypothèses' })
        .waitFor();
      const onVersion2 = { ...adjusted, assumptionsId: sets[0]!.id };
      const expectedFr = await apiTotals(onVersion2);
      await expect.poll(() => shownTotals(page, 'fr')).toEqual(expectedFr);
      await tornadoReady(page);
      await expect
        .poll(() => shownTornado(page, 'fr'))
        .toEqual(await apiTornado(onVersion2, 'delayed'));
      expect(await page.getByLabel('Croissance par trimestre').getAttribute('aria-valuetext')).toBe(
        '× 1,2',
      );
      await page.locator('.tornado summary').click();
      await web.shot(page, 'analyst-fr');
      expect(await web.axe(page)).toEqual([]);
      expect(problems).toEqual([]);
    } catch (e) {
      await page.screenshot({ path: join(SHOTS, 'failed-analyst.png'), fullPage: true });
      process.stdout.write(
        `page problems: ${problems.join('\n')}\n${web.serverTail().slice(-3000)}\n`,
      );
      throw e;
    } finally {
      await context.close();
    }
  });
});
