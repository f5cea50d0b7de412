import { CATEGORIES } from '../../models/fields.ts';
import type { Facts } from '../facts.ts';
import {
  addr,
  type Cell,
  col,
  type Row,
  range,
  type SheetLayout,
  type Validation,
} from '../layout.ts';
import { BLANK, build, fixed, keyed, type Line, type Ref } from '../rows.ts';
import { type Context, header, n, noteRow, section, titleRow } from './common.ts';

const WIDTH = 13;
const COLUMNS = [46, 18, 16, 16, 16, 14, 14, 16, 13, 13, 16, 22, 14];
/** Workload table columns. */
const W = { base: 8, growth: 9, efficiency: 10 };
export const INPUT_WORKLOAD_COL = W;

/**
 * The year and the quarter number of a quarter cell, written 2027-Q3 or T3 2027 (French).
 * @example year('C5') //=> 'VALUE(IF(LEFT(C5,1)="T",RIGHT(C5,4),LEFT(C5,4)))'
 */
const year = (ref: string) => `VALUE(IF(LEFT(${ref},1)="T",RIGHT(${ref},4),LEFT(${ref},4)))`;
const quarter = (ref: string) => `VALUE(IF(LEFT(${ref},1)="T",MID(${ref},2,1),RIGHT(${ref},1)))`;

type Format = 'qty' | 'pct' | 'rate' | 'money' | 'int' | 'text';
const str = (v: string): Cell => ({ v, s: 'label' });
const note = (v: string): Cell => ({ v, s: 'note' });
const input = (v: string | number | undefined, fmt: Format): Cell =>
  v === undefined ? { s: `in.${fmt}` } : { v, s: `in.${fmt}` };

/**
 * Inputs, top to bottom: every assumption, styled as an input. Keys: `startQuarter`,
 * `horizon`, `quartersPerYear`, `hhiScale`, `fx:<currency>`, `budget:<fy>`, `param:<name>`
 * (`param:decline:<category>`), `window:<k>`, `provider:<name>`, `workload:<i>`.
 */
export function inputsLines(p: Facts): Line[] {
  return [
    fixed(titleRow(p.L.inputs.title)),
    fixed(noteRow(p.L.inputs.note)),
    BLANK,
    ...generalLines(p),
    BLANK,
    ...fxLines(p),
    BLANK,
    ...budgetLines(p),
    BLANK,
    ...scenarioLines(p),
    BLANK,
    ...windowLines(p),
    BLANK,
    ...providerLines(p),
    BLANK,
    ...workloadLines(p),
  ];
}

function generalLines({ f, L, horizon }: Facts): Line[] {
  const I = L.inputs;
  const { model } = f;
  return [
    fixed(section(I.general, WIDTH)),
    fixed({ cells: [str(I.modelName), str(model.name)] }),
    fixed({ cells: [str(I.currency), str(model.currency)] }),
    fixed(
      // biome-ignore lint/style/noNonNullAssertion: the horizon has at least one quarter (horizonQuarters ≥ 1)
      { cells: [str(I.startQuarter), str(L.text.quarter(model.quarters[0]!)), note(I.structure)] },
      'startQuarter',
    ),
    fixed(
      { cells: [str(I.horizon), input(horizon, 'int'), note(I.horizonNote(horizon))] },
      'horizon',
    ),
    fixed({
      cells: [str(I.fyStart), { v: model.fiscalYearStartMonth, s: 'val.int' }, note(I.structure)],
    }),
    fixed(
      { cells: [str(I.quartersPerYear), { v: 4, s: 'val.int' }, note(I.constant)] },
      'quartersPerYear',
    ),
    fixed({ cells: [str(I.hhiScale), { v: 10_000, s: 'val.int' }, note(I.constant)] }, 'hhiScale'),
  ];
}

function fxLines({ f, L, fx }: Facts): Line[] {
  const I = L.inputs;
  const { model } = f;
  return [
    fixed(section(I.fx, WIDTH)),
    fixed(
      header([I.currencyCol, I.rateCol(model.currency), ''], 1, {
        widths: COLUMNS,
        numericFrom: 1,
      }),
    ),
    ...fx.map(({ currency }) => {
      const reporting = currency === model.currency;
      return fixed(
        {
          cells: [
            str(currency),
            // biome-ignore lint/style/noNonNullAssertion: p.fx lists the currencies of model.fx (facts.ts)
            reporting ? { v: 1, s: 'val.rate' } : input(n(model.fx.get(currency)!), 'rate'),
            reporting ? note(I.reportingNote) : null,
          ],
        },
        `fx:${currency}`,
      );
    }),
  ];
}

