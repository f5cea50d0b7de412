import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIOS } from '../../models/scenarios.ts';
import { repoPath } from '../server/helper.ts';
import { python } from '../templates/libreoffice.ts';
import { amountOf, type OpenPage, pick, SHOTS, startWeb, type WebHarness } from './web-helper.ts';

/**
 * The quarterly cycle end to end, through the pages only, in Debian's Chromium at 1366×768 on a
 * real server (issue 16, "Tests in a real browser"). The API is used for the setup the issue
 * does not list (the people's keys, created by the admin; the bank sample's price sheets,
 * already there before the quarter starts) and to check what the pages show:
 *
 *  01 sign-in          Youssef (finance) opens the Finance page and signs in with his key
 *  02 upload-error     drops Mistral's new French-Excel sheet (`;`, decimal comma): one price is
 *                      `1,5O` (a letter O); the problem is shown at its row and column, nothing
 *                      is stored
 *  03 upload-fixed     the fixed file is stored; its diff against Mistral's previous version
 *  04 sheet-accepted   Nadia (finance) accepts the sheet (whoever uploads one cannot review it)
 *  05 assumptions      Amina (finance) types the assumption set into the Analyst page's form:
 *                      three workloads, SKUs and fallbacks picked from the prices as of 2026-Q4
 *                      (`buildAssumptions`; the stored set must be `PLAN`)
 *  06 what-if          moves the delay slider: the totals change, and equal POST /v1/what-if's
 *  07 submitted        saves the what-if as a draft forecast, submits it for review
 *  08 creator-refused  Amina opens it on the Finance page: approve disabled, four eyes said. Her
 *                      key has the finance role (a small team's analyst, as the issue's "see the
 *                      creator refused" needs someone able to approve who created it); an
 *                      analyst key would not see the Finance page at all
 *  09 acknowledgement  Nadia approves it: the page asks for the acknowledgement the stale and
 *                      unreviewed sample sheets need (not Mistral's, which she accepted)
 *  10 approved         … and records it with her reason
 *  11 cfo              Salma (CFO, viewer) sees the approved totals equal GET /v1/quarters/:q's,
 *                      downloads the workbook, which openpyxl opens: its sheets and the Summary's
 *                      totals equal the forecast's
 *  12 cfo              switches to French: the same totals written the French way
 *
 * On PostgreSQL when TEST_DATABASE_URL is set, else on the embedded database. axe-core on
 * every page: no serious or critical violation. Screenshots at every step:
 * artifacts/screenshots/flow-<nn>-<step>-<locale>.png.
 */

/** The quarter of Mistral's new sheet, the newest: the what-if's prices and the forecast's quarter. */
const QUARTER = '2026-Q4';

// Mistral's new sheet, made from the bank sample's French-Excel one (fixtures/bank-ma/prices,
// `;` and decimal commas, CRLF, no BOM): as of 20/11/2026 (day first, as French Excel writes
// it), and an illustrative price cut of mistral-large-input from 0,50 to 0,40 USD (a test
// input, not Mistral's price). In the bad copy the output price of Mistral Large is `1,5O`:
// the header is line 1, so mistral-large-output is row 3 of the file, ListUnitPrice column 4.
const SAMPLE = readFileSync(repoPath('fixtures/bank-ma/prices/mistral-2026Q3.csv'), 'utf8');
const FIXED = SAMPLE.replaceAll(';2026-07-24', ';20/11/2026').replace(
  'Mistral;mistral-large-input;1M tokens;0,50;',
  'Mistral;mistral-large-input;1M tokens;0,40;',
);
const BAD = FIXED.replace(
  'Mistral;mistral-large-output;1M tokens;1,50;',
  'Mistral;mistral-large-output;1M tokens;1,5O;',
);
const FILE = 'mistral-2026Q4.csv';

interface Totals {
  readonly scenarios: readonly { id: string; name: string; total: string }[];
}

/** A forecast's totals by scenario id, as the API's decimal strings. */
const byId = (f: Totals) => Object.fromEntries(f.scenarios.map((s) => [s.id, s.total]));

