import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { assumptionsSchema } from '../../models/assumptions.ts';
import type { SheetKind } from '../../models/freshness.ts';
import { Decimal } from '../../models/money.ts';
import { type PriceRow, type PriceSheet, priceRowSchema } from '../../models/price-sheet.ts';
import { fail, formatIssue, type InputIssue, ok, type Result } from '../../models/result.ts';
import { scenariosFileSchema } from '../../models/scenarios.ts';
import {
  type BridgeLine,
  EFFECTS,
  type EffectId,
  type Variance,
  type VarianceInputs,
  variance,
} from '../../models/variance.ts';
import { groupDigits, LABELS, type Locale } from '../../templates/labels.ts';
import { translate } from '../http/messages.ts';
import { parseJsonDocument } from '../ingest/json/located.ts';
import { loadInputs } from './load-inputs.ts';

export const COMPARE_USAGE = `  npm run costcast -- compare OLD NEW [--json] [--locale en|fr] [--top N]

  The bridge from OLD's total to NEW's, per scenario and workload: removed workloads,
  horizon and start quarter, volume, price, FX, scenario parameters, new workloads (in that
  order; they add up exactly to the change). OLD and NEW are each a forecast saved from the
  service (GET /v1/forecasts/:id: it carries its inputs and the prices it used) or a folder
  holding assumptions.json, an optional scenarios.json, and its price sheets (a prices/
  folder, else the folder's other .csv, .json, .xlsx and .txt files). --json prints the
  bridge as JSON; --top N lists the N largest movers per scenario (default 15, 0: all).`;

export class CompareUsageError extends Error {}

/** The words of the bridge table, in English and French. */
const WORDS = {
  en: {
    effects: {
      removed: 'removed workloads',
      horizon: 'horizon and start quarter',
      volume: 'volume (quantities at old prices)',
      price: 'price (unit prices at new quantities)',
      fx: 'FX (exchange rates)',
      scenario: 'scenario parameters',
      new: 'new workloads',
    } satisfies Record<EffectId, string>,
    short: {
      removed: 'removed',
      horizon: 'horizon',
      volume: 'volume',
      price: 'price',
      fx: 'FX',
      scenario: 'scenario',
      new: 'new',
    } satisfies Record<EffectId, string>,
    oldTotal: 'old total',
    newTotal: 'new total',
    change: 'change',
    workload: 'workload',
    old: 'old',
    new: 'new',
    status: {
      continuing: '',
      removed: 'removed',
      new: 'new',
      replaced: 'unit changed',
    } as Record<string, string>,
    workloads: (n: number) => `${n} workload${n === 1 ? '' : 's'}`,
    fx: 'FX',
    none: 'no change',
    more: (n: number) => `… and ${n} more workload${n === 1 ? '' : 's'} (--top 0 lists all)`,
    only: (side: 'old' | 'new') => (side === 'old' ? 'only in OLD' : 'only in NEW'),
    notBridged: 'not bridged (scenario only one side has)',
    mismatch: (id: string, computed: string, stored: string) =>
      `warning: scenario ${id}: the engine computes ${computed} from the stored inputs, the stored forecast says ${stored}`,
  },
  fr: {
    effects: {
      removed: 'charges retirées',
      horizon: 'horizon et trimestre de départ',
      volume: 'volume (quantités aux anciens prix)',
      price: 'prix (prix unitaires aux nouvelles quantités)',
      fx: 'change (taux)',
      scenario: 'paramètres du scénario',
      new: 'nouvelles charges',
    } satisfies Record<EffectId, string>,
    short: {
      removed: 'retirées',
      horizon: 'horizon',
      volume: 'volume',
      price: 'prix',
      fx: 'change',
      scenario: 'scénario',
      new: 'nouvelles',
    } satisfies Record<EffectId, string>,
    oldTotal: 'ancien total',
    newTotal: 'nouveau total',
    change: 'écart',
    workload: 'charge',
    old: 'ancien',
    new: 'nouveau',
    status: {
      continuing: '',
      removed: 'retirée',
      new: 'nouvelle',
      replaced: 'unité changée',
    } as Record<string, string>,
    workloads: (n: number) => `${n} charge${n < 2 ? '' : 's'}`,
    fx: 'Change',
    none: 'inchangé',
    more: (n: number) =>
      `… et ${n} autre${n < 2 ? '' : 's'} charge${n < 2 ? '' : 's'} (--top 0 les liste toutes)`,
    only: (side: 'old' | 'new') => (side === 'old' ? 'seulement dans OLD' : 'seulement dans NEW'),
    notBridged: 'sans pont (scénario d’un seul côté)',
    mismatch: (id: string, computed: string, stored: string) =>
      `avertissement : scénario ${id} : le moteur calcule ${computed} à partir des entrées stockées, la prévision stockée indique ${stored}`,
  },
} as const;

