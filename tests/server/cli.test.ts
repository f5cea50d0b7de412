import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecastJsonSchema } from '../../models/forecast-json.ts';
import { readXlsx } from '../templates/xlsx-reader.ts';
import { runCli } from './process.ts';

/** Runs the CLI as a user would (`npm run costcast -- …` is `tsx server/cli/main.ts …`). */
async function costcast(...args: string[]) {
  return costcastIn({}, ...args);
}

const costcastIn = runCli;

const tmp = mkdtempSync(join(tmpdir(), 'costcast-cli-'));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};
const tinyArgs = [
  '--assumptions',
  'fixtures/tiny/assumptions.json',
  '--prices',
  'fixtures/tiny/prices.csv',
];

describe('costcast forecast', () => {
  it('writes the forecast JSON (docs/contracts.md) and prints a summary', async () => {
    const out = join(tmp, 'tiny.json');
    const r = await costcast(
      'forecast',
      ...tinyArgs,
      '--scenarios',
      'fixtures/tiny/scenarios.json',
      '--draws',
      '500',
      '--seed',
      '7',
      '--json',
      out,
    );
    expect(r.stderr).toContain('costcast: wrote');
    expect(r.code).toBe(0);
    const json = forecastJsonSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    // hand-checked in fixtures/tiny/EXPECTED.md
    expect(json.scenarios.map((s) => [s.id, s.total])).toEqual([
      ['on-time', '2908.01'],
      ['delayed', '4181.65'],
    ]);
    expect(json.monteCarlo).toMatchObject({ draws: 500, seed: 7 });
    expect(json.sensitivity.grid[0]!.totals).toHaveLength(9);
    expect(r.stdout).toMatch(/on time\s+2,908\.01 EUR/i);
  });

  it('prints the JSON on standard output without --json or --out', async () => {
    const r = await costcast('forecast', ...tinyArgs, '--draws', '0');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).currency).toBe('EUR');
  });

  it('gives the same Monte Carlo for the same seed', async () => {
    const a = await costcast('forecast', ...tinyArgs, '--draws', '300', '--seed', '42');
    const b = await costcast('forecast', ...tinyArgs, '--draws', '300', '--seed', '42');
    expect(JSON.parse(a.stdout).monteCarlo).toEqual(JSON.parse(b.stdout).monteCarlo);
  });
});