function budgetLines({ f, L, budgets, fiscalYears }: Facts): Line[] {
  const I = L.inputs;
  const { model } = f;
  return [
    fixed(section(I.budgets, WIDTH)),
    fixed(
      header([L.common.fiscalYear, I.budgetCol(model.currency), ''], 1, {
        widths: COLUMNS,
        numericFrom: 1,
      }),
    ),
    ...budgets.map((b) => {
      const budget = model.budget.get(b.fy);
      const quarters = fiscalYears.find((y) => y.fy === b.fy)?.quarters ?? 0;
      const text = !b.inHorizon
        ? I.outsideHorizon
        : quarters < 4
          ? L.common.partialYear(quarters)
          : '';
      return fixed(
        {
          cells: [
            str(L.text.fiscalYear(b.fy)),
            input(budget ? n(budget) : undefined, 'money'),
            text ? note(text) : null,
          ],
        },
        `budget:${b.fy}`,
      );
    }),
  ];
}

/** The scenario parameters: one row per parameter, scenario i in column 3 + i. */
function scenarioLines({ f, L }: Facts): Line[] {
  const I = L.inputs;
  const param = (
    key: string,
    label: string,
    unit: string,
    cell: (s: (typeof f.scenarios)[number]) => Cell,
  ) => fixed({ cells: [str(label), note(unit), ...f.scenarios.map(cell)] }, `param:${key}`);
  return [
    fixed(section(I.scenarios, WIDTH)),
    fixed(
      header([I.parameter, L.common.unit, ...f.scenarios.map((s) => s.name)], 1, {
        widths: COLUMNS,
        numericFrom: 2,
      }),
      'scenarioHeader',
    ),
    param('id', I.scenarioId, I.unitText, (s) => str(s.id)),
    param('delay', I.delay, I.unitQuarters, (s) => input(s.delayQuarters, 'int')),
    ...CATEGORIES.map((c) =>
      param(`decline:${c}`, I.decline(L.category[c]), I.unitRate, (s) =>
        input(n(s.priceDeclinePerQuarter[c]), 'pct'),
      ),
    ),
    param('premium', I.premium, I.unitRate, (s) => input(n(s.shortagePremium), 'pct')),
    param('availability', I.availability, I.unitRate, (s) => input(n(s.availability), 'pct')),
    param('fallbackPremium', I.fallbackPremium, I.unitRate, (s) =>
      input(n(s.fallbackPremium), 'pct'),
    ),
  ];
}

/** The rupture windows, then spare rows; columns F and G give their horizon indices. */
function windowLines(p: Facts): Line[] {
  const { f, L, names } = p;
  const I = L.inputs;
  const windowRow = (r: number, w?: Facts['windows'][number]): Row => {
    const t = (c: number, cached: number): Cell => ({
      f: `IF(ISBLANK(${addr(c, r)}),0,(${year(addr(c, r))}-${year(names.startQuarter)})*${names.quartersPerYear}+${quarter(addr(c, r))}-${quarter(names.startQuarter)})`,
      r: cached,
      s: 'calc.int',
    });
    return {
      cells: [
        // biome-ignore lint/style/noNonNullAssertion: a window's scenario is the index of the scenario it came from (facts.ts)
        input(w ? f.scenarios[w.scenario]!.id : undefined, 'text'),
        input(w?.provider, 'text'),
        input(w ? L.text.quarter(w.from) : undefined, 'text'),
        input(w ? L.text.quarter(w.to) : undefined, 'text'),
        input(w ? Number(w.availability) : undefined, 'pct'),
        t(3, w?.fromIndex ?? 0),
        t(4, w?.toIndex ?? 0),
      ],
    };
  };
  return [
    fixed(section(I.windows, WIDTH)),
    fixed(noteRow(I.windowsNote)),
    fixed(
      header(
        [L.common.scenario, L.common.provider, I.from, I.to, I.windowAvailability, I.fromT, I.toT],
        1,
        { widths: COLUMNS, numericFrom: 4 },
      ),
    ),
    ...Array.from({ length: p.windowRows }, (_, k) =>
      keyed(`window:${k}`, (ref) => windowRow(ref(`window:${k}`), p.windows[k])),
    ),
  ];
}

