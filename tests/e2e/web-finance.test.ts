import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../server/helper.ts';
import { startWeb, type WebHarness } from './web-helper.ts';

/**
 * The Finance page in Debian's Chromium at 1366×768, on a real server and a temp data
 * directory: a French CSV with a bad price is refused with its problem shown against its row
 * and column, the fixed file is stored and listed with its diff against the provider's
 * previous version, the uploader sees before any click that they cannot review it (buttons
 * disabled, the reason beside them; the server still refuses when asked) and a second finance
 * key accepts it, the creator of a forecast sees the same on it and the second key approves it, a forecast in review is approved with the acknowledgement its unreviewed sheets
 * need, and the audit trail filters to the refusal. Screenshots in English and French go to
 * artifacts/screenshots/; axe-core finds no serious or critical violation.
 */
// A French-Excel CSV (semicolons, decimal commas). Line 1 is the header, so the second data
// row — the bad price "abc" — is row 3 of the file, and ListUnitPrice is its 4th column.
const HEADER = 'ProviderName;SkuId;PricingUnit;ListUnitPrice;PricingCurrency';
const BAD = `${HEADER}\nAtlas;atlas-gpu-hour;hour;2,50;EUR\nAtlas;atlas-storage;GB;abc;EUR\n`;
const FIXED = `${HEADER}\nAtlas;atlas-gpu-hour;hour;2,50;EUR\nAtlas;atlas-storage;GB;0,04;EUR\n`;
// The provider's previous version: the GPU hour was 2.00 EUR, so +25.00 % ((2.50 − 2.00) / 2.00).
const PREVIOUS = `${HEADER}\nAtlas;atlas-gpu-hour;hour;2,00;EUR\nAtlas;atlas-storage;GB;0,04;EUR\n`;