/** The assumption set Amina types into the form (step 05), as the service must store it. */
const PLAN = {
  name: 'Banque Atlas — plan 2026-Q4',
  startQuarter: '2027-Q1',
  horizonQuarters: 8,
  fiscalYearStartMonth: 1,
  reportingCurrency: 'MAD',
  fx: { USD: '9.65', EUR: '10.75' },
  budget: { FY2027: '850000', FY2028: '900000' },
  providers: [
    { name: 'OpenAI', jurisdiction: 'US' },
    { name: 'Mistral', jurisdiction: 'FR' },
    { name: 'Oracle', jurisdiction: 'US' },
    { name: 'Google Cloud', jurisdiction: 'US' },
  ],
  workloads: [
    {
      id: 'chatbot-input',
      name: 'Customer chatbot — input tokens (GPT-4o)',
      category: 'llm-inference',
      provider: 'OpenAI',
      skuId: 'gpt-4o-input',
      unit: '1M tokens',
      region: null,
      baseQuantity: '2400',
      growthPerQuarter: '0.15',
      efficiency: '0.25',
      fallback: { provider: 'Mistral', skuId: 'mistral-large-input' },
    },
    {
      id: 'fine-tuning',
      name: 'Fine-tuning of an in-house model on H100 GPUs',
      category: 'gpu-compute',
      provider: 'Oracle',
      skuId: 'B98415',
      unit: 'GPU-Hour',
      region: null,
      baseQuantity: '640',
      growthPerQuarter: '0.05',
      efficiency: '0.10',
      // The A3 is priced in one region, which the picked row carries.
      fallback: { provider: 'Google Cloud', skuId: 'a3-highgpu-1g', region: 'europe-west4' },
    },
    {
      id: 'drafting',
      name: 'Drafting of credit memos (Mistral Large)',
      category: 'llm-inference',
      provider: 'Mistral',
      skuId: 'mistral-large-input',
      unit: '1M tokens',
      region: null,
      baseQuantity: '500',
      growthPerQuarter: '0.10',
      efficiency: '0.10',
    },
  ],
};

