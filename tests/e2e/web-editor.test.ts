import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../server/helper.ts';
import { amountOf, pick, startWeb, type WebHarness } from './web-helper.ts';

/**
 * The assumptions editor on the Analyst page, in Debian's Chromium at 1366×768, on a real
 * server with the bank sample's price sheets: two of the sample's workloads typed into the
 * form, their SKUs picked through the picker by keyboard, a unit mismatch flagged at its cell
 * and refused before saving, then saved; the stored set (GET /v1/assumptions/:id) is what
 * the sample's JSON says for those workloads, it is selected in the what-if, whose totals are
 * POST /v1/what-if's on the sample's JSON. In French: numbers typed with a decimal comma, a
 * 400 shown at the field it names, in French; a stored set loaded back into the form.
 */

interface Doc {
  name: string;
  workloads: { id: string; provider: string; fallback?: unknown }[];
  providers: { name: string; jurisdiction: string }[];
  [k: string]: unknown;
}

const sample = (): Doc => JSON.parse(fixture('fixtures/bank-ma/assumptions.json').toString('utf8'));

/** The sample with only `ids` among its workloads and the providers they use, in pick order. */
function sampleWith(name: string, ids: readonly string[], providers: readonly string[]): Doc {
  const a = sample();
  const byName = new Map(a.providers.map((p) => [p.name, p]));
  return {
    ...a,
    name,
    workloads: ids.map((id) => {
      const w = a.workloads.find((x) => x.id === id);
      if (!w) throw new Error(`no workload ${id} in the sample`);
      return w;
    }),
    providers: providers.map((p) => byName.get(p)!),
  };
}