describe('the Finance page in Chromium', () => {
  let web: WebHarness;
  let forecastId = '';
  /** A forecast Youssef (finance) created and submitted himself: four eyes keep him from it. */
  let ownForecastId = '';

  beforeAll(async () => {
    web = await startWeb('finance', {
      analyst: ['Amina (analyst)', 'analyst'],
      finance: ['Youssef (finance)', 'finance'],
      finance2: ['Nadia (finance)', 'finance'],
    });
    // The bank sample's sheets (not reviewed) and a forecast on them, submitted for review.
    const { ids: sheetIds } = await web.uploadBankSample(web.keys['finance']!);
    await web.upload(web.keys['finance']!, 'atlas-2026Q2.csv', '2026-Q2', PREVIOUS);
    const read = (f: string) => JSON.parse(fixture(`fixtures/bank-ma/${f}`).toString('utf8'));
    const created = await web.call<{ id: string }>('POST', '/v1/forecasts', web.keys['analyst']!, {
      assumptions: read('assumptions.json'),
      scenarios: read('scenarios.json'),
      priceSheetIds: sheetIds,
      draws: 200,
    });
    forecastId = created.id;
    await web.call('POST', `/v1/forecasts/${forecastId}/submit`, web.keys['analyst']!);
    const own = await web.call<{ id: string }>('POST', '/v1/forecasts', web.keys['finance']!, {
      name: 'Youssef’s check',
      assumptions: read('assumptions.json'),
      scenarios: read('scenarios.json'),
      priceSheetIds: sheetIds,
      draws: 0,
    });
    ownForecastId = own.id;
    await web.call('POST', `/v1/forecasts/${ownForecastId}/submit`, web.keys['finance']!);
  });

  afterAll(async () => {
    await web?.close();
  });

  // The page's own refused calls (422, 403, 409) are answers it shows, not problems.
  const open = () => web.open({ allow: /status of 4(0[139]|22)/ });

  async function signIn(page: Page, key: string) {
    await page.goto(`${web.server.url}/finance`);
    await page.getByLabel('API key').fill(key);
    await page.getByLabel('API key').press('Enter');
    await page
      .getByRole('heading', { level: 1, name: 'Price sheets, reviews and the audit trail' })
      .waitFor();
    await page.locator('#versions tbody tr').first().waitFor();
  }

  const file = (name: string, text: string) => ({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(text, 'utf8'),
  });

  it('uploads, shows a bad row inline, lists the fixed file with its diff; four eyes on review', async () => {
    const { context, page, problems } = await open();
    try {
      await signIn(page, web.keys['finance']!);
      const upload = async (name: string, text: string) => {
        await page.getByLabel('File', { exact: true }).setInputFiles(file(name, text));
        await page.getByLabel('As-of quarter').fill('2026-Q3');
        await page.getByRole('button', { name: 'Upload' }).click();
      };

      await upload('atlas-2026Q3.csv', BAD);
      const issue = page.locator('#upload-issues tbody tr');
      await issue.first().waitFor();
      // The problem is shown against the file's row 3, column 4 (ListUnitPrice), value abc.
      expect(await issue.count()).toBe(1);
      const cells = await issue.first().locator('td').allTextContents();
      expect(cells.slice(0, 4)).toEqual(['3', '4', 'ListUnitPrice', 'abc']);
      await expect
        .poll(() => page.getByRole('alert').first().textContent())
        .toMatch(/"atlas-2026Q3\.csv" has problems; nothing was stored/);
      // Nothing was stored: the list holds no 2026-Q3 Atlas version.
      expect(await page.locator('#versions tr[data-file="atlas-2026Q3.csv"]').count()).toBe(0);
      await web.shot(page, 'finance-upload-error-en');

      // The fixed file, dropped on the drop zone this time (a DataTransfer made in the page).
      const dropped = await page.evaluateHandle((text) => {
        const g = globalThis as unknown as {
          DataTransfer: new () => { items: { add: (f: unknown) => void } };
          File: new (parts: string[], name: string, o: { type: string }) => unknown;
        };
        const dt = new g.DataTransfer();
        dt.items.add(new g.File([text], 'atlas-2026Q3.csv', { type: 'text/csv' }));
        return dt;
      }, FIXED);
      await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: dropped });
      await page.getByText('Chosen: atlas-2026Q3.csv').waitFor();
      await page.getByRole('button', { name: 'Upload' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'is stored as a new version (2 rows)' })
        .waitFor();
      await expect.poll(() => page.locator('#upload-issues').count()).toBe(0);
      const row = page.locator('#versions tr[data-file="atlas-2026Q3.csv"]');
      await row.waitFor();
      expect(await row.locator('.review-state').textContent()).toBe('not reviewed');
      // The diff against Atlas 2026-Q2: the GPU hour 2.00 → 2.50 EUR is +25.00 %; storage unchanged.
      const gpu = page.locator('#upload-diff tr[data-sku="atlas-gpu-hour"] td');
      await gpu.first().waitFor();
      expect(await gpu.allTextContents()).toEqual(['—', '2\u00a0EUR', '2.5\u00a0EUR', '+25.00%']);
      expect(await page.locator('#upload-diff p').textContent()).toBe(
        '0 added, 0 removed, 1 changed, 1 unchanged',
      );

      // The uploader is told before any click that they cannot review it: the buttons are
      // disabled, the reason beside them.
      expect(await row.getByRole('button', { name: 'Accept' }).isDisabled()).toBe(true);
      expect(await row.getByRole('button', { name: 'Refuse' }).isDisabled()).toBe(true);
      expect(
        await row.getByRole('textbox', { name: 'Note on atlas-2026Q3.csv' }).isDisabled(),
      ).toBe(true);
      expect(await row.locator('.four-eyes').textContent()).toBe(
        'You uploaded it: another person reviews it.',
      );
      // The rule is said once, above the versions, and the buttons point to it too.
      expect(await page.locator('.four-eyes-rule').allTextContents()).toEqual([
        'Four eyes: whoever uploads a price sheet can neither accept nor refuse it. The versions you uploaded wait for another person’s review.',
      ]);
      expect(
        await row.getByRole('button', { name: 'Accept' }).getAttribute('aria-describedby'),
      ).toContain('sheet-rule');
      // Youssef uploaded every version listed (the bank sample and Atlas 2026-Q2 too): each
      // row says so.
      expect(await page.locator('#versions .four-eyes').count()).toBe(
        await page.locator('#versions tbody tr').count(),
      );
      // The server stays the authority: asked directly, it refuses (and the audit records it).
      const sheetId = await row.getAttribute('data-sheet');
      const direct = await fetch(`${web.server.url}/v1/price-sheets/${sheetId}/review`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${web.keys['finance']}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ decision: 'accepted' }),
      });
      expect(direct.status).toBe(403);
      expect(((await direct.json()) as { error: { code: string } }).error.code).toBe('four_eyes');
      expect(await row.locator('.review-state').textContent()).toBe('not reviewed');

      // The forecast he created: approve and reject disabled, the reason beside them; the
      // analyst's forecast he may approve.
      const own = page.locator(`[data-forecast="${ownForecastId}"]`);
      expect(await own.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
      expect(await own.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true);
      expect(await own.getByRole('textbox', { name: 'Note' }).isDisabled()).toBe(true);
      expect(await own.locator('.four-eyes').textContent()).toBe(
        'You created or revised this forecast; another person must approve or reject it (four eyes).',
      );
      const theirs = page.locator(`[data-forecast="${forecastId}"]`);
      expect(await theirs.getByRole('button', { name: 'Approve' }).isEnabled()).toBe(true);
      expect(await theirs.locator('.four-eyes').count()).toBe(0);
      await web.shot(page, 'finance-en');
      expect(await web.axe(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a second finance person accepts the sheet and approves a forecast with the acknowledgement, in French', async () => {
    const { context, page, problems } = await open();
    try {
      await signIn(page, web.keys['finance2']!);
      await page.getByLabel('Language').selectOption('fr');
      await page
        .getByRole('heading', { level: 1, name: 'Grilles tarifaires, relectures et piste d’audit' })
        .waitFor();
      const row = page.locator('#versions tr[data-file="atlas-2026Q3.csv"]');
      await row.getByRole('button', { name: 'Accepter' }).click();
      await expect
        .poll(() => row.locator('.review-state').textContent())
        .toBe('acceptée par Nadia (finance)');

      // The forecast in review: approving asks for the acknowledgement its unreviewed sheets need.
      const card = page.locator(`[data-forecast="${forecastId}"]`);
      await card.getByRole('button', { name: 'Approuver', exact: true }).click();
      await card.getByRole('group', { name: /demandent une prise en compte/ }).waitFor();
      expect(await card.locator('.ack li').count()).toBeGreaterThan(0);
      expect(await card.locator('.ack li').first().textContent()).toMatch(
        /^[\w-]+\.(csv|json) \(T[1-4] \d{4}\) (n’est pas relue|est périmée)$/,
      );
      await web.shot(page, 'finance-ack-fr');
      expect(await web.axe(page)).toEqual([]);
      await card
        .getByLabel('Pourquoi l’approuver malgré tout')
        .fill('Grilles du fournisseur vérifiées à la main');
      await card.getByRole('button', { name: 'Approuver avec cette prise en compte' }).click();
      await page.getByRole('status').filter({ hasText: 'est approuvée' }).waitFor();
      const approved = await web.call<{ status: string }>(
        'GET',
        `/v1/forecasts/${forecastId}`,
        web.keys['finance']!,
      );
      expect(approved.status).toBe('approved');

      // Youssef's own forecast: nothing disabled for Nadia, a second person; she approves it.
      const own = page.locator(`[data-forecast="${ownForecastId}"]`);
      expect(await own.locator('.four-eyes').count()).toBe(0);
      await own.getByRole('button', { name: 'Approuver', exact: true }).click();
      await own
        .getByLabel('Pourquoi l’approuver malgré tout')
        .fill('Grilles du fournisseur vérifiées à la main');
      await own.getByRole('button', { name: 'Approuver avec cette prise en compte' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Youssef’s check est approuvée.' })
        .waitFor();
      expect(
        (await web.call<{ status: string }>('GET', `/v1/forecasts/${ownForecastId}`, web.adminKey))
          .status,
      ).toBe('approved');
      await page.getByText('Aucune prévision n’attend de relecture.').waitFor();

      // The audit trail, filtered to refusals: the uploader's four-eyes refusal is there.
      await page.getByLabel('Issue').selectOption('refused');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await expect
        .poll(async () => (await page.locator('#audit tbody tr').allTextContents()).join('\n'))
        .toMatch(/Youssef \(finance\)POST \/v1\/price-sheets\/:id\/review/);
      expect(await page.locator('#audit tbody tr[data-outcome="ok"]').count()).toBe(0);
      await web.shot(page, 'finance-fr');
      expect(await web.axe(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
