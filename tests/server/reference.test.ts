import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecast } from '../../models/forecast.ts';
import { Decimal, money } from '../../models/money.ts';
import { loadInputs } from '../../server/cli/load-inputs.ts';

/**
 * The engine against an independent implementation of the formula of docs/model.md in Python's
 * decimal module (tests/reference/reference.py), on every bundled fixture, read through
 * the real parsers (English and French CSV, BOM, CRLF, JSON rows).
 */
function reference(
  dir: string,
): Record<string, { byQuarter: string[]; total: string; byWorkload: Record<string, string[]> }> {
  return JSON.parse(
    execFileSync('python3', ['tests/reference/reference.py', dir], { encoding: 'utf8' }),
  );
}

const near = (actual: Decimal, expected: string) => {
  const e = new Decimal(expected);
  const tolerance = Decimal.max(e.abs().times('1e-9'), new Decimal('1e-9'));
  expect(actual.minus(e).abs().lte(tolerance), `${actual} ≈ ${expected}`).toBe(true);
};

describe.each(['tiny', 'bank-ma'])('fixtures/%s against the Python reference', (name) => {
  const dir = join('fixtures', name);
  const prices =
    name === 'tiny'
      ? [join(dir, 'prices.csv')]
      : readdirSync(join(dir, 'prices')).map((f) => join(dir, 'prices', f));

  it('agrees on every quarter, every workload and the total of every scenario', async () => {
    const inputs = await loadInputs({
      assumptions: join(dir, 'assumptions.json'),
      prices,
      scenarios: join(dir, 'scenarios.json'),
    });
    if (!inputs.ok) throw new Error(JSON.stringify(inputs.issues));
    const { assumptions, sheets, scenarios } = inputs.value;
    const result = forecast(assumptions, sheets, { draws: 0, ...(scenarios ? { scenarios } : {}) });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const expected = reference(dir);
    expect(result.value.projections.map((p) => p.scenario.id)).toEqual(Object.keys(expected));
    for (const p of result.value.projections) {
      const ref = expected[p.scenario.id]!;
      expect(money(p.total)).toBe(money(new Decimal(ref.total)));
      for (const [t, q] of p.byQuarter.entries()) near(q, ref.byQuarter[t]!);
      for (const w of p.workloads)
        for (const [t, c] of w.cost.entries()) near(c, ref.byWorkload[w.workload.id]![t]!);
    }
  });
});
