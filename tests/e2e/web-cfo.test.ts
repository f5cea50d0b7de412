import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../server/helper.ts';
import { amountOf, startWeb, type WebHarness } from './web-helper.ts';

/**
 * The CFO page's review of a quarter, in Chromium at 1366×768: the bank sample forecast
 * approved for 2027-Q1, then two forecasts approved for 2027-Q2 (the later approval
 * supersedes the earlier), each approved by finance with an acknowledgement (its sheets are
 * unreviewed and some stale). The page must show the variance bridge equal to the API's, in
 * the API's order of effects, the concentration equal to the forecast JSON's, the stale and
 * unreviewed sheets flagged and the quarter close's checklist; and, for 2027-Q1, say plainly
 * that there is no previous quarter to compare with. axe-core on both languages; screenshots
 * cfo-review-en/fr.png in artifacts/screenshots/.
 */
interface Forecast {
  id: string;
  name: string;
  quarter: string;
  status: string;
  sourceReviews: { sheetId: string; status: string }[] | null;
  forecast: {
    concentration: {
      scenarios: {
        scenarioId: string;
        byProvider: Record<string, string>;
        byJurisdiction: Record<string, string>;
        hhi: string;
      }[];
    };
    priceSheets: { id: string; stale: boolean | null }[];
  };
}

interface Variance {
  against: { id: string; quarter: string };
  variance: {
    effects: string[];
    scenarios: {
      id: string;
      total: { old: string; new: string; change: string; effects: Record<string, string> };
    }[];
  };
}

/** A share (0–1, 6 places) as a percentage with one decimal, worked out on its digits. */
function percentOf(value: string, locale: 'en' | 'fr'): string {
  // '0.412345' → 41.2345 % → 41.2 (half away from zero at the second decimal of the percent).
  const tenths = Math.round(Number(value) * 1000);
  const whole = Math.floor(tenths / 10);
  const text = `${whole}${locale === 'fr' ? ',' : '.'}${tenths % 10}`;
  return locale === 'fr' ? `${text}\u00a0%` : `${text}%`;
}