// ---------------------------------------------------------------------------------------
// Reading a side

/** A forecast as `GET /v1/forecasts/:id` answers it: its inputs and the prices it used. */
const storedForecastSchema = z.object({
  id: z.string().optional(),
  inputs: z.object({
    assumptions: assumptionsSchema,
    scenarios: scenariosFileSchema.nullable().optional(),
  }),
  forecast: z.object({
    currency: z.string(),
    scenarios: z.array(z.object({ id: z.string(), total: z.string() })),
    prices: z.array(
      z.object({
        provider: z.string(),
        skuId: z.string(),
        regionId: z.string().nullable(),
        unit: z.string(),
        currency: z.string(),
        listUnitPrice: z.string(),
        contractedUnitPrice: z.string().nullable(),
        sheet: z.string(),
        kind: z.enum(['contract', 'provider', 'catalogue']),
        line: z.int().nullable(),
      }),
    ),
  }),
});

export interface Side {
  readonly inputs: VarianceInputs;
  /** The stored forecast's totals by scenario, to check that the engine still computes them. */
  readonly storedTotals?: ReadonlyMap<string, string>;
}

async function readBytes(path: string): Promise<Result<Buffer>> {
  try {
    return ok(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail([
      { file: path, message: code === 'ENOENT' ? 'no such file' : `cannot read (${code})` },
    ]);
  }
}

/**
 * The price sheets a stored forecast used, rebuilt from the rows its JSON lists (`prices`):
 * one sheet per sheet name and kind, with the used rows at their lines. Every workload's SKU
 * is found among them at the price it had (rows the forecast did not use play no part).
 */
function sheetsFromPrices(
  prices: z.infer<typeof storedForecastSchema>['forecast']['prices'],
  file: string,
): Result<PriceSheet[]> {
  const issues: InputIssue[] = [];
  const sheets = new Map<
    string,
    { name: string; kind: SheetKind; rows: PriceRow[]; lines: number[] }
  >();
  prices.forEach((p, i) => {
    const row = priceRowSchema.safeParse({
      ProviderName: p.provider,
      SkuId: p.skuId,
      PricingUnit: p.unit,
      ListUnitPrice: p.listUnitPrice,
      PricingCurrency: p.currency,
      ...(p.contractedUnitPrice === null ? {} : { ContractedUnitPrice: p.contractedUnitPrice }),
      ...(p.regionId === null ? {} : { RegionId: p.regionId }),
    });
    if (!row.success) {
      issues.push({
        file,
        field: `forecast.prices.${i}`,
        message: row.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '),
      });
      return;
    }
    const key = `${p.sheet}\u0000${p.kind}`;
    const sheet = sheets.get(key) ?? { name: p.sheet, kind: p.kind, rows: [], lines: [] };
    sheet.rows.push(row.data);
    sheet.lines.push(p.line ?? 0);
    sheets.set(key, sheet);
  });
  if (issues.length > 0) return fail(issues);
  return ok([...sheets.values()].map((s) => ({ id: s.name, ...s })));
}

const SHEET_EXTENSIONS = new Set(['.csv', '.json', '.xlsx', '.txt', '.tsv']);

/** A folder of inputs: assumptions.json, scenarios.json (optional), and its price sheets. */
async function readFolder(dir: string): Promise<Result<Side>> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  if (!names.includes('assumptions.json'))
    return fail([
      {
        file: dir,
        message:
          'a folder to compare holds assumptions.json, an optional scenarios.json and its price sheets (a prices/ folder or files beside them); this one has no assumptions.json',
      },
    ]);
  let prices: string[];
  if (names.includes('prices') && (await stat(join(dir, 'prices'))).isDirectory())
    prices = [join(dir, 'prices')];
  else
    prices = names
      .filter(
        (n) =>
          n !== 'assumptions.json' &&
          n !== 'scenarios.json' &&
          SHEET_EXTENSIONS.has(extname(n).toLowerCase()),
      )
      .map((n) => join(dir, n));
  if (prices.length === 0)
    return fail([
      {
        file: dir,
        message: 'no price sheets: put them in a prices/ folder or beside assumptions.json',
      },
    ]);
  const loaded = await loadInputs({
    assumptions: join(dir, 'assumptions.json'),
    prices,
    scenarios: names.includes('scenarios.json') ? join(dir, 'scenarios.json') : undefined,
  });
  if (!loaded.ok) return loaded;
  const { assumptions, sheets, scenarios } = loaded.value;
  return ok({ inputs: { assumptions, sheets, scenarios } });
}

