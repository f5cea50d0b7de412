import { CATEGORIES } from '../../models/fields.ts';
import {
  addr,
  type Cell,
  col,
  type Row,
  range,
  type SheetLayout,
  type Validation,
} from '../layout.ts';
import { SPARE_WINDOWS } from '../plan.ts';
import { type Context, header, n, noteRow, section, titleRow } from './common.ts';

const WIDTH = 13;
const COLUMNS = [46, 18, 16, 16, 16, 14, 14, 16, 13, 13, 16, 22, 14];
/** Workload table columns. */
const W = { base: 8, growth: 9, efficiency: 10 };
export const INPUT_WORKLOAD_COL = W;

/**
 * Inputs: every assumption, styled as an input, validated, and the key ones named. Rows
 * follow `plan.inputs`.
 */
/**
 * The year and the quarter number of a quarter cell, written 2027-Q3 or T3 2027 (French).
 * @example year('C5') //=> 'VALUE(IF(LEFT(C5,1)="T",RIGHT(C5,4),LEFT(C5,4)))'
 */
const year = (ref: string) => `VALUE(IF(LEFT(${ref},1)="T",RIGHT(${ref},4),LEFT(${ref},4)))`;
const quarter = (ref: string) => `VALUE(IF(LEFT(${ref},1)="T",MID(${ref},2,1),RIGHT(${ref},1)))`;

