import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecast } from '../../models/forecast.ts';
import { formatIssue } from '../../models/result.ts';
import { loadInputs } from '../../server/cli/load-inputs.ts';

/** The tiny fixture's scenarios file with a "sensitivity" object, as a user would write it. */
const tmp = mkdtempSync(join(tmpdir(), 'costcast-sensitivity-'));
function scenariosWith(efficiency: object): string {
  const { scenarios } = JSON.parse(readFileSync('fixtures/tiny/scenarios.json', 'utf8'));
  const path = join(tmp, 'scenarios.json');
  const text = JSON.stringify({ scenarios, sensitivity: { efficiency } }, null, 2);
  writeFileSync(path, text);
  return path;
}
const load = (scenarios: string) =>
  loadInputs({
    assumptions: 'fixtures/tiny/assumptions.json',
    prices: ['fixtures/tiny/prices.csv'],
    scenarios,
  });
async function forecastWith(efficiency: object) {
  const inputs = await load(scenariosWith(efficiency));
  if (!inputs.ok) throw new Error(inputs.issues.map(formatIssue).join('\n'));
  const { assumptions, sheets, scenarios, ranges } = inputs.value;
  const f = forecast(assumptions, sheets, {
    draws: 500,
    seed: 7,
    ...(scenarios ? { scenarios } : {}),
    ...(ranges ? { ranges } : {}),
  });
  if (!f.ok) throw new Error('tiny failed');
  return f.value.json;
}
const efficiencyOf = (ranges: readonly { driver: string }[]) =>
  ranges.find((r) => r.driver === 'efficiency');

describe('a set efficiency range in the scenarios file', () => {
  it('refuses a rate of 1 or more at its line and column, pointing to the scale mode', async () => {
    const path = scenariosWith({ low: '0.5', high: '1.5' });
    const r = await load(path);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = readFileSync(path, 'utf8').split('\n');
    const row = lines.findIndex((l) => l.includes('"high": "1.5"')) + 1;
    const column = lines[row - 1]!.indexOf('"high"') + 1; // at its key, as every issue
    expect(r.issues.map(formatIssue)).toEqual([
      `${path}:${row}:${column}: sensitivity.efficiency.high: an efficiency must be < 1 (got 1.5); to scale each workload's own, add "mode": "scale"`,
    ]);
  });

  it('reads a range without a mode as set, as files written before the mode meant it', async () => {
    const json = await forecastWith({ low: '0.40', high: '0.20' });
    expect(efficiencyOf(json.sensitivity.ranges)).toMatchObject({ mode: 'set', low: '0.40' });
    expect(efficiencyOf(json.monteCarlo.ranges)).toMatchObject({ mode: 'scale', low: '0.5' });
  });

  it("moves the tornado, and the Monte Carlo keeps each workload's own efficiency", async () => {
    const json = await forecastWith({ mode: 'set', low: '0.40', high: '0.20' });
    // tiny on time: 2170.3717692 at 0.40 and 2893.8290256 at 0.20 (tests/models/sensitivity.test.ts)
    const bar = json.sensitivity.tornado.find(
      (b) => b.scenarioId === 'on-time' && b.driver === 'efficiency',
    )!;
    expect(bar).toMatchObject({ mode: 'set', low: '0.40', high: '0.20' });
    expect([bar.totalAtLow, bar.totalAtHigh]).toEqual(['2170.37', '2893.83']);
    expect(efficiencyOf(json.sensitivity.ranges)).toMatchObject({ mode: 'set' });
    expect(efficiencyOf(json.monteCarlo.ranges)).toEqual({
      driver: 'efficiency',
      mode: 'scale',
      low: '0.5',
      high: '1.5',
    });
  });

  it('drives the Monte Carlo too with "monteCarlo": true, named as a skewing range', async () => {
    const json = await forecastWith({ mode: 'set', low: '0.40', high: '0.20', monteCarlo: true });
    expect(efficiencyOf(json.monteCarlo.ranges)).toEqual({
      driver: 'efficiency',
      mode: 'set',
      low: '0.40',
      high: '0.20',
    });
    // one rate for chat (0.20) and storage (0): no single base, so never symmetric; its
    // effect on time: (2170.3717692 − 2908.014462) + (2893.8290256 − 2908.014462)
    // = −737.6426928 − 14.1854364 = −751.8281292
    const onTime = json.monteCarlo.scenarios.find((s) => s.id === 'on-time')!;
    expect(onTime.skewedBy.find((d) => d.driver === 'efficiency')).toEqual({
      driver: 'efficiency',
      mode: 'set',
      low: '0.2',
      base: null,
      high: '0.4',
      symmetric: false,
      effect: '-751.83',
    });
  });
});
