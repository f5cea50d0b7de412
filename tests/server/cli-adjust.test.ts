import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ForecastJson, forecastJsonSchema } from '../../models/forecast-json.ts';
import { Decimal, money } from '../../models/money.ts';
import { readXlsx } from '../templates/xlsx-reader.ts';
import { runCli } from './process.ts';

/*
 * `costcast forecast --growth X --efficiency X`: the API's `adjust` on the command line (the
 * same models/adjust.ts), checked against the independent Python engine run with the same
 * flags (tests/reference/reference.py applies the multipliers itself, in Python decimals).
 */
const tmp = mkdtempSync(join(tmpdir(), 'costcast-cli-adjust-'));
const bank = [
  '--assumptions',
  'fixtures/bank-ma/assumptions.json',
  '--prices',
  'fixtures/bank-ma/prices',
  '--scenarios',
  'fixtures/bank-ma/scenarios.json',
  '--draws',
  '0',
  '--generated-at',
  '2026-12-01T00:00:00Z',
];
const EN = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

/** The Python reference's totals of the bank sample with these flags, rounded to cents. */
function reference(...flags: string[]): Record<string, string> {
  const out = JSON.parse(
    execFileSync('python3', ['tests/reference/reference.py', 'fixtures/bank-ma', ...flags], {
      encoding: 'utf8',
    }),
  ) as Record<string, { total: string }>;
  return Object.fromEntries(
    Object.entries(out).map(([id, s]) => [id, money(new Decimal(s.total))]),
  );
}
const totals = (f: ForecastJson) => Object.fromEntries(f.scenarios.map((s) => [s.id, s.total]));

const NOTE =
  "growth × 1.2, efficiency × 0.8 applied as what-if multipliers: each workload's growthPerQuarter and efficiency multiplied before the projection (the assumptions shown are the adjusted ones)";

describe('costcast forecast --growth --efficiency', () => {
  it('equals the Python reference with the same flags, and says so in the JSON, the warnings and the workbook', async () => {
    const json = join(tmp, 'adjusted.json');
    const out = join(tmp, 'adjusted.xlsx');
    const r = await runCli(
      EN,
      'forecast',
      ...bank,
      '--growth',
      '1.2',
      '--efficiency',
      '0.8',
      '--json',
      json,
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const f = forecastJsonSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
    expect(totals(f)).toEqual(reference('--growth', '1.2', '--efficiency', '0.8'));
    // not the sample's own totals (README: 1,549,133.93 on time)
    expect(totals(f)['on-time']).not.toBe('1549133.93');
    expect(f.adjust).toEqual({ growth: '1.2', efficiency: '0.8' });
    expect(f.warnings).toContain(NOTE);
    expect(r.stderr).toContain(`costcast: warning: ${NOTE}`);
    // the workbook: the note on its Summary, the adjusted growth (0.12 × 1.2 = 0.144) on Inputs
    const wb = await readXlsx(readFileSync(out));
    const summary = [...wb.sheets[0]!.cells.values()].map((c) => String(c.value ?? ''));
    expect(summary).toContain(`G${NOTE.slice(1)}`);
    const inputs = wb.sheets.find((s) => s.name === 'Inputs')!;
    const chatbot = [...inputs.cells.values()].find((c) => c.value === 'chatbot-input')!;
    expect([...inputs.cells.values()].some((c) => c.row === chatbot.row && c.value === 0.144)).toBe(
      true,
    );
  });

  it('one flag alone, and multipliers of 1 are no adjustment', async () => {
    const g = await runCli(EN, 'forecast', ...bank, '--growth', '0.5');
    expect(g.code, g.stderr).toBe(0);
    const f = JSON.parse(g.stdout) as ForecastJson;
    expect(totals(f)).toEqual(reference('--growth', '0.5'));
    expect(f.adjust).toEqual({ growth: '0.5' });
    const plain = await runCli(EN, 'forecast', ...bank);
    const ones = await runCli(EN, 'forecast', ...bank, '--growth', '1', '--efficiency', '1.0');
    expect(ones.code).toBe(0);
    expect(ones.stdout).toBe(plain.stdout);
  });

  it('refuses a multiplier that takes a workload out of bounds: exit 2, located in the assumptions file', async () => {
    // chatbot-input's efficiency 0.25 (fixtures/bank-ma/assumptions.json line 52) × 4 = 1
    const en = await runCli(EN, 'forecast', ...bank, '--efficiency', '4');
    expect(en.code).toBe(2);
    expect(en.stdout).toBe('');
    expect(en.stderr).toContain(
      'fixtures/bank-ma/assumptions.json:52:7: --efficiency: workload "chatbot-input": efficiency 0.25 × 4 = 1, must be < 1\n',
    );
    const fr = await runCli(EN, 'forecast', ...bank, '--efficiency', '4', '--locale', 'fr');
    expect(fr.code).toBe(2);
    expect(fr.stderr).toContain(
      'fixtures/bank-ma/assumptions.json:52:7: --efficiency: charge « chatbot-input » : efficacité 0.25 × 4 = 1, doit être < 1\n',
    );
  });

  it('refuses a value that is not a multiplier from 0 to 10, with the usage', async () => {
    for (const [flag, value] of [
      ['--growth', 'abc'],
      ['--growth', '11'],
      ['--efficiency', '-0.5'],
      ['--efficiency', '1,2'],
    ] as const) {
      const r = await runCli(EN, 'forecast', ...bank, `${flag}=${value}`);
      expect(r.code, `${flag} ${value}`).toBe(2);
      const [first, usage] = r.stderr.split('\n');
      expect(first).toBe(
        `costcast: ${flag} must be a decimal multiplier from 0 to 10, such as 1.2 (got "${value}")`,
      );
      expect(usage).toBe('Usage:');
      expect(r.stderr).toContain('[--growth X] [--efficiency X]');
    }
    const fr = await runCli(EN, 'forecast', ...bank, '--growth', '11', '--locale', 'fr');
    expect(fr.stderr.split('\n')[0]).toBe(
      'costcast: --growth doit être un multiplicateur décimal de 0 à 10, par exemple 1.2 (reçu "11")',
    );
  });
});
