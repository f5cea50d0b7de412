import { describe, expect, it } from 'vitest';
import { renderWorkbook } from '../../templates/index.ts';
import { LABELS } from '../../templates/labels.ts';
import { fixtureInputs, forecastOf, OPTIONS } from './helpers.ts';
import { readXlsx } from './xlsx-reader.ts';

/** Every string cached in a sheet's cells. */
const texts = async (bytes: Uint8Array, sheet: string) =>
  [...(await readXlsx(bytes)).sheet(sheet).cells.values()].flatMap((c) =>
    typeof c.value === 'string' ? [c.value] : [],
  );

describe("the workbook's warnings", () => {
  it('are told in the workbook language, the JSON keeping them in English', async () => {
    const inputs = await fixtureInputs('tiny');
    // No providers table and a budget past the horizon: two warnings.
    const f = forecastOf(
      {
        ...inputs,
        assumptions: { ...inputs.assumptions, providers: [], budget: { FY2040: '1000' } },
      },
      0,
    );
    expect(f.json.warnings).toEqual([
      'provider "Acme" is not in the providers table: its jurisdiction is unknown',
      'provider "Backup" is not in the providers table: its jurisdiction is unknown',
      'budget FY2040 is outside the horizon (FY2027)',
    ]);
    const fr = await renderWorkbook(f, { ...OPTIONS, locale: 'fr' });
    for (const sheet of [LABELS.fr.sheet.about, LABELS.fr.sheet.summary]) {
      const cells = await texts(fr, sheet);
      expect(cells).toContain(
        'Le fournisseur « Acme » n’est pas dans la table des fournisseurs : sa juridiction est inconnue',
      );
      expect(cells).toContain('Le budget EX2040 est hors de l’horizon (EX2027)');
      expect(cells.some((c) => c.includes('providers table'))).toBe(false);
    }
    const en = await renderWorkbook(f, { ...OPTIONS, locale: 'en' });
    // The same sentences as the JSON's, each starting with a capital.
    const capitalised = f.json.warnings.map((w) => w.charAt(0).toUpperCase() + w.slice(1));
    expect(await texts(en, LABELS.en.sheet.about)).toEqual(expect.arrayContaining(capitalised));
  });
});