describe('the printed summary', () => {
  const squeeze = (text: string) => text.split('\n').map((l) => l.replace(/ {2,}/g, ' ').trim());

  // fixtures/tiny/EXPECTED.md: on time 2908.01, delayed 4181.65 against a 3000 budget,
  // 4181.65 − 3000 = 1181.65 over. Without --scenarios the defaults have the same parameters.
  it('groups thousands, names the currency and flags an exceeded budget (English)', async () => {
    const r = await costcastIn(
      { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
      'forecast',
      ...tinyArgs,
      '--draws',
      '0',
      '--json',
      join(tmp, 'tiny-en.json'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(squeeze(r.stdout)).toEqual([
      'Tiny hand-checkable model — EUR, 2027-Q1…2027-Q4',
      'Stargate on time 2,908.01 EUR',
      'FY2027 2,908.01 EUR budget 3,000.00 EUR within budget',
      'Stargate delayed 4,181.65 EUR',
      'FY2027 4,181.65 EUR budget 3,000.00 EUR OVER BUDGET by 1,181.65 EUR',
      '',
    ]);
  });

  it('speaks French with --locale fr or LANG=fr_FR.UTF-8', async () => {
    const expected = [
      'Tiny hand-checkable model — EUR, T1 2027…T4 2027',
      'Stargate à l’heure 2 908,01 EUR',
      'EX2027 2 908,01 EUR budget 3 000,00 EUR dans le budget',
      'Stargate retardé 4 181,65 EUR',
      'EX2027 4 181,65 EUR budget 3 000,00 EUR BUDGET DÉPASSÉ de 1 181,65 EUR',
      '',
    ];
    const json = join(tmp, 'tiny-fr.json');
    const byOption = await costcast(
      'forecast',
      ...tinyArgs,
      '--draws',
      '0',
      '--json',
      json,
      '--locale',
      'fr',
    );
    expect(squeeze(byOption.stdout)).toEqual(expected);
    expect(byOption.stderr).toContain('costcast: lecture des hypothèses et des grilles tarifaires');
    expect(byOption.stderr).toContain(`costcast: écrit : ${json}`);
    const byLang = await costcastIn(
      { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
      'forecast',
      ...tinyArgs,
      '--draws',
      '0',
      '--json',
      json,
    );
    expect(squeeze(byLang.stdout)).toEqual(expected);
    // The JSON stays in English, with the same ids.
    expect(JSON.parse(readFileSync(json, 'utf8')).scenarios[1]).toMatchObject({
      id: 'delayed',
      name: 'Stargate delayed',
    });
    // Two CLI processes, each loading TypeScript through tsx.
  });

  it('writes error lines in French, locations and fields unchanged', async () => {
    const a = JSON.parse(readFileSync('fixtures/tiny/assumptions.json', 'utf8'));
    a.workloads[1].efficiency = '1.5';
    const path = file('eff-fr.json', JSON.stringify(a, null, 2));
    const r = await costcastIn(
      { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
      'forecast',
      '--assumptions',
      path,
      '--prices',
      'fixtures/tiny/prices.csv',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`${path}:\\d+:7: workloads\\.1\\.efficiency: doit être < 1 \\(reçu 1\\.5\\)`),
    );
    const usage = await costcast('forecast', '--locale', 'fr', '--colour', 'red');
    expect(usage.stderr).toContain("costcast: option inconnue '--colour'");
    const english = await costcastIn(
      { LANG: 'fr_FR.UTF-8' },
      'forecast',
      '--locale',
      'en',
      '--draws',
      'x',
    );
    expect(english.stderr).toContain('costcast: --assumptions is required');
    // Three CLI processes, each loading TypeScript through tsx.
  });
});

describe('costcast forecast --out', () => {
  it('writes a byte-identical workbook for the same inputs and --generated-at, in any time zone', async () => {
    const paths = await Promise.all(
      ['UTC', 'America/Los_Angeles', 'Asia/Kolkata'].map(async (tz, i) => {
        const out = join(tmp, `tiny-${i}.xlsx`);
        const r = await costcastIn(
          { TZ: tz },
          'forecast',
          ...tinyArgs,
          '--draws',
          '200',
          '--out',
          out,
          '--generated-at',
          '2026-11-22T09:00:00Z',
        );
        expect(r.code, r.stderr).toBe(0);
        return out;
      }),
    );
    const [a, b, c] = paths.map((p) => readFileSync(p));
    expect(a!.subarray(0, 2).toString()).toBe('PK');
    expect(b!.equals(a!)).toBe(true);
    expect(c!.equals(a!)).toBe(true);
    // Three CLI processes side by side, each loading TypeScript through tsx.
  });

  it('refuses a --generated-at that is not a date', async () => {
    const r = await costcast(
      'forecast',
      ...tinyArgs,
      '--out',
      join(tmp, 'x.xlsx'),
      '--generated-at',
      'yesterday',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--generated-at must be an ISO date-time');
  });
});

describe('costcast forecast --against', () => {
  it('adds the Changes sheet bridging from an earlier folder of inputs', async () => {
    // Earlier: the tiny model with chat at 80 units a quarter instead of 100.
    const earlier = mkdtempSync(join(tmpdir(), 'costcast-earlier-'));
    const a = JSON.parse(readFileSync('fixtures/tiny/assumptions.json', 'utf8'));
    a.workloads[0].baseQuantity = '80';
    writeFileSync(join(earlier, 'assumptions.json'), JSON.stringify(a));
    writeFileSync(join(earlier, 'prices.csv'), readFileSync('fixtures/tiny/prices.csv'));
    const out = join(tmp, 'tiny-against.xlsx');
    const r = await costcast(
      'forecast',
      ...tinyArgs,
      '--draws',
      '0',
      '--out',
      out,
      '--against',
      earlier,
    );
    expect(r.code, r.stderr).toBe(0);
    const book = await readXlsx(readFileSync(out));
    expect(book.sheets.map((x) => x.name).slice(0, 2)).toEqual(['Summary', 'Changes']);
  });

  it('needs --out, and reads OLD as compare does', async () => {
    const r = await costcast('forecast', ...tinyArgs, '--against', 'fixtures/tiny');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--against adds the Changes sheet to the workbook: give --out too');
    const missing = await costcast(
      'forecast',
      ...tinyArgs,
      '--draws',
      '0',
      '--out',
      join(tmp, 'y.xlsx'),
      '--against',
      join(tmp, 'no-such-folder'),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
  });
});

describe('bad input: exit 2 with file:row:column: message lines', () => {
  it('places an assumptions schema error at its line and column', async () => {
    const a = JSON.parse(readFileSync('fixtures/tiny/assumptions.json', 'utf8'));
    a.workloads[1].efficiency = '1.5';
    const path = file('eff.json', JSON.stringify(a, null, 2));
    const r = await costcast(
      'forecast',
      '--assumptions',
      path,
      '--prices',
      'fixtures/tiny/prices.csv',
    );
    expect(r.code).toBe(2);
    // find the line of the second "efficiency" key by hand
    const lines = JSON.stringify(a, null, 2).split('\n');
    const row =
      lines.findIndex(
        (l, i) =>
          l.includes('"efficiency"') && i > lines.findIndex((x) => x.includes('"efficiency"')),
      ) + 1;
    const column = lines[row - 1]!.indexOf('"efficiency"') + 1;
    expect(r.stderr.split('\n').filter((l) => l.startsWith(path))).toEqual([
      `${path}:${row}:${column}: workloads.1.efficiency: must be < 1 (got 1.5)`,
    ]);
  });

  it('places a unit mismatch at the workload unit', async () => {
    const a = JSON.parse(readFileSync('fixtures/tiny/assumptions.json', 'utf8'));
    a.workloads[0].unit = '1K tokens';
    const text = JSON.stringify(a, null, 2);
    const path = file('unit.json', text);
    const r = await costcast(
      'forecast',
      '--assumptions',
      path,
      '--prices',
      'fixtures/tiny/prices.csv',
      '--draws',
      '0',
    );
    expect(r.code).toBe(2);
    const lines = text.split('\n');
    const row = lines.findIndex((l) => l.includes('"1K tokens"')) + 1;
    expect(r.stderr).toContain(
      `${path}:${row}:7: workloads.0.unit: unit "1K tokens" differs from the PricingUnit "1M tokens"`,
    );
  });

  it('reports a schema error and a unit mismatch of another workload in one pass', async () => {
    const a = JSON.parse(readFileSync('fixtures/tiny/assumptions.json', 'utf8'));
    a.workloads[1].efficiency = '1.5';
    a.workloads[0].unit = '1K tokens';
    const text = JSON.stringify(a, null, 2);
    const path = file('both.json', text);
    const r = await costcast(
      'forecast',
      '--assumptions',
      path,
      '--prices',
      'fixtures/tiny/prices.csv',
    );
    expect(r.code).toBe(2);
    const lines = text.split('\n');
    const unitRow = lines.findIndex((l) => l.includes('"1K tokens"')) + 1;
    const effRow = lines.findIndex((l) => l.includes('"1.5"')) + 1;
    const fallbackRow = lines.findIndex((l) => l.includes('"backup-chat"')) + 1;
    expect(r.stderr.split('\n').filter((l) => l.startsWith(path))).toEqual([
      `${path}:${effRow}:7: workloads.1.efficiency: must be < 1 (got 1.5)`,
      `${path}:${unitRow}:7: workloads.0.unit: unit "1K tokens" differs from the PricingUnit "1M tokens" of Acme acme-chat (fixtures/tiny/prices.csv:2); costcast never converts units silently`,
      // the fallback SKU is priced per 1M tokens too
      `${path}:${fallbackRow}:9: workloads.0.fallback.skuId: unit "1K tokens" differs from the PricingUnit "1M tokens" of Backup backup-chat (fixtures/tiny/prices.csv:3); costcast never converts units silently`,
    ]);
  });

  it('reports a bad scenarios file and a SKU no sheet has in one pass', async () => {
    const a = JSON.parse(readFileSync('fixtures/tiny/assumptions.json', 'utf8'));
    a.workloads[0].skuId = 'acme-chat-9';
    const path = file('sku.json', JSON.stringify(a, null, 2));
    const scenarios = file('s.json', '{ "scenarios": [ { "id": "x" } ] }');
    const r = await costcast(
      'forecast',
      '--assumptions',
      path,
      '--prices',
      'fixtures/tiny/prices.csv',
      '--scenarios',
      scenarios,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${scenarios}:1:`);
    expect(r.stderr).toMatch(new RegExp(`${path}:\\d+:7: workloads\\.0\\.skuId: .*acme-chat-9`));
  });

  it('waits for a price sheet with bad rows before saying a SKU is missing', async () => {
    const a = JSON.parse(readFileSync('fixtures/tiny/assumptions.json', 'utf8'));
    a.workloads[1].efficiency = '1.5';
    const csv = readFileSync('fixtures/tiny/prices.csv', 'utf8').replace('10,USD', '1O,USD');
    const r = await costcast(
      'forecast',
      '--assumptions',
      file('wait.json', JSON.stringify(a, null, 2)),
      '--prices',
      file('bad-row.csv', csv),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workloads.1.efficiency');
    expect(r.stderr).toContain('ListUnitPrice');
    expect(r.stderr).not.toContain('skuId');
  });

  it('places a bad price at its CSV row and column', async () => {
    const csv = readFileSync('fixtures/tiny/prices.csv', 'utf8').replace('10,USD', '1O,USD');
    const path = file('prices.csv', csv);
    const r = await costcast(
      'forecast',
      '--assumptions',
      'fixtures/tiny/assumptions.json',
      '--prices',
      path,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${path}:2:4: ListUnitPrice: .*1O`));
  });

  it('reports a missing file and a JSON syntax error', async () => {
    const broken = file('broken.json', '{\n  "name": "x",\n  "horizonQuarters": 4,,\n}');
    const r = await costcast(
      'forecast',
      '--assumptions',
      broken,
      '--prices',
      join(tmp, 'nope.csv'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${broken}:3:24: is not valid JSON: expected a property name in double quotes`,
    );
    expect(r.stderr).toContain(`${join(tmp, 'nope.csv')}:0:0: no such file`);
  });

  it('refuses unknown options and bad numbers with the usage', async () => {
    expect((await costcast('forecast', ...tinyArgs, '--draws', 'many')).code).toBe(2);
    const r = await costcast('forecast', ...tinyArgs, '--colour', 'red');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage:');
  });
});