describe('the CFO page reviews a quarter against the last one', () => {
  let web: WebHarness;
  let q1: Forecast;
  let q2Early: Forecast;
  let q2: Forecast;
  let variance: Variance;

  beforeAll(async () => {
    web = await startWeb('cfo', {
      analyst: ['Amina (analyst)', 'analyst'],
      finance: ['Youssef (finance)', 'finance'],
      viewer: ['Salma (CFO)', 'viewer'],
    });
    // The bank sample's sheets, uploaded by finance and never reviewed.
    const { ids: sheetIds } = await web.uploadBankSample(web.keys['finance']!);
    const read = (f: string) => JSON.parse(fixture(`fixtures/bank-ma/${f}`).toString('utf8'));
    const approve = async (asOf: string, assumptions: unknown): Promise<Forecast> => {
      const created = await web.call<Forecast>('POST', '/v1/forecasts', web.keys['analyst']!, {
        asOf,
        assumptions,
        scenarios: read('scenarios.json'),
        priceSheetIds: sheetIds,
        draws: 500,
      });
      await web.call('POST', `/v1/forecasts/${created.id}/submit`, web.keys['analyst']!);
      await web.call('POST', `/v1/forecasts/${created.id}/approve`, web.keys['finance']!, {
        acknowledge: { reason: 'sheets reviewed by phone with the vendors; e2e test' },
      });
      return web.call<Forecast>('GET', `/v1/forecasts/${created.id}`, web.keys['viewer']!);
    };
    const base = read('assumptions.json') as {
      name: string;
      startQuarter: string;
      workloads: { growthPerQuarter: string }[];
    };
    q1 = await approve('2027-Q1', base);
    // Next quarter: one quarter later, the first workload growing faster.
    const next = (name: string, growth: string) => ({
      ...base,
      name,
      startQuarter: '2027-Q2',
      workloads: base.workloads.map((w, i) => (i === 0 ? { ...w, growthPerQuarter: growth } : w)),
    });
    q2Early = await approve('2027-Q2', next('Bank 2027-Q2 first cut', '0.15'));
    q2 = await approve('2027-Q2', next('Bank 2027-Q2', '0.20'));
    variance = await web.call<Variance>(
      'GET',
      `/v1/forecasts/${q2.id}/variance`,
      web.keys['viewer']!,
    );
  });

  afterAll(async () => {
    await web?.close();
  });

  it('the API side: 2027-Q2 bridged against 2027-Q1, the later approval the quarter’s', async () => {
    expect([q1.quarter, q2Early.quarter, q2.quarter]).toEqual(['2027-Q1', '2027-Q2', '2027-Q2']);
    expect(variance.against.id).toBe(q1.id);
    const ofQuarter = await web.call<{ forecast: { id: string }; supersedes: { id: string }[] }>(
      'GET',
      '/v1/quarters/2027-Q2',
      web.keys['viewer']!,
    );
    expect(ofQuarter.forecast.id).toBe(q2.id);
    expect(ofQuarter.supersedes.map((f) => f.id)).toEqual([q2Early.id]);
    // The oracle sheet is as of 2024-Q1: stale for 2027-Q2 whatever the threshold.
    expect(q2.forecast.priceSheets.some((s) => s.stale === true)).toBe(true);
    expect(q2.sourceReviews?.every((r) => r.status === 'unreviewed')).toBe(true);
  });

  it('shows the bridge, the concentration, the flags and the close, in English and French', async () => {
    const { context, page, problems } = await web.open();
    try {
      await page.goto(`${web.server.url}/signin`);
      await page.getByLabel('API key').fill(web.keys['viewer']!);
      await page.getByLabel('API key').press('Enter');
      await page.locator('#bridge tbody tr').first().waitFor();
      // The newest quarter, and its latest approval, which says what it supersedes.
      expect(await page.locator('#quarter').inputValue()).toBe('2027-Q2');
      expect(await page.locator('#supersedes').textContent()).toContain(q2Early.name);

      const check = async (locale: 'en' | 'fr') => {
        // The bridge: its rows in the API's order of effects, each amount the API's.
        const steps = await page
          .locator('#bridge tbody tr')
          .evaluateAll((rows) =>
            rows.map((r) => (r as unknown as { dataset: { step: string } }).dataset.step),
          );
        expect(steps).toEqual([
          'total-old',
          ...variance.variance.effects,
          'total-new',
          'total-change',
        ]);
        for (const s of variance.variance.scenarios) {
          const cell = (step: string) =>
            page.locator(`#bridge tr[data-step="${step}"] td[data-scenario="${s.id}"]`);
          expect(amountOf((await cell('total-old').textContent()) ?? '', locale)).toBe(s.total.old);
          expect(amountOf((await cell('total-new').textContent()) ?? '', locale)).toBe(s.total.new);
          expect(amountOf((await cell('total-change').textContent()) ?? '', locale)).toBe(
            s.total.change,
          );
          for (const e of variance.variance.effects)
            expect(amountOf((await cell(e).textContent()) ?? '', locale)).toBe(s.total.effects[e]);
        }
        // The waterfall: one bar per step of the chosen scenario.
        expect(await page.locator('svg.waterfall rect').count()).toBe(
          variance.variance.effects.length + 2,
        );
        // Concentration: every share of the forecast JSON, in the reader's way.
        for (const c of q2.forecast.concentration.scenarios) {
          for (const [table, shares] of [
            ['by-provider', c.byProvider],
            ['by-jurisdiction', c.byJurisdiction],
          ] as const)
            for (const [k, v] of Object.entries(shares)) {
              const td = page.locator(
                `#${table} tr[data-key="${k}"] td[data-scenario="${c.scenarioId}"]`,
              );
              expect(await td.getAttribute('data-share')).toBe(v);
              expect(await td.textContent()).toBe(percentOf(v, locale));
            }
        }
        // Flags: every sheet the forecast used, stale ones and unreviewed ones marked.
        for (const s of q2.forecast.priceSheets) {
          const row = page.locator(`#price-sheets tr[data-sheet="${s.id}"]`);
          expect(await row.getAttribute('data-stale')).toBe(String(s.stale));
          expect(await row.getAttribute('data-review')).toBe('unreviewed');
        }
        expect(await page.locator('#close-ready').getAttribute('data-ready')).toBe('false');
      };
      await check('en');
      expect(await page.locator('#flag-summary').textContent()).toMatch(/stale or not accepted/);
      expect(await page.locator('#close-list').textContent()).toMatch(
        /Oracle: no price sheet for the quarter/,
      );
      await expect
        .poll(() => page.getByRole('link', { name: /changes since last quarter, English/ }).count())
        .toBe(1);
      expect(
        await page
          .getByRole('link', { name: /changes since last quarter, English/ })
          .getAttribute('href'),
      ).toBe(`/v1/forecasts/${q2.id}/workbook?locale=en&against=previous`);
      await web.shot(page, 'cfo-review-en');
      expect(await web.axe(page)).toEqual([]);

      // The workbook with the Changes sheet downloads.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /changes since last quarter, English/ }).click(),
      ]);
      const saved = join(web.dir, 'changes.xlsx');
      await download.saveAs(saved);
      expect(readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');

      await page.getByLabel('Language').selectOption('fr');
      await page.getByRole('heading', { name: /pont des écarts/ }).waitFor();
      await check('fr');
      await web.shot(page, 'cfo-review-fr');
      expect(await web.axe(page)).toEqual([]);

      // 2027-Q1 has no quarter before it: said plainly, no bridge and no "changes" download.
      await page.locator('#quarter').selectOption('2027-Q1');
      await page.locator('#bridge-none').waitFor();
      expect(await page.locator('#bridge-none').textContent()).toMatch(/T4 2026/);
      expect(await page.getByRole('link', { name: /changements depuis/ }).count()).toBe(0);
      expect(await web.axe(page)).toEqual([]);
      expect(problems).toEqual([]);
    } catch (e) {
      await web.shot(page, 'failed-cfo-review');
      process.stdout.write(`page problems: ${problems.join('\n')}\n${web.serverTail()}\n`);
      throw e;
    } finally {
      await context.close();
    }
  });
});
