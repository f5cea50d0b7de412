// The workbook round trip through another spreadsheet application: the sample's workbook,
// saved again by LibreOffice and by Gnumeric (as an analyst saving it from their own
// application would), still reads back as the assumptions it was made from.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AssumptionsInput, assumptionsSchema } from '../../models/assumptions.ts';
import { Decimal } from '../../models/money.ts';
import { assumptionsFromWorkbook } from '../../server/ingest/workbook/inputs.ts';
import { renderWorkbook } from '../../templates/index.ts';
import { FIXTURES, fixtureForecast, OPTIONS } from '../templates/helpers.ts';
import {
  convert,
  gnumericRecalc,
  hasGnumeric,
  hasLibreOffice,
  recalcProfile,
} from '../templates/libreoffice.ts';

/** Assumptions as values: decimals by value, providers by name, no `region: null`. */
function normal(a: AssumptionsInput) {
  const dec = (v: string) => new Decimal(v).toString();
  return {
    ...a,
    fx: Object.fromEntries(Object.entries(a.fx ?? {}).map(([k, v]) => [k, dec(v)])),
    providers: [...(a.providers ?? [])].sort((x, y) => x.name.localeCompare(y.name)),
    workloads: a.workloads.map(({ region, ...w }) => ({
      ...w,
      ...(region == null ? {} : { region }),
      baseQuantity: dec(w.baseQuantity),
      growthPerQuarter: dec(w.growthPerQuarter),
      efficiency: dec(w.efficiency),
    })),
  };
}

const bank = assumptionsSchema.parse(
  JSON.parse(readFileSync(join(FIXTURES, 'bank-ma/assumptions.json'), 'utf8')),
);

describe.each(['en', 'fr'] as const)(
  'the %s workbook saved again by another application',
  (locale) => {
    const dir = mkdtempSync(join(tmpdir(), `costcast-roundtrip-${locale}-`));
    const rendered = async () => {
      const path = join(dir, `bank-${locale}.xlsx`);
      writeFileSync(
        path,
        await renderWorkbook(await fixtureForecast('bank-ma', 0), { ...OPTIONS, locale }),
      );
      return path;
    };
    const readBack = async (path: string) => {
      const r = await assumptionsFromWorkbook(readFileSync(path), { file: path });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      expect(r.value.locale).toBe(locale);
      expect(normal(r.value.assumptions)).toEqual(normal(bank));
    };

    it.skipIf(!hasLibreOffice)('by LibreOffice, reads back as the assumptions', async () => {
      const [saved] = convert([await rendered()], 'xlsx', join(dir, 'lo'), recalcProfile());
      await readBack(saved!);
    });

    it.skipIf(!hasGnumeric)('by Gnumeric, reads back as the assumptions', async () => {
      const [saved] = gnumericRecalc([await rendered()], join(dir, 'gnumeric'));
      await readBack(saved!);
    });
  },
);