export function inputsSheet({ p }: Context): SheetLayout {
  const { f, L, inputs: g, names } = p;
  const T = L.text;
  const { model } = f;
  const I = L.inputs;
  const S = f.scenarios.length;
  const lastScenarioCol = 2 + S;
  const str = (v: string): Cell => ({ v, s: 'label' });
  const input = (
    v: string | number | undefined,
    fmt: 'qty' | 'pct' | 'rate' | 'money' | 'int' | 'text',
  ): Cell => (v === undefined ? { s: `in.${fmt}` } : { v, s: `in.${fmt}` });

  function* rows(): Iterable<Row> {
    yield titleRow(I.title);
    yield noteRow(I.note);
    yield { cells: [] };
    yield section(I.general, WIDTH);
    yield { cells: [str(I.modelName), str(model.name)] };
    yield { cells: [str(I.currency), str(model.currency)] };
    yield {
      at: g.startQuarter,
      cells: [
        str(I.startQuarter),
        str(T.quarter(model.quarters[0]!)),
        { v: I.structure, s: 'note' },
      ],
    };
    yield {
      at: g.horizon,
      cells: [str(I.horizon), input(p.horizon, 'int'), { v: I.horizonNote(p.horizon), s: 'note' }],
    };
    yield {
      cells: [
        str(I.fyStart),
        { v: model.fiscalYearStartMonth, s: 'val.int' },
        { v: I.structure, s: 'note' },
      ],
    };
    yield {
      at: g.quartersPerYear,
      cells: [str(I.quartersPerYear), { v: 4, s: 'val.int' }, { v: I.constant, s: 'note' }],
    };
    yield {
      at: g.hhiScale,
      cells: [str(I.hhiScale), { v: 10_000, s: 'val.int' }, { v: I.constant, s: 'note' }],
    };

    yield { cells: [] };
    yield section(I.fx, WIDTH);
    yield header([I.currencyCol, I.rateCol(model.currency), ''], 1, {
      widths: COLUMNS,
      numericFrom: 1,
    });
    for (const fx of g.fx) {
      const reporting = fx.currency === model.currency;
      yield {
        at: fx.row,
        cells: [
          str(fx.currency),
          reporting ? { v: 1, s: 'val.rate' } : input(n(model.fx.get(fx.currency)!), 'rate'),
          reporting ? { v: I.reportingNote, s: 'note' } : null,
        ],
      };
    }

    yield { cells: [] };
    yield section(I.budgets, WIDTH);
    yield header([L.common.fiscalYear, I.budgetCol(model.currency), ''], 1, {
      widths: COLUMNS,
      numericFrom: 1,
    });
    for (const b of g.budgets) {
      const budget = model.budget.get(b.fy);
      const quarters = p.fiscalYears.find((y) => y.fy === b.fy)?.quarters ?? 0;
      const note = !b.inHorizon
        ? I.outsideHorizon
        : quarters < 4
          ? L.common.partialYear(quarters)
          : '';
      yield {
        at: b.row,
        cells: [
          str(L.text.fiscalYear(b.fy)),
          input(budget ? n(budget) : undefined, 'money'),
          note ? { v: note, s: 'note' } : null,
        ],
      };
    }

    yield { cells: [] };
    yield section(I.scenarios, WIDTH);
    yield {
      at: g.scenarioHeader,
      ...header([I.parameter, L.common.unit, ...f.scenarios.map((s) => s.name)], 1, {
        widths: COLUMNS,
        numericFrom: 2,
      }),
    };
    yield {
      at: g.param.id,
      cells: [
        str(I.scenarioId),
        { v: I.unitText, s: 'note' },
        ...f.scenarios.map((s) => str(s.id)),
      ],
    };
    yield {
      at: g.param.delay,
      cells: [
        str(I.delay),
        { v: I.unitQuarters, s: 'note' },
        ...f.scenarios.map((s) => input(s.delayQuarters, 'int')),
      ],
    };
    for (const c of CATEGORIES)
      yield {
        at: g.param.decline[c],
        cells: [
          str(I.decline(L.category[c])),
          { v: I.unitRate, s: 'note' },
          ...f.scenarios.map((s) => input(n(s.priceDeclinePerQuarter[c]), 'pct')),
        ],
      };
    const rateRow = (label: string, at: number, pick: (i: number) => number): Row => ({
      at,
      cells: [
        str(label),
        { v: I.unitRate, s: 'note' },
        ...f.scenarios.map((_, i) => input(pick(i), 'pct')),
      ],
    });
    yield rateRow(I.premium, g.param.premium, (i) => n(f.scenarios[i]!.shortagePremium));
    yield rateRow(I.availability, g.param.availability, (i) => n(f.scenarios[i]!.availability));
    yield rateRow(I.fallbackPremium, g.param.fallbackPremium, (i) =>
      n(f.scenarios[i]!.fallbackPremium),
    );

    yield { cells: [] };
    yield section(I.windows, WIDTH);
    yield noteRow(I.windowsNote);
    yield header(
      [L.common.scenario, L.common.provider, I.from, I.to, I.windowAvailability, I.fromT, I.toT],
      1,
      {
        widths: COLUMNS,
        numericFrom: 4,
      },
    );
    const windowRow = (r: number, w?: (typeof p.windows)[number]): Row => {
      const t = (c: number, cached: number) => ({
        f: `IF(ISBLANK(${addr(c, r)}),0,(${year(addr(c, r))}-${year(names.startQuarter)})*${names.quartersPerYear}+${quarter(addr(c, r))}-${quarter(names.startQuarter)})`,
        r: cached,
        s: 'calc.int' as const,
      });
      return {
        at: r,
        cells: [
          input(w ? f.scenarios[w.scenario]!.id : undefined, 'text'),
          input(w?.provider, 'text'),
          input(w ? T.quarter(w.from) : undefined, 'text'),
          input(w ? T.quarter(w.to) : undefined, 'text'),
          input(w ? Number(w.availability) : undefined, 'pct'),
          t(3, w?.fromIndex ?? 0),
          t(4, w?.toIndex ?? 0),
        ],
      };
    };
    for (const [i, w] of p.windows.entries()) yield windowRow(g.windowFirst + i, w);
    for (let i = 0; i < SPARE_WINDOWS; i++) yield windowRow(g.windowFirst + p.windows.length + i);

    yield { cells: [] };
    yield section(I.providers, WIDTH);
    yield header([L.common.provider, L.common.jurisdiction], 1, { widths: COLUMNS });
    for (const [i, pr] of p.providers.entries())
      yield { at: g.providerFirst + i, cells: [str(pr.name), input(pr.jurisdiction, 'text')] };

    yield { cells: [] };
    yield section(I.workloads, WIDTH);
    yield {
      at: g.workloadHeader,
      ...header(
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
      ),
    };
    for (const [i, w] of model.workloads.entries()) {
      const a = model.assumptions.workloads[w.index]!;
      yield {
        at: g.workloadFirst + i,
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
    }
  }

  const wFirst = g.workloadFirst;
  const wLast = wFirst + model.workloads.length - 1;
  const scenarioCols = (row: number) => range(3, row, lastScenarioCol, row);
  const I2 = I.invalid;
  const decimal = (
    rng: string,
    operator: 'between' | 'greaterThan' | 'greaterThanOrEqual',
    values: number[],
    message: string,
    allowBlank = false,
  ): Validation => ({ kind: 'decimal', range: rng, operator, values, message, allowBlank });
  const declineTop = g.param.decline[CATEGORIES[0]];
  const declineBottom = g.param.decline[CATEGORIES[CATEGORIES.length - 1]!];
  const nonReporting = g.fx.filter((x) => x.currency !== model.currency);
  const validations: Validation[] = [
    {
      kind: 'whole',
      range: addr(2, g.horizon),
      operator: 'between',
      values: [1, p.horizon],
      message: I2.horizon(p.horizon),
    },
    ...nonReporting.map((x) => decimal(addr(2, x.row), 'greaterThan', [0], I2.positive)),
    ...(g.budgets.length > 0
      ? [
          decimal(
            `B${g.budgetFirst}:B${g.budgetFirst + g.budgets.length - 1}`,
            'greaterThanOrEqual',
            [0],
            I2.nonNegative,
            true,
          ),
        ]
      : []),
    {
      kind: 'whole',
      range: scenarioCols(g.param.delay),
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
    decimal(scenarioCols(g.param.premium), 'greaterThan', [-1], I2.aboveMinusOne),
    decimal(scenarioCols(g.param.availability), 'between', [0, 1], I2.rate01),
    decimal(scenarioCols(g.param.fallbackPremium), 'greaterThan', [-1], I2.aboveMinusOne),
    {
      kind: 'list',
      range: `A${g.windowFirst}:A${g.windowLast}`,
      formula: range(3, g.param.id, lastScenarioCol, g.param.id),
      message: I2.scenario,
      allowBlank: true,
    },
    {
      kind: 'list',
      range: `B${g.windowFirst}:B${g.windowLast}`,
      formula: range(1, g.providerFirst, 1, g.providerLast),
      message: I2.provider,
      allowBlank: true,
    },
    {
      kind: 'custom',
      range: `C${g.windowFirst}:D${g.windowLast}`,
      // 2027-Q3, or T3 2027 as the French workbook writes quarters.
      formula: `AND(LEN(C${g.windowFirst})=7,OR(MID(C${g.windowFirst},5,2)="-Q",AND(LEFT(C${g.windowFirst},1)="T",MID(C${g.windowFirst},3,1)=" ")))`,
      message: I2.quarter,
      allowBlank: true,
    },
    decimal(`E${g.windowFirst}:E${g.windowLast}`, 'between', [0, 1], I2.rate01, true),
    decimal(
      `${col(W.base)}${wFirst}:${col(W.base)}${wLast}`,
      'greaterThanOrEqual',
      [0],
      I2.nonNegative,
    ),
    decimal(
      `${col(W.growth)}${wFirst}:${col(W.growth)}${wLast}`,
      'greaterThan',
      [-1],
      I2.aboveMinusOne,
    ),
    {
      kind: 'custom',
      range: `${col(W.efficiency)}${wFirst}:${col(W.efficiency)}${wLast}`,
      formula: `AND(ISNUMBER(${col(W.efficiency)}${wFirst}),${col(W.efficiency)}${wFirst}>=0,${col(W.efficiency)}${wFirst}<1)`,
      message: I2.efficiency,
    },
  ];

  const scenarioNames = f.scenarios.flatMap((_, i) => {
    const c = 3 + i;
    const sn = names.scenarios[i]!;
    return [
      { name: sn.id, ref: addr(c, g.param.id, true) },
      { name: sn.delay, ref: addr(c, g.param.delay, true) },
      ...CATEGORIES.map((cat) => ({
        name: sn.decline[cat],
        ref: addr(c, g.param.decline[cat], true),
      })),
      { name: sn.premium, ref: addr(c, g.param.premium, true) },
      { name: sn.availability, ref: addr(c, g.param.availability, true) },
      { name: sn.fallbackPremium, ref: addr(c, g.param.fallbackPremium, true) },
    ];
  });
  const win = (c: number) => range(c, g.windowFirst, c, g.windowLast);

  return {
    name: p.sheets.inputs,
    columns: COLUMNS,
    freeze: { rows: 2, cols: 1 },
    rows,
    validations,
    names: [
      { name: names.horizon, ref: addr(2, g.horizon, true) },
      { name: names.startQuarter, ref: addr(2, g.startQuarter, true) },
      { name: names.quartersPerYear, ref: addr(2, g.quartersPerYear, true) },
      { name: names.hhiScale, ref: addr(2, g.hhiScale, true) },
      ...g.fx.map((x) => ({ name: x.name, ref: addr(2, x.row, true) })),
      ...g.budgets.map((b) => ({ name: b.name, ref: addr(2, b.row, true) })),
      ...scenarioNames,
      { name: names.windows.scenario, ref: win(1) },
      { name: names.windows.provider, ref: win(2) },
      { name: names.windows.availability, ref: win(5) },
      { name: names.windows.from, ref: win(6) },
      { name: names.windows.to, ref: win(7) },
    ],
    tabColor: 'FFFFC000',
  };
}