describe('the assumptions editor in Chromium', () => {
  let web: WebHarness;
  let newestQuarter = '';

  beforeAll(async () => {
    web = await startWeb('editor', {
      analyst: ['Amina (analyst)', 'analyst'],
      finance: ['Youssef (finance)', 'finance'],
    });
    const { quarters } = await web.uploadBankSample(web.keys['finance']!);
    newestQuarter = quarters.sort().at(-1)!;
    // Atlas prices its GPU hour twice in one list: the picker must say it leaves it out.
    await web.upload(
      web.keys['finance']!,
      'atlas-twice.csv',
      newestQuarter,
      [
        'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency',
        'Atlas,atlas-gpu-hour,1 hour,2.00,EUR',
        'Atlas,atlas-gpu-hour,1 hour,2.50,EUR',
        'Atlas,atlas-storage,GB-Month,0.02,EUR',
      ].join('\r\n'),
    );
  });

  afterAll(async () => {
    await web?.close();
  });

  const signIn = async (page: Page, locale: 'en' | 'fr') => {
    await page.goto(`${web.server.url}/analyst`);
    await page.getByLabel('API key').fill(web.keys['analyst']!);
    await page.getByLabel('API key').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'What-if on an assumption set' }).waitFor();
    if (locale === 'fr') {
      await page.getByLabel('Language').selectOption('fr');
      await page
        .getByRole('heading', { level: 1, name: 'Simulation sur un jeu d’hypothèses' })
        .waitFor();
    }
  };

  it('two of the sample’s workloads typed and picked → the stored set is the sample’s → its what-if is the API’s', async () => {
    const { context, page, problems } = await web.open();
    try {
      await signIn(page, 'en');
      await page.getByRole('button', { name: 'New assumption set' }).click();
      await page.getByRole('heading', { level: 2, name: 'Assumption set' }).waitFor();

      await page.getByLabel('Name', { exact: true }).fill('Banque Atlas (typed)');
      await page.getByLabel('Start quarter').fill('2027-Q1');
      await page.getByLabel('Horizon (quarters)').fill('8');
      await page.getByLabel('Fiscal year starts in').selectOption({ label: 'January' });
      await page.getByLabel('Reporting currency').fill('MAD');
      for (const [i, [c, r]] of [
        ['USD', '9.65'],
        ['EUR', '10.75'],
      ].entries()) {
        await page.getByRole('button', { name: 'Add an exchange rate' }).click();
        await page.getByLabel(`Currency ${i + 1}`, { exact: true }).fill(c!);
        await page.getByLabel(`Rate ${i + 1}`, { exact: true }).fill(r!);
      }
      for (const [i, [y, v]] of [
        ['FY2027', '850,000'],
        ['FY2028', '900000'],
      ].entries()) {
        await page.getByRole('button', { name: 'Add a fiscal year’s budget' }).click();
        await page.getByLabel(`Fiscal year ${i + 1}`, { exact: true }).fill(y!);
        await page.getByLabel(`Amount ${i + 1}`, { exact: true }).fill(v!);
      }

      // A search for Atlas lists its storage only, and says why the GPU hour is not there.
      await page.locator('#ed-w0-sku').fill('atlas');
      await page.locator('#ed-w0-sku-list .ambiguous').waitFor();
      expect(await page.locator('#ed-w0-sku-list').getByRole('option').allTextContents()).toEqual([
        'atlas-storage Atlas · GB-Month',
      ]);
      expect(await page.locator('#ed-w0-sku-list .ambiguous').textContent()).toBe(
        'Not listed: 1 matching SKU(s) with two prices of one kind in these sheets, which price nothing until Finance removes one.',
      );
      await page.locator('#ed-w0-sku').fill('');

      // Workload 1: GPT-4o input tokens, Mistral Large as the fallback.
      await page.getByLabel('Id, workload 1').fill('chatbot-input');
      await page.getByLabel('Name, workload 1').fill('Customer chatbot — input tokens (GPT-4o)');
      await pick(page, 'ed-w0-sku', 'gpt-4o-in', 'gpt-4o-input OpenAI · 1M tokens');
      // Picking filled the unit and the category from the price row.
      expect(await page.getByLabel('Unit, workload 1').inputValue()).toBe('1M tokens');
      expect(await page.getByLabel('Category, workload 1').inputValue()).toBe('llm-inference');
      await expect
        .poll(() => page.locator('#ed-w0-sku-note').textContent())
        .toBe('OpenAI, 1M tokens, 2.25 USD');
      // A unit other than the SKU's is flagged at its cell, and the set is not saved.
      await page.getByLabel('Unit, workload 1').fill('1K tokens');
      const flag = page.locator('tr[data-row="0"] td.unit .field-error');
      expect(await flag.textContent()).toBe('The SKU is priced per “1M tokens”, not “1K tokens”.');
      expect(await page.locator('tr[data-row="0"]').getAttribute('data-mismatch')).toBe('true');
      await page.getByLabel('Base quantity, workload 1').fill('2400');
      await page.getByLabel('Growth per quarter, workload 1').fill('0.12');
      await page.getByLabel('Efficiency, workload 1').fill('0.25');
      await pick(page, 'ed-w0-fallback', 'mistral-large-in', 'mistral-large-input Mistral');

      // Workload 2: Cloud Storage in Paris: three regions, the third (sorted) picked.
      await page.getByRole('button', { name: 'Add a workload' }).click();
      await page.getByLabel('Id, workload 2').fill('object-storage');
      await page
        .getByLabel('Name, workload 2')
        .fill('Document store for retrieval (Cloud Storage Standard, Paris)');
      await pick(page, 'ed-w1-sku', 'gcs-standard', 'europe-west9', 2);
      expect(await page.getByLabel('Unit, workload 2').inputValue()).toBe('GB-Month');
      expect(await page.getByLabel('Category, workload 2').inputValue()).toBe('storage');
      expect(await page.locator('#ed-w1-sku-note').textContent()).toMatch(
        /^Google Cloud, europe-west9, GB-Month, /,
      );
      await page.getByLabel('Base quantity, workload 2').fill('60 000');
      await page.getByLabel('Growth per quarter, workload 2').fill('0.06');
      await page.getByLabel('Efficiency, workload 2').fill('0.10');

      // The providers picked were added, in pick order: their jurisdictions typed.
      expect(
        await page
          .locator('#ed-p input[id$="-a"]')
          .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value)),
      ).toEqual(['OpenAI', 'Mistral', 'Google Cloud']);
      for (const [i, j] of ['US', 'FR', 'US'].entries())
        await page.getByLabel(`Jurisdiction ${i + 1}`, { exact: true }).fill(j);

      await web.shot(page, 'analyst-editor-en');
      expect(await web.axe(page)).toEqual([]);

      await page.getByRole('button', { name: 'Save the assumption set' }).click();
      await page.locator('#ed-blocked').waitFor();
      expect(await page.locator('#ed-blocked').textContent()).toMatch(/^1 workload\(s\) use/);
      await page.getByLabel('Unit, workload 1').fill('1M tokens');
      expect(await flag.count()).toBe(0);
      await page.getByRole('button', { name: 'Save the assumption set' }).click();
      await page.locator('#ed-saved').waitFor();
      const id = (await page.locator('#ed-saved').getAttribute('data-id'))!;
      expect(await page.locator('#ed-saved').textContent()).toBe(
        'Saved: Banque Atlas (typed), version 1. It is selected in the what-if below.',
      );

      // Stored as the sample says for those two workloads (budget typed "850,000" → "850000").
      const expected = sampleWith(
        'Banque Atlas (typed)',
        ['chatbot-input', 'object-storage'],
        ['OpenAI', 'Mistral', 'Google Cloud'],
      );
      const stored = await web.call<{ assumptions: Doc }>(
        'GET',
        `/v1/assumptions/${id}`,
        web.keys['analyst']!,
      );
      expect(stored.assumptions).toEqual(expected);

      // Selected in the what-if; its totals are the API's on the sample's JSON.
      expect(await page.locator('#wi-set').inputValue()).toBe(id);
      await page.locator('#whatif-totals tbody tr').first().waitFor();
      const api = await web.call<{ scenarios: { id: string; total: string }[] }>(
        'POST',
        '/v1/what-if',
        web.keys['analyst']!,
        { assumptions: expected, asOf: newestQuarter, draws: 500 },
      );
      await expect
        .poll(async () => {
          const out: Record<string, string> = {};
          for (const row of await page.locator('#whatif-totals tbody tr').all())
            out[(await row.getAttribute('data-scenario'))!] = amountOf(
              (await row.locator('td').first().textContent())!,
              'en',
            );
          return out;
        })
        .toEqual(Object.fromEntries(api.scenarios.map((s) => [s.id, s.total])));
      expect(problems).toEqual([]);
    } catch (e) {
      await web.shot(page, 'failed-editor-en');
      process.stdout.write(`page problems: ${problems.join('\n')}\n${web.serverTail()}\n`);
      throw e;
    } finally {
      await context.close();
    }
  });

  it('in French: decimal commas, a 400 shown at its field in French, a stored set loaded back', async () => {
    // The 400 the test provokes is expected.
    const { context, page, problems } = await web.open({ allow: /status of (40[013])/ });
    try {
      await signIn(page, 'fr');
      await page.getByRole('button', { name: 'Nouveau jeu d’hypothèses' }).click();
      await page.getByLabel('Nom', { exact: true }).fill('Routage (saisi en français)');
      // No fifth quarter: the form sends it as typed, and the service refuses it.
      await page.getByLabel('Premier trimestre').fill('2027-T5');
      await page.getByLabel('Horizon (trimestres)').fill('4');
      await page.getByLabel('L’exercice commence en').selectOption({ label: 'juillet' });
      await page.getByLabel('Devise de présentation').fill('MAD');
      await page.getByRole('button', { name: 'Ajouter un taux de change' }).click();
      await page.getByLabel('Devise 1', { exact: true }).fill('USD');
      await page.getByLabel('Taux 1', { exact: true }).fill('9,65');
      await page.getByLabel('Identifiant, charge 1').fill('routing');
      await page.getByLabel('Nom, charge 1').fill('Routage des intentions');
      await pick(page, 'ed-w0-sku', 'gpt-4o-mini-in', 'gpt-4o-mini-input OpenAI');
      await page.getByLabel('Quantité de base, charge 1').fill('1 500');
      await page.getByLabel('Croissance par trimestre, charge 1').fill('0,10');
      await page.getByLabel('Efficacité, charge 1').fill('0,10');
      await page.getByLabel('Juridiction 1', { exact: true }).fill('US');
      await page.getByRole('button', { name: 'Enregistrer le jeu d’hypothèses' }).click();

      // The 400 names startQuarter: shown under that field, in French, the field invalid.
      await page.locator('#ed-issues').waitFor();
      const start = page.getByLabel('Premier trimestre');
      expect(await start.getAttribute('aria-invalid')).toBe('true');
      const at = page.locator('#ed-err-startQuarter');
      expect(await at.textContent()).toMatch(/trimestre|2027-T5/);
      expect(await at.textContent()).not.toMatch(/\bmust\b/);
      await web.shot(page, 'analyst-editor-fr');
      expect(await web.axe(page)).toEqual([]);

      // Written as a French reader writes it, it is read as 2027-Q1.
      await start.fill('T1 2027');
      await page.getByRole('button', { name: 'Enregistrer le jeu d’hypothèses' }).click();
      await page.locator('#ed-saved').waitFor();
      const id = (await page.locator('#ed-saved').getAttribute('data-id'))!;
      const stored = await web.call<{ assumptions: Doc }>(
        'GET',
        `/v1/assumptions/${id}`,
        web.keys['analyst']!,
      );
      const { fallback: _none, ...routing } = sample().workloads.find((w) => w.id === 'routing')!;
      expect(stored.assumptions).toEqual({
        name: 'Routage (saisi en français)',
        startQuarter: '2027-Q1',
        horizonQuarters: 4,
        fiscalYearStartMonth: 7,
        reportingCurrency: 'MAD',
        fx: { USD: '9.65' },
        providers: [{ name: 'OpenAI', jurisdiction: 'US' }],
        // The sample's routing workload (GPT-4o mini input), without its fallback.
        workloads: [{ ...routing, name: 'Routage des intentions' }],
      });
      expect(await page.locator('#wi-set').inputValue()).toBe(id);

      // Loaded back: the form shows the stored numbers the French way.
      await page.getByRole('button', { name: 'Fermer l’éditeur' }).click();
      await page.getByRole('button', { name: 'Modifier le jeu choisi' }).click();
      const growth = page.getByLabel('Croissance par trimestre, charge 1');
      await growth.waitFor();
      expect(await growth.inputValue()).toBe('0,10');
      expect(await page.getByLabel('Quantité de base, charge 1').inputValue()).toBe('1500');
      await expect
        .poll(() => page.locator('#ed-w0-sku-note').textContent())
        .toBe('OpenAI, 1M tokens, 0,15 USD');
      expect(await web.axe(page)).toEqual([]);
      expect(problems).toEqual([]);
    } catch (e) {
      await web.shot(page, 'failed-editor-fr');
      process.stdout.write(`page problems: ${problems.join('\n')}\n${web.serverTail()}\n`);
      throw e;
    } finally {
      await context.close();
    }
  });
});