/** A forecast saved from the service: its inputs, and the prices it used as its sheets. */
async function readForecastFile(path: string): Promise<Result<Side>> {
  const bytes = await readBytes(path);
  if (!bytes.ok) return bytes;
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.value.toString('utf8'));
  } catch {
    raw = undefined;
  }
  const r = raw as Record<string, unknown> | undefined;
  if (r && typeof r === 'object' && !('inputs' in r) && 'scenarios' in r && 'prices' in r)
    return fail([
      {
        file: path,
        message:
          'this forecast JSON does not carry its inputs (the CLI writes only the results): compare the folders of its assumptions and price sheets, or forecasts saved from the service (GET /v1/forecasts/:id)',
      },
    ]);
  const parsed = parseJsonDocument(bytes.value, path, storedForecastSchema);
  if (!parsed.ok) return parsed;
  const stored = parsed.value.value;
  const sheets = sheetsFromPrices(stored.forecast.prices, path);
  if (!sheets.ok) return sheets;
  return ok({
    inputs: {
      assumptions: stored.inputs.assumptions,
      sheets: sheets.value,
      scenarios: stored.inputs.scenarios?.scenarios,
    },
    storedTotals: new Map(stored.forecast.scenarios.map((s) => [s.id, s.total])),
  });
}

export async function readSide(path: string): Promise<Result<Side>> {
  try {
    if ((await stat(path)).isDirectory()) return readFolder(path);
  } catch {
    return fail([{ file: path, message: 'no such file or folder' }]);
  }
  return readForecastFile(path);
}

// ---------------------------------------------------------------------------------------
// The table

const signed = (amount: string, locale: Locale): string => {
  const d = new Decimal(amount);
  const text = plain(amount, locale);
  return d.gt(0) ? `+${text}` : text;
};
const plain = (amount: string, locale: Locale): string =>
  locale === 'fr' ? groupDigits(amount, ' ', ',') : groupDigits(amount, ',', '.');

function percent(l: BridgeLine, locale: Locale): string {
  const old = new Decimal(l.old);
  if (old.isZero()) return '';
  const p = new Decimal(l.change).div(old).times(100).toFixed(1);
  const sign = new Decimal(p).gt(0) ? '+' : '';
  const text = locale === 'fr' ? `${sign}${p.replace('.', ',')} %` : `${sign}${p}%`;
  return ` (${text})`;
}

/**
 * The bridge as a person reads it: per scenario the old total, each effect, the new total and
 * the change; then the largest movers among the workloads with the effects that moved them.
 */
