import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { varianceSchema } from '../../server/http/schemas/variance.ts';
import { runCli } from './process.ts';

const tmp = mkdtempSync(join(tmpdir(), 'costcast-compare-'));

/** fixtures/tiny copied to a folder, its assumptions changed by `edit`. */
function tinyFolder(name: string, edit: (a: Record<string, unknown>) => void = () => {}) {
  const dir = join(tmp, name);
  cpSync('fixtures/tiny', dir, { recursive: true });
  const path = join(dir, 'assumptions.json');
  const a = JSON.parse(readFileSync(path, 'utf8'));
  edit(a);
  writeFileSync(path, JSON.stringify(a, null, 2));
  return dir;
}

describe('costcast compare', () => {
  // Old: fixtures/tiny (EXPECTED.md): on time chat 2 837.08728 + store 70.927182 = 2 908.014462.
  // New: store removed; chat's base quantity 100 → 150 (× 1.5, everything else alike):
  //   removed: −70.927182 → 2 837.09 after the step; effect 2 837.09 − 2 908.01 = −70.92
  //   volume:  chat × 1.5 = 4 255.63092 → 4 255.63; effect 4 255.63 − 2 837.09 = +1 418.54
  //   change 4 255.63 − 2 908.01 = +1 347.62 = −70.92 + 1 418.54
  const old = 'fixtures/tiny';
  const next = tinyFolder('new', (a) => {
    const workloads = a.workloads as Record<string, unknown>[];
    a.workloads = [{ ...workloads[0], baseQuantity: '150' }];
  });

  it('prints the bridge of two folders of inputs, effects in order, with the movers', async () => {
    const r = await runCli({}, 'compare', old, next, '--locale', 'en');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const at = (label: string) => lines.find((l) => l.trimStart().startsWith(label)) ?? '';
    expect(at('old total')).toMatch(/2,908\.01 EUR$/);
    expect(at('removed workloads')).toMatch(/-70\.92$/);
    expect(at('volume')).toMatch(/\+1,418\.54$/);
    expect(at('price')).toMatch(/ 0\.00$/);
    expect(at('new total')).toMatch(/4,255\.63 EUR\s+change \+1,347\.62 EUR \(\+46\.3%\)$/);
    // the effects are listed in their order, once per scenario
    const order = lines
      .map((l) => l.trim())
      .filter((l) => /^(removed workloads|horizon|volume|price|FX|scenario|new workloads)/.test(l))
      .slice(0, 7)
      .map((l) => l.split(/\s{2,}|\s\(/)[0]);
    expect(order).toEqual([
      'removed workloads',
      'horizon and start quarter',
      'volume',
      'price',
      'FX',
      'scenario parameters',
      'new workloads',
    ]);
    expect(r.stdout).toMatch(/store \(removed\)\s+70\.93\s+0\.00\s+-70\.93\s+-70\.93/);
  });

  it('prints it in French with --locale fr, and as JSON with --json', async () => {
    const fr = await runCli({}, 'compare', old, next, '--locale', 'fr');
    expect(fr.stdout).toMatch(/ancien total\s+2 908,01 EUR/);
    expect(fr.stdout).toMatch(/volume \(quantités aux anciens prix\)\s+\+1 418,54/);
    const json = await runCli({}, 'compare', old, next, '--json');
    const v = varianceSchema.parse(JSON.parse(json.stdout));
    expect(v.scenarios.map((s) => [s.id, s.total.change])).toEqual([
      ['on-time', '1347.62'],
      // delayed (EXPECTED.md): chat 4 096.369368 + store 85.284 = 4 181.653368 → 4 181.65;
      // new: chat × 1.5 = 6 144.554052 → 6 144.55; change 1 962.90
      ['delayed', '1962.90'],
    ]);
  });

  it('refuses a forecast JSON that does not carry its inputs, saying what to compare instead', async () => {
    const out = join(tmp, 'tiny-forecast.json');
    const f = await runCli(
      {},
      'forecast',
      '--assumptions',
      'fixtures/tiny/assumptions.json',
      '--prices',
      'fixtures/tiny/prices.csv',
      '--draws',
      '0',
      '--json',
      out,
    );
    expect(f.code, f.stderr).toBe(0);
    const r = await runCli({}, 'compare', out, next);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${out}:0:0: this forecast JSON does not carry its inputs (the CLI writes only the results)`,
    );
  });

  it('refuses two reporting currencies and bad arguments, with a clear line', async () => {
    const mad = tinyFolder('mad', (a) => {
      a.reportingCurrency = 'MAD';
      a.fx = { USD: '9.65' };
    });
    const r = await runCli({}, 'compare', old, mad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'reportingCurrency: the new forecast reports in MAD and the old one in EUR',
    );
    const one = await runCli({}, 'compare', old);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('compare takes two forecasts, OLD and NEW (got 1)');
    const none = await runCli({}, 'compare', old, join(tmp, 'nothing-here'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('nothing-here:0:0: no such file or folder');
  });
});