function providerLines({ L, providers }: Facts): Line[] {
  return [
    fixed(section(L.inputs.providers, WIDTH)),
    fixed(
      header([L.common.provider, L.common.jurisdiction], 1, { widths: COLUMNS }),
      'providerHeader',
    ),
    ...providers.map((x) =>
      fixed({ cells: [str(x.name), input(x.jurisdiction, 'text')] }, `provider:${x.name}`),
    ),
  ];
}

function workloadLines({ f, L }: Facts): Line[] {
  const I = L.inputs;
  const { model } = f;
  const heading = header(
    [
      L.common.workload,
      L.common.id,
      L.common.category,
      L.common.provider,
      I.sku,
      I.region,
      L.common.unit,
      I.baseQuantity,
      I.growth,
      I.efficiency,
      I.fallbackProvider,
      I.fallbackSku,
      I.region,
    ],
    1,
    { widths: COLUMNS },
  );
  return [
    fixed(section(I.workloads, WIDTH)),
    fixed(heading, 'workloadHeader'),
    ...model.workloads.map((w, i) =>
      keyed(`workload:${i}`, () => {
        // biome-ignore lint/style/noNonNullAssertion: a model workload's index is its place in the assumptions' workloads
        const a = model.assumptions.workloads[w.index]!;
        return {
          cells: [
            str(w.name),
            str(w.id),
            str(w.category),
            str(w.primary.provider),
            str(a.skuId),
            str(a.region ?? ''),
            str(w.unit),
            input(n(w.baseQuantity), 'qty'),
            input(n(w.growthPerQuarter), 'pct'),
            input(n(w.efficiency), 'pct'),
            str(w.fallback?.provider ?? ''),
            str(a.fallback?.skuId ?? ''),
            str(a.fallback?.region ?? ''),
          ],
        };
      }),
    ),
  ];
}

/** The first and last row of the keys `<prefix>:0` … `<prefix>:<count − 1>`. */
const span = (ref: Ref, prefix: string, count: number): [number, number] => [
  ref(`${prefix}:0`),
  ref(`${prefix}:${count - 1}`),
];

const decimal = (
  rng: string,
  operator: 'between' | 'greaterThan' | 'greaterThanOrEqual',
  values: number[],
  message: string,
  allowBlank = false,
): Validation => ({ kind: 'decimal', range: rng, operator, values, message, allowBlank });