export function bridgeLines(v: Variance, locale: Locale, top = 15): string[] {
  const W = WORDS[locale];
  const T = LABELS[locale].text;
  const cur = v.currency;
  const span = (s: Variance['old']) =>
    `${T.quarter(s.quarters[0] ?? '')}…${T.quarter(s.quarters.at(-1) ?? '')}, ${W.workloads(s.workloads)}`;
  const lines = [
    `${v.new.name} — ${cur}`,
    `  ${W.old}: ${v.old.name === v.new.name ? '' : `${v.old.name}, `}${span(v.old)}`,
    `  ${W.new}: ${span(v.new)}`,
  ];
  if (v.fxChanges.length > 0)
    lines.push(
      `  ${W.fx}: ${v.fxChanges.map((f) => `${f.currency} ${f.old ?? '—'} → ${f.new ?? '—'}`).join(', ')}`,
    );
  const labelWidth = Math.max(
    ...EFFECTS.map((e) => W.effects[e].length),
    W.oldTotal.length,
    W.newTotal.length,
  );
  for (const s of v.scenarios) {
    const t = s.total;
    const amounts = [t.old, t.new, ...EFFECTS.map((e) => t.effects[e])];
    const width = Math.max(...amounts.map((a) => signed(a, locale).length));
    const row = (label: string, amount: string, sign: boolean, extra = '') =>
      `    ${label.padEnd(labelWidth)}  ${(sign ? signed(amount, locale) : plain(amount, locale)).padStart(width)}${extra}`;
    lines.push('', `  ${T.scenarioName(s.id, s.name)}`);
    lines.push(row(W.oldTotal, t.old, false, ` ${cur}`));
    for (const e of EFFECTS) {
      const note =
        e === 'scenario' && s.parameterChanges.length > 0
          ? `   ${s.parameterChanges.map((p) => `${p.parameter} ${p.old} → ${p.new}`).join(', ')}`
          : '';
      lines.push(row(W.effects[e], t.effects[e], true, note));
    }
    lines.push(
      row(
        W.newTotal,
        t.new,
        false,
        ` ${cur}   ${W.change} ${signed(t.change, locale)} ${cur}${percent(t, locale)}`,
      ),
    );
    // The largest movers, with the effects that moved any of them.
    const movers = [...s.workloads]
      .filter((w) => !new Decimal(w.exact.change).isZero() || w.status !== 'continuing')
      .sort((a, b) => new Decimal(b.exact.change).abs().cmp(new Decimal(a.exact.change).abs()));
    const shown = top > 0 ? movers.slice(0, top) : movers;
    if (shown.length === 0) continue;
    const cols = EFFECTS.filter((e) => shown.some((w) => !new Decimal(w.effects[e]).isZero()));
    const head = [W.old, W.new, W.change, ...cols.map((e) => W.short[e])];
    const cells = shown.map((w) => [
      plain(w.old, locale),
      plain(w.new, locale),
      signed(w.change, locale),
      ...cols.map((e) => (new Decimal(w.effects[e]).isZero() ? '·' : signed(w.effects[e], locale))),
    ]);
    // Workloads by id: names are long, and two may start alike.
    const names = shown.map((w) => {
      const status = W.status[w.status];
      return status ? `${w.workloadId} (${status})` : w.workloadId;
    });
    const nameWidth = Math.min(40, Math.max(W.workload.length, ...names.map((n) => n.length)));
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
    const fmt = (name: string, row: readonly string[]) =>
      `    ${(name.length > nameWidth ? `${name.slice(0, nameWidth - 1)}…` : name).padEnd(nameWidth)}  ${row.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ')}`;
    lines.push('', fmt(W.workload, head));
    shown.forEach((_, i) => {
      lines.push(fmt(names[i] ?? '', cells[i] ?? []));
    });
    if (movers.length > shown.length) lines.push(`    ${W.more(movers.length - shown.length)}`);
  }
  for (const u of v.unmatchedScenarios)
    lines.push(
      '',
      `  ${T.scenarioName(u.id, u.name)} — ${W.only(u.side)}: ${plain(u.total, locale)} ${cur}, ${W.notBridged}`,
    );
  return lines;
}

// ---------------------------------------------------------------------------------------
// The command

function report(issues: readonly InputIssue[], locale: Locale): number {
  for (const issue of issues)
    process.stderr.write(
      `${formatIssue({ ...issue, message: translate(issue.message, locale) })}\n`,
    );
  return 2;
}

export async function compareCommand(argv: string[], defaultLocale: Locale): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      locale: { type: 'string' },
      top: { type: 'string' },
    },
  });
  const locale = values.locale ?? defaultLocale;
  if (locale !== 'en' && locale !== 'fr')
    throw new CompareUsageError(`--locale must be "en" or "fr" (got "${locale}")`);
  if (positionals.length !== 2)
    throw new CompareUsageError(
      `compare takes two forecasts, OLD and NEW (got ${positionals.length})`,
    );
  if (values.top !== undefined && !/^\d+$/.test(values.top))
    throw new CompareUsageError(`--top must be a whole number (got "${values.top}")`);
  const top = values.top === undefined ? 15 : Number(values.top);
  const [oldPath, newPath] = positionals as [string, string];
  const [a, b] = await Promise.all([readSide(oldPath), readSide(newPath)]);
  const issues = [...(a.ok ? [] : a.issues), ...(b.ok ? [] : b.issues)];
  if (!a.ok || !b.ok) return report(issues, locale);
  const v = variance(a.value.inputs, b.value.inputs, { old: oldPath, new: newPath });
  if (!v.ok) return report(v.issues, locale);
  // A stored forecast is recomputed from its inputs: say so if the engine no longer agrees.
  for (const [side, scenarios] of [
    [a.value, v.value.scenarios.map((s) => [s.id, s.total.old] as const)],
    [b.value, v.value.scenarios.map((s) => [s.id, s.total.new] as const)],
  ] as const)
    for (const [id, total] of scenarios) {
      const stored = side.storedTotals?.get(id);
      if (stored !== undefined && stored !== total)
        process.stderr.write(`costcast: ${WORDS[locale].mismatch(id, total, stored)}\n`);
    }
  if (values.json) process.stdout.write(`${JSON.stringify(v.value, null, 2)}\n`);
  else process.stdout.write(`${bridgeLines(v.value, locale, top).join('\n')}\n`);
  return 0;
}