describe('the quarterly cycle through the web pages', () => {
  let web: WebHarness;
  let started = 0;
  const timings: { step: string; ms: number }[] = [];

  beforeAll(async () => {
    // On PostgreSQL when TEST_DATABASE_URL is set (CI), on the embedded database otherwise.
    web = await startWeb(
      'flow',
      {
        finance: ['Youssef (finance)', 'finance'],
        reviewer: ['Nadia (finance)', 'finance'],
        // Amina prepares the forecast; a finance key, so that she also sees the Finance page
        // and is refused there as its creator (four eyes).
        analyst: ['Amina (finance)', 'finance'],
        cfo: ['Salma (CFO)', 'viewer'],
      },
      { postgres: true },
    );
    // A failure's screenshot of an earlier run would be taken for this run's.
    rmSync(join(SHOTS, 'flow-failed.png'), { force: true });
    // Before the quarter: the bank sample's price sheets, uploaded and never reviewed.
    await web.uploadBankSample(web.keys['finance']!);
  });

  afterAll(async () => {
    await web?.close();
  });

  /** Screenshot and axe-core on the page as it is now. */
  const look = async (page: Page, n: number, step: string, locale: 'en' | 'fr') => {
    await web.shot(page, `flow-${String(n).padStart(2, '0')}-${step}-${locale}`);
    expect(await web.axe(page), `axe on step ${n} ${step}`).toEqual([]);
  };

  const signIn = async (page: Page, key: string) => {
    await page.getByLabel('API key').fill(key);
    await page.getByLabel('API key').press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  };
  const signOut = async (page: Page) => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  };
  const goTo = async (page: Page, nav: 'CFO' | 'Finance' | 'Analyst', heading: string) => {
    await page
      .getByRole('navigation')
      .getByRole('link', { name: new RegExp(`^${nav}`) })
      .click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  /**
   * The quarter's assumption set, typed into the Analyst page's form (New assumption set):
   * three of the bank sample's workloads — OpenAI's GPT-4o input with Mistral as its fallback,
   * the Oracle H100 fine-tuning with Google Cloud's A3 as its fallback, and drafting on
   * Mistral Large, whose price Mistral's new sheet just cut — their SKUs picked from the
   * catalogue of the prices as of 2026-Q4, numbers typed the French way where the reader
   * might. The stored set (GET /v1/assumptions/:id) must be exactly `PLAN`.
   */
  async function buildAssumptions(page: Page): Promise<string> {
    await page.getByRole('button', { name: 'New assumption set' }).click();
    await page.getByRole('heading', { level: 2, name: 'Assumption set' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(PLAN.name);
    await page.getByLabel('Start quarter').fill(PLAN.startQuarter);
    await page.getByLabel('Horizon (quarters)').fill(String(PLAN.horizonQuarters));
    await page.getByLabel('Fiscal year starts in').selectOption({ label: 'January' });
    await page.getByLabel('Reporting currency').fill(PLAN.reportingCurrency);
    for (const [i, [c, r]] of [
      ['USD', '9,65'],
      ['EUR', '10,75'],
    ].entries()) {
      await page.getByRole('button', { name: 'Add an exchange rate' }).click();
      await page.getByLabel(`Currency ${i + 1}`, { exact: true }).fill(c!);
      await page.getByLabel(`Rate ${i + 1}`, { exact: true }).fill(r!);
    }
    for (const [i, [y, v]] of [
      ['FY2027', '850 000'],
      ['FY2028', '900000'],
    ].entries()) {
      await page.getByRole('button', { name: 'Add a fiscal year’s budget' }).click();
      await page.getByLabel(`Fiscal year ${i + 1}`, { exact: true }).fill(y!);
      await page.getByLabel(`Amount ${i + 1}`, { exact: true }).fill(v!);
    }
    const rows = [
      {
        sku: ['gpt-4o-in', 'gpt-4o-input OpenAI · 1M tokens'],
        fallback: ['mistral-large-in', 'mistral-large-input Mistral'],
      },
      { sku: ['B98415', 'B98415 Oracle'], fallback: ['a3-highgpu', 'a3-highgpu-1g Google Cloud'] },
      { sku: ['mistral-large-in', 'mistral-large-input Mistral'], fallback: null },
    ] as const;
    for (const [i, w] of PLAN.workloads.entries()) {
      const n = i + 1;
      const r = rows[i]!;
      if (i > 0) await page.getByRole('button', { name: 'Add a workload' }).click();
      await page.getByLabel(`Id, workload ${n}`).fill(w.id);
      await page.getByLabel(`Name, workload ${n}`).fill(w.name);
      await pick(page, `ed-w${i}-sku`, r.sku[0], r.sku[1]);
      // Picking filled the unit and the category from the price row.
      expect(await page.getByLabel(`Unit, workload ${n}`).inputValue()).toBe(w.unit);
      expect(await page.getByLabel(`Category, workload ${n}`).inputValue()).toBe(w.category);
      await page.getByLabel(`Base quantity, workload ${n}`).fill(w.baseQuantity);
      await page
        .getByLabel(`Growth per quarter, workload ${n}`)
        .fill(w.growthPerQuarter.replace('.', ','));
      await page.getByLabel(`Efficiency, workload ${n}`).fill(w.efficiency.replace('.', ','));
      if (r.fallback) await pick(page, `ed-w${i}-fallback`, r.fallback[0], r.fallback[1]);
    }
    // The providers picked were added in pick order; their jurisdictions typed.
    for (const [i, p] of PLAN.providers.entries()) {
      expect(await page.getByLabel(`Provider ${i + 1}`, { exact: true }).inputValue()).toBe(p.name);
      await page.getByLabel(`Jurisdiction ${i + 1}`, { exact: true }).fill(p.jurisdiction);
    }
    await look(page, 5, 'assumptions-form', 'en');
    await page.getByRole('button', { name: 'Save the assumption set' }).click();
    await page.locator('#ed-saved').waitFor();
    const id = (await page.locator('#ed-saved').getAttribute('data-id'))!;
    const set = await web.call<{ name: string; assumptions: unknown }>(
      'GET',
      `/v1/assumptions/${id}`,
      web.keys['analyst']!,
    );
    expect(set.name).toBe(PLAN.name);
    expect(set.assumptions).toEqual(PLAN);
    return id;
  }

  /** Waits until the what-if panel has drawn an answer later than `after` and is idle. */
  const redrawnAfter = (page: Page, after: number) =>
    page.waitForFunction((n) => {
      const el = (
        globalThis as unknown as {
          document: { querySelector: (s: string) => { dataset: Record<string, string> } | null };
        }
      ).document.querySelector('section.analyst');
      return Number(el?.dataset['drawn'] ?? 0) > n && el?.dataset['state'] === 'ready';
    }, after);
  const drawn = async (page: Page) =>
    Number((await page.locator('section.analyst').getAttribute('data-drawn')) ?? 0);

  /**
   * Clicks a workbook link, saves the download and opens it with openpyxl (cached values): its
   * sheet names, and the Summary's rows whose column B is a text and column C a number, from
   * the top (the totals by scenario come first).
   */
  const download = async (page: Page, link: string, file: string) => {
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: link }).click(),
    ]);
    const path = join(web.dir, file);
    await saved.saveAs(path);
    return JSON.parse(
      execFileSync(python!, [
        '-c',
        `import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True); ws = wb.worksheets[0]
rows = [[ws.cell(r, 2).value, ws.cell(r, 3).value] for r in range(1, ws.max_row + 1)]
rows = [r for r in rows if isinstance(r[0], str) and isinstance(r[1], (int, float)) and not isinstance(r[1], bool)]
print(json.dumps({'sheets': wb.sheetnames, 'rows': rows}))`,
        path,
      ]).toString('utf8'),
    ) as { sheets: string[]; rows: [string, number][] };
  };
  /** A workbook's unrounded amount to the cent (half up), as the API writes it. */
  const toCents = (v: number | undefined) =>
    new Decimal(v ?? Number.NaN).toDecimalPlaces(2).toFixed(2);

  /** The totals a table shows, by scenario id (rows `data-scenario`, amount in the first td). */
  const shown = async (page: Page, table: string, locale: 'en' | 'fr') => {
    const out: Record<string, string> = {};
    for (const row of await page.locator(`${table} tbody tr`).all())
      out[(await row.getAttribute('data-scenario'))!] = amountOf(
        (await row.locator('td').first().textContent())!,
        locale,
      );
    return out;
  };

  it('sign in → French CSV fixed → assumptions → what-if → submit → four eyes → approve → CFO', async () => {
    let open: OpenPage | undefined;
    started = Date.now();
    let last = started;
    const done = (step: string) => {
      const now = Date.now();
      timings.push({ step, ms: now - last });
      last = now;
    };
    try {
      // The refusals the flow provokes: 401 before sign-in, 403 (four eyes), 409 (the
      // acknowledgement asked for), 422 (the bad sheet).
      open = await web.open({ locale: 'en-GB', allow: /status of 4(0[139]|22)/ });
      const { page, problems } = open;

      // 01 Youssef signs in on the Finance page.
      await page.goto(`${web.server.url}/finance`);
      await page.getByLabel('API key').waitFor();
      await look(page, 1, 'sign-in', 'en');
      await signIn(page, web.keys['finance']!);
      await page
        .getByRole('heading', { level: 1, name: 'Price sheets, reviews and the audit trail' })
        .waitFor();
      done('sign-in');

      // 02 The French CSV with a bad price: its problem at row 3, column 4; nothing stored.
      const csv = (text: string) => ({
        name: FILE,
        mimeType: 'text/csv',
        buffer: Buffer.from(text, 'utf8'),
      });
      await page.getByLabel('File', { exact: true }).setInputFiles(csv(BAD));
      await page.getByLabel('As-of quarter').fill(QUARTER);
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      const issue = page.locator('#upload-issues tbody tr');
      await issue.first().waitFor();
      expect(await issue.count()).toBe(1);
      expect((await issue.first().locator('td').allTextContents()).slice(0, 4)).toEqual([
        '3',
        '4',
        'ListUnitPrice',
        '1,5O',
      ]);
      expect(await page.locator(`#versions tr[data-file="${FILE}"]`).count()).toBe(0);
      // The refusal is at the top of the audit trail at once (it reloads after each write).
      await expect
        .poll(() => page.locator('#audit tbody tr').first().textContent())
        .toMatch(/^.*Youssef \(finance\)POST \/v1\/price-sheetsprice-sheet\s*refused422$/);
      await look(page, 2, 'upload-error', 'en');
      done('upload-error');

      // 03 The fixed file, dropped on the drop zone: stored, with its diff against Mistral's
      // 2026-Q3 sheet — mistral-large-input 0.50 → 0.40 USD is (0.40 − 0.50) / 0.50 = −20.00 %.
      const dropped = await page.evaluateHandle(
        ([text, name]) => {
          const g = globalThis as unknown as {
            DataTransfer: new () => { items: { add: (f: unknown) => void } };
            File: new (parts: string[], name: string, o: { type: string }) => unknown;
          };
          const dt = new g.DataTransfer();
          dt.items.add(new g.File([text], name, { type: 'text/csv' }));
          return dt;
        },
        [FIXED, FILE] as const,
      );
      await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: dropped });
      await page.getByText(`Chosen: ${FILE}`).waitFor();
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'is stored as a new version (5 rows)' })
        .waitFor();
      const gpu = page.locator('#upload-diff tr[data-sku="mistral-large-input"] td');
      await gpu.first().waitFor();
      expect(await gpu.allTextContents()).toEqual(['—', '0.5\u00a0USD', '0.4\u00a0USD', '-20.00%']);
      expect(await page.locator('#upload-diff p').textContent()).toBe(
        '0 added, 0 removed, 1 changed, 4 unchanged',
      );
      const sheetRow = page.locator(`#versions tr[data-file="${FILE}"]`);
      expect(await sheetRow.locator('.review-state').textContent()).toBe('not reviewed');
      const { items: sheets } = await web.call<{
        items: { id: string; fileName: string; quarter: string; rowCount: number }[];
      }>('GET', '/v1/price-sheets?limit=100', web.keys['finance']!);
      const stored = sheets.filter((s) => s.fileName === FILE);
      expect(stored.map((s) => [s.quarter, s.rowCount])).toEqual([[QUARTER, 5]]);
      await look(page, 3, 'upload-fixed', 'en');
      done('upload-fixed');

      // 04 Nadia accepts it.
      await signOut(page);
      await signIn(page, web.keys['reviewer']!);
      await page
        .getByRole('heading', { level: 1, name: 'Price sheets, reviews and the audit trail' })
        .waitFor();
      await sheetRow.getByRole('button', { name: 'Accept' }).click();
      await expect
        .poll(() => sheetRow.locator('.review-state').textContent())
        .toBe('accepted by Nadia (finance)');
      await look(page, 4, 'sheet-accepted', 'en');
      done('sheet-accepted');

      // 05 Amina builds the assumption set on the Analyst page.
      await signOut(page);
      await signIn(page, web.keys['analyst']!);
      await goTo(page, 'Analyst', 'What-if on an assumption set');
      // No assumption set yet: the page says so, and computes nothing.
      await page.getByText('No assumption set saved yet:', { exact: false }).waitFor();
      const setId = await buildAssumptions(page);
      expect(await page.locator('#wi-set').inputValue()).toBe(setId);
      // The prices as of the newest quarter: the one of Mistral's new sheet.
      expect(await page.locator('#wi-asof').inputValue()).toBe(QUARTER);
      await redrawnAfter(page, 0);
      await expect
        .poll(() => page.locator('section.analyst').getAttribute('data-state'))
        .toBe('ready');
      // Untouched, the panel is the default scenarios: the API's what-if without a scenarios
      // file gives the same totals.
      const base = { assumptionsId: setId, asOf: QUARTER, draws: 500 };
      const apiWhatIf = async (body: unknown) =>
        byId(await web.call<Totals>('POST', '/v1/what-if', web.keys['analyst']!, body));
      const defaults = await apiWhatIf(base);
      await expect.poll(() => shown(page, '#whatif-totals', 'en')).toEqual(defaults);
      await look(page, 5, 'assumptions', 'en');
      done('assumptions');

      // 06 The delay slider moved from 4 to 6 quarters by keyboard: the delayed total changes,
      // the on-time one does not, and both are the API's for the same scenarios.
      const before = await drawn(page);
      await page.getByLabel('Delay of the build-out (quarters)').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await redrawnAfter(page, before);
      expect(await page.getByLabel('Delay of the build-out (quarters)').inputValue()).toBe('6');
      const body = {
        ...base,
        scenarios: {
          scenarios: DEFAULT_SCENARIOS.map((s) =>
            s.id === 'delayed' ? { ...s, delayQuarters: 6 } : s,
          ),
        },
      };
      const expected = await apiWhatIf(body);
      await expect.poll(() => shown(page, '#whatif-totals', 'en')).toEqual(expected);
      expect(expected['on-time']).toBe(defaults['on-time']);
      expect(expected['delayed']).not.toBe(defaults['delayed']);
      await look(page, 6, 'what-if', 'en');
      done('what-if');

      // 07 Saved as a draft, then submitted for review.
      await page.getByLabel('Forecast name').fill('Banque Atlas — 2026-Q4, delay 6');
      await page.getByRole('button', { name: 'Save as a draft forecast' }).click();
      await page.locator('#saved[data-status="draft"]').waitFor();
      const forecastId = (await page.locator('#saved').getAttribute('data-id'))!;
      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.locator('#saved[data-status="in_review"]').waitFor();
      const submitted = await web.call<{
        status: string;
        quarter: string;
        createdBy: string;
        forecast: Totals;
      }>('GET', `/v1/forecasts/${forecastId}`, web.keys['analyst']!);
      expect([submitted.status, submitted.quarter, submitted.createdBy]).toEqual([
        'in_review',
        QUARTER,
        'Amina (finance)',
      ]);
      expect(byId(submitted.forecast)).toEqual(expected);
      await look(page, 7, 'submitted', 'en');
      done('submitted');

      // 08 Amina, its creator, is refused by four eyes: the page disables her approve and
      // reject and says why before any click; the service refuses her all the same when asked
      // directly, and the refusal is in the audit trail.
      await goTo(page, 'Finance', 'Price sheets, reviews and the audit trail');
      const card = page.locator(`[data-forecast="${forecastId}"]`);
      await card.locator('.four-eyes').waitFor();
      expect(await card.getByRole('button', { name: 'Approve', exact: true }).isDisabled()).toBe(
        true,
      );
      expect(await card.getByRole('button', { name: 'Reject', exact: true }).isDisabled()).toBe(
        true,
      );
      expect(await card.locator('.four-eyes').textContent()).toBe(
        'You created or revised this forecast; another person must approve or reject it (four eyes).',
      );
      const direct = await fetch(`${web.server.url}/v1/forecasts/${forecastId}/approve`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${web.keys['analyst']}`,
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(direct.status).toBe(403);
      expect(((await direct.json()) as { error: { code: string } }).error.code).toBe('four_eyes');
      await page.reload();
      await expect
        .poll(() => page.locator('#audit tbody tr').first().textContent())
        .toMatch(/Amina \(finance\)POST \/v1\/forecasts\/:id\/approveforecast \w+refused403$/);
      await look(page, 8, 'creator-refused', 'en');
      expect(
        (await web.call<{ status: string }>('GET', `/v1/forecasts/${forecastId}`, web.adminKey))
          .status,
      ).toBe('in_review');
      done('creator-refused');

      // 09 Nadia approves it: the acknowledgement is asked for the sample's stale and
      // unreviewed sheets; Mistral's new sheet, accepted, is not among them.
      await signOut(page);
      await signIn(page, web.keys['reviewer']!);
      await page
        .getByRole('heading', { level: 1, name: 'Price sheets, reviews and the audit trail' })
        .waitFor();
      await card.getByRole('button', { name: 'Approve', exact: true }).click();
      await card
        .getByRole('group', {
          name: 'This forecast used price sheets that need an acknowledgement',
        })
        .waitFor();
      const asked = await card.locator('.ack li').allTextContents();
      // oracle-2024Q1.csv is as of 2024-Q1, 11 quarters before 2026-Q4: stale (after 1).
      expect(asked).toContain('oracle-2024Q1.csv (2024-Q1) is stale');
      expect(asked).toContain('openai-2026Q3.csv (2026-Q3) is not reviewed');
      expect(asked.filter((a) => a.startsWith('mistral'))).toEqual([]);
      await look(page, 9, 'acknowledgement', 'en');
      done('acknowledgement');

      // 10 … approved with her reason.
      await card
        .getByLabel('Why approve it all the same')
        .fill('Sample sheets checked with the vendors by phone');
      await card.getByRole('button', { name: 'Approve with this acknowledgement' }).click();
      await page.getByRole('status').filter({ hasText: 'is approved' }).waitFor();
      const approved = await web.call<{ status: string; reviewedBy: string }>(
        'GET',
        `/v1/forecasts/${forecastId}`,
        web.adminKey,
      );
      expect([approved.status, approved.reviewedBy]).toEqual(['approved', 'Nadia (finance)']);
      await look(page, 10, 'approved', 'en');
      done('approved');

      // 11 Salma, the CFO, sees the quarter's approved totals, equal to GET /v1/quarters/:q's.
      await signOut(page);
      await signIn(page, web.keys['cfo']!);
      await page.locator('#totals tbody tr').first().waitFor();
      expect(new URL(page.url()).pathname).toBe('/cfo');
      expect(await page.locator('#quarter').inputValue()).toBe(QUARTER);
      // The forecast as it was saved and reviewed, by its name.
      expect(await page.locator('#forecast-name').textContent()).toBe(
        'Banque Atlas — 2026-Q4, delay 6',
      );
      const ofQuarter = await web.call<{
        forecast: { id: string; totals: { scenarioId: string; total: string }[] };
      }>('GET', `/v1/quarters/${QUARTER}`, web.keys['cfo']!);
      expect(ofQuarter.forecast.id).toBe(forecastId);
      const quarterTotals = Object.fromEntries(
        ofQuarter.forecast.totals.map((s) => [s.scenarioId, s.total]),
      );
      expect(quarterTotals).toEqual(expected);
      expect(await shown(page, '#totals', 'en')).toEqual(quarterTotals);
      await look(page, 11, 'cfo', 'en');

      // The workbook, downloaded from the page, opens in openpyxl: its sheets, and the Summary's
      // totals (column C of each scenario's row, unrounded) equal the API's to the cent.
      const english = await download(page, 'Workbook in English (.xlsx)', 'approved-en.xlsx');
      expect(english.sheets.slice(0, 3)).toEqual(['Summary', 'Inputs', 'Prices']);
      expect(english.sheets).toContain('Monte Carlo');
      for (const s of submitted.forecast.scenarios) {
        const row = english.rows.find(([name]) => name === s.name);
        expect(row, s.name).toBeDefined();
        expect(toCents(row![1]), s.id).toBe(s.total);
      }
      done('cfo-en');

      // 12 In French: the same totals, written `1 234 567,89 MAD` (narrow no-break spaces).
      await page.getByLabel('Language').selectOption('fr');
      await page.getByRole('heading', { level: 1, name: /prévision approuvée/i }).waitFor();
      expect(await shown(page, '#totals', 'fr')).toEqual(quarterTotals);
      const delayedFr = await page
        .locator('#totals tr[data-scenario="delayed"] td')
        .first()
        .textContent();
      const [whole, cents] = quarterTotals['delayed']!.split('.');
      const grouped = whole!.replace(/\B(?=(\d{3})+$)/g, '\u202f');
      expect(delayedFr).toBe(`${grouped},${cents}\u00a0MAD`);
      await look(page, 12, 'cfo', 'fr');
      // The French workbook: French sheet names; the Summary's totals table lists the
      // scenarios in the forecast's order, under their French names.
      const french = await download(page, 'Classeur en français (.xlsx)', 'approved-fr.xlsx');
      expect(french.sheets.slice(0, 3)).toEqual(['Synthèse', 'Hypothèses', 'Prix']);
      expect(french.rows.slice(0, 2).map(([, total]) => toCents(total))).toEqual(
        submitted.forecast.scenarios.map((s) => s.total),
      );
      done('cfo-fr');
      expect(problems).toEqual([]);
    } catch (e) {
      if (open) await web.shot(open.page, 'flow-failed');
      process.stdout.write(`page problems: ${open?.problems.join('\n')}\n${web.serverTail()}\n`);
      throw e;
    } finally {
      await open?.context.close();
      const total = Date.now() - started;
      process.stdout.write(
        `flow steps (ms): ${timings.map((t) => `${t.step} ${t.ms}`).join(', ')}; total ${total}\n`,
      );
    }
  });
});