/** What Excel refuses in the input cells, with the reason it gives. */
function validations(p: Facts, ref: Ref): Validation[] {
  const { f, L } = p;
  const { model } = f;
  const I2 = L.inputs.invalid;
  const lastScenarioCol = 2 + f.scenarios.length;
  const scenarioCols = (key: string) => range(3, ref(key), lastScenarioCol, ref(key));
  const declineTop = ref(`param:decline:${CATEGORIES[0]}`);
  // biome-ignore lint/style/noNonNullAssertion: CATEGORIES is a non-empty tuple
  const declineBottom = ref(`param:decline:${CATEGORIES[CATEGORIES.length - 1]!}`);
  const [wFirst, wLast] = span(ref, 'workload', model.workloads.length);
  const [winFirst, winLast] = span(ref, 'window', p.windowRows);
  const providers = p.providers.length;
  const workloads = (c: number) => `${col(c)}${wFirst}:${col(c)}${wLast}`;
  const budgetRows = p.budgets.map((b) => ref(`budget:${b.fy}`));
  return [
    {
      kind: 'whole',
      range: addr(2, ref('horizon')),
      operator: 'between',
      values: [1, p.horizon],
      message: I2.horizon(p.horizon),
    },
    ...p.fx
      .filter((x) => x.currency !== model.currency)
      .map((x) => decimal(addr(2, ref(`fx:${x.currency}`)), 'greaterThan', [0], I2.positive)),
    ...(budgetRows.length > 0
      ? [
          decimal(
            `B${budgetRows[0]}:B${budgetRows.at(-1)}`,
            'greaterThanOrEqual',
            [0],
            I2.nonNegative,
            true,
          ),
        ]
      : []),
    {
      kind: 'whole',
      range: scenarioCols('param:delay'),
      operator: 'between',
      values: [0, 40],
      message: I2.delay,
    },
    {
      kind: 'custom',
      range: range(3, declineTop, lastScenarioCol, declineBottom),
      formula: `AND(ISNUMBER(C${declineTop}),C${declineTop}>-1,C${declineTop}<=1)`,
      message: I2.decline,
    },
    decimal(scenarioCols('param:premium'), 'greaterThan', [-1], I2.aboveMinusOne),
    decimal(scenarioCols('param:availability'), 'between', [0, 1], I2.rate01),
    decimal(scenarioCols('param:fallbackPremium'), 'greaterThan', [-1], I2.aboveMinusOne),
    {
      kind: 'list',
      range: `A${winFirst}:A${winLast}`,
      formula: scenarioCols('param:id'),
      message: I2.scenario,
      allowBlank: true,
    },
    {
      kind: 'list',
      range: `B${winFirst}:B${winLast}`,
      // (below the header; an empty range when no workload names a provider)
      formula: range(1, ref('providerHeader') + 1, 1, ref('providerHeader') + providers),
      message: I2.provider,
      allowBlank: true,
    },
    {
      kind: 'custom',
      range: `C${winFirst}:D${winLast}`,
      // 2027-Q3, or T3 2027 as the French workbook writes quarters.
      formula: `AND(LEN(C${winFirst})=7,OR(MID(C${winFirst},5,2)="-Q",AND(LEFT(C${winFirst},1)="T",MID(C${winFirst},3,1)=" ")))`,
      message: I2.quarter,
      allowBlank: true,
    },
    decimal(`E${winFirst}:E${winLast}`, 'between', [0, 1], I2.rate01, true),
    decimal(workloads(W.base), 'greaterThanOrEqual', [0], I2.nonNegative),
    decimal(workloads(W.growth), 'greaterThan', [-1], I2.aboveMinusOne),
    {
      kind: 'custom',
      range: workloads(W.efficiency),
      formula: `AND(ISNUMBER(${col(W.efficiency)}${wFirst}),${col(W.efficiency)}${wFirst}>=0,${col(W.efficiency)}${wFirst}<1)`,
      message: I2.efficiency,
    },
  ];
}

/** The defined names of Inputs, at the rows their keys name. */
function definedNames(p: Facts, ref: Ref): { name: string; ref: string }[] {
  const { names } = p;
  const one = (name: string, key: string, c = 2) => ({ name, ref: addr(c, ref(key), true) });
  const [winFirst, winLast] = span(ref, 'window', p.windowRows);
  const win = (name: string, c: number) => ({ name, ref: range(c, winFirst, c, winLast) });
  const scenarios = p.f.scenarios.flatMap((_, i) => {
    const c = 3 + i;
    // biome-ignore lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
    const sn = names.scenarios[i]!;
    return [
      one(sn.id, 'param:id', c),
      one(sn.delay, 'param:delay', c),
      ...CATEGORIES.map((cat) => one(sn.decline[cat], `param:decline:${cat}`, c)),
      one(sn.premium, 'param:premium', c),
      one(sn.availability, 'param:availability', c),
      one(sn.fallbackPremium, 'param:fallbackPremium', c),
    ];
  });
  return [
    one(names.horizon, 'horizon'),
    one(names.startQuarter, 'startQuarter'),
    one(names.quartersPerYear, 'quartersPerYear'),
    one(names.hhiScale, 'hhiScale'),
    ...p.fx.map((x) => one(x.name, `fx:${x.currency}`)),
    ...p.budgets.map((b) => one(b.name, `budget:${b.fy}`)),
    ...scenarios,
    win(names.windows.scenario, 1),
    win(names.windows.provider, 2),
    win(names.windows.availability, 5),
    win(names.windows.from, 6),
    win(names.windows.to, 7),
  ];
}

/** Inputs: every assumption, styled as an input, validated, and the key ones named. */
export function inputsSheet({ p }: Context): SheetLayout {
  const ref = p.ref('inputs');
  const lines = inputsLines(p);
  return {
    name: p.sheets.inputs,
    columns: COLUMNS,
    freeze: { rows: 2, cols: 1 },
    rows: () => build(lines, ref),
    validations: validations(p, ref),
    names: definedNames(p, ref),
    tabColor: 'FFFFC000',
  };
}
