import { afterAll, describe, expect, it } from 'vitest';
import type { ScenariosFile } from '../../../models/scenarios.ts';
import { variance } from '../../../models/variance.ts';
import { type ComputeRequest, computePool } from '../../../server/compute/pool.ts';
import { handle } from '../../../server/compute/worker.ts';
import { loadBankInputs } from '../helper.ts';

const bank = await loadBankInputs();
const scenarios: ScenariosFile = { scenarios: [...(bank.scenarios ?? [])] };
// The new side: the bank sample with a dearer dollar.
const next = { ...bank.assumptions, fx: { ...bank.assumptions.fx, USD: '10' } };

const request: ComputeRequest = {
  assumptions: next,
  sheets: bank.sheets,
  scenarios,
  draws: 0,
  seed: 1,
  sensitivity: false,
  varianceFrom: { assumptions: bank.assumptions, sheets: bank.sheets, scenarios },
};

/** What the engine gives without any pool: models/variance.ts on the same inputs. */
function direct(): string {
  const v = variance(
    { ...bank, scenarios: scenarios.scenarios },
    { ...bank, assumptions: next, scenarios: scenarios.scenarios },
  );
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return JSON.stringify(v.value);
}

const text = (out: { kind: string; json?: Uint8Array }) => {
  if (out.kind !== 'ok' || !out.json) throw new Error(JSON.stringify(out));
  return new TextDecoder().decode(out.json);
};

describe('a variance task', () => {
  const threads = computePool({ threads: 1 });
  const inProcess = computePool({ threads: 0 });
  afterAll(async () => {
    await threads.close();
    await inProcess.close();
  });

  it('gives the bridge of models/variance.ts, in a worker thread and in process, again from sheets already sent', async () => {
    const expected = direct();
    // only FX moved: every scenario's change is its FX effect
    const v = JSON.parse(expected);
    for (const s of v.scenarios) expect(s.total.exact.effects.fx).toBe(s.total.exact.change);
    expect(text(await threads.forecast(request))).toBe(expected);
    expect(text(await threads.forecast(request))).toBe(expected);
    expect(text(await inProcess.forecast(request))).toBe(expected);
  });

  it('asks a worker for the old side’s sheets and assumption set it does not hold, then computes', async () => {
    const keyed = (prefix: string) => bank.sheets.map((_, i) => ({ key: `${prefix}-${i}` }));
    const task = {
      assumptions: next,
      sheets: bank.sheets.map((sheet, i) => ({ key: `vt-new-${i}`, sheet })),
      scenarios,
      draws: 0,
      seed: 1,
      sensitivity: false,
      against: { assumptionsKey: 'assumption-set:vt-old', sheets: keyed('vt-old'), scenarios },
    };
    const missing = await handle(task);
    expect(missing).toEqual({
      kind: 'missing',
      keys: [...keyed('vt-old').map((s) => s.key), 'assumption-set:vt-old'],
    });
    const full = {
      ...task,
      against: {
        ...task.against,
        assumptions: bank.assumptions,
        sheets: bank.sheets.map((sheet, i) => ({ key: `vt-old-${i}`, sheet })),
      },
    };
    expect(text(await handle(full))).toBe(direct());
    // now held: keys alone suffice
    expect(text(await handle(task))).toBe(direct());
  });
});
