import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
 * delay by keyboard → the totals follow the API's → save as a draft → submit → the API says
 * in_review. The what-if loop (a value changed to the chart redrawn) is measured, not
 * asserted, into artifacts/screenshots/analyst-timings.json for bench/RESULTS.md.
 */
const DRAWS = 500;

interface WhatIf {
  currency: string;
  scenarios: { id: string; total: string }[];
}

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
      // answer (the 300 ms debounce included), 20 changes between delays 5 and 6.
      const loops: number[] = [];
      for (let i = 0; i < 20; i++) {
        const n = (await drawn(page)).drawn;
        const t0 = Date.now();
        await page.keyboard.press(i % 2 === 0 ? 'ArrowRight' : 'ArrowLeft');
        await redrawnAfter(page, n);
        loops.push(Date.now() - t0);
      }
      loops.sort((a, b) => a - b);
      const timings = {
        whatIfLoopMs: loops,
        p50: loops[Math.floor(0.5 * (loops.length - 1))],
        p95: loops[Math.ceil(0.95 * (loops.length - 1))],
      };
      writeFileSync(join(SHOTS, 'analyst-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
      expect(await shownTotals(page, 'en')).toEqual(expected);

      await page.screenshot({ path: join(SHOTS, 'analyst-en.png'), fullPage: true });
      expect(await web.axe(page)).toEqual([]);

      // Saved as a draft with the same body, then submitted: the API shows it in review.
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
        expected,
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
      await page.screenshot({ path: join(SHOTS, 'analyst-upload-en.png'), fullPage: true });
      expect(await web.axe(page)).toEqual([]);

      // In French: the same numbers written the French way.
      await page.getByLabel('Language').selectOption('fr');
      await page
        .getByRole('heading', { level: 1, name: 'Simulation sur un jeu d’hypothèses' })
        .waitFor();
      await page.locator('#whatif-totals tbody tr').first().waitFor();
      expect(await shownTotals(page, 'fr')).toEqual(expected);
      await page.screenshot({ path: join(SHOTS, 'analyst-fr.png'), fullPage: true });
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
