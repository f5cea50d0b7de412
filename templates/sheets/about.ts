import { CATEGORIES } from '../../models/fields.ts';
import { Decimal } from '../../models/money.ts';
import type { DriverId } from '../../models/ranges.ts';
import { tabs } from '../facts.ts';
import type { Cell, Row, SheetLayout } from '../layout.ts';
import { REVIEW_WORDS, reviewRows } from '../review.ts';
import type { StyleKey } from '../styles.ts';
import { type Context, header, section } from './common.ts';
import { driverValue } from './drivers.ts';

const WIDTH = 4;
const COLUMNS = [34, 120, 14, 14];
const CHARS_PER_LINE = 150;

/** About: the method in plain words, every assumption, the provenance, the style legend. */
export function aboutSheet(ctx: Context): SheetLayout {
  const { p } = ctx;
  const { f, L } = p;
  const X = L.text;
  const A = L.about;
  const I = L.inputs;
  const { model } = f;
  const pct = (d: Decimal) => {
    const v = d.times(100).toString();
    return ctx.locale === 'fr' ? `${v.replace('.', ',')} %` : `${v}%`;
  };
  const para = (text: string, style: StyleKey = 'paragraph'): Row => ({
    cells: [null, { v: text, s: style }],
    height: 14 * Math.max(1, Math.ceil(text.length / CHARS_PER_LINE)) + 2,
  });
  const pair = (label: string, value: string | number): Row => {
    const text = String(value);
    return {
      cells: [
        { v: label, s: 'labelTop' },
        { v: text, s: 'paragraph' },
      ],
      height: 14 * Math.max(1, Math.ceil(text.length / CHARS_PER_LINE)) + 2,
    };
  };

  function* rows(): Iterable<Row> {
    yield { cells: [{ v: A.title, s: 'title' }], height: 24 };
    yield { cells: [] };
    yield pair(A.generated, ctx.generatedText);
    yield pair(A.engineVersion, ctx.engineVersion);
    yield pair(A.inputHash, ctx.inputHash);
    yield pair(A.locale, ctx.locale);
    yield pair(A.model, model.name);
    yield pair(I.currency, model.currency);
    yield pair(
      L.common.quarter,
      // biome-ignore lint/style/noNonNullAssertion: the horizon has at least one quarter (horizonQuarters ≥ 1)
      `${X.quarter(model.quarters[0]!)} → ${X.quarter(model.quarters.at(-1)!)} (${X.quarterCount(p.horizon)})`,
    );
    yield pair(A.workloads, model.workloads.length);
    yield pair(A.priceSheets, model.sheets.map((s) => s.id).join(', '));
    yield { cells: [] };

    // The review as the database records it: creation and the latest action.
    const W = REVIEW_WORDS[ctx.locale];
    yield section(W.section, WIDTH);
    for (const [label, text] of reviewRows(ctx.locale, ctx.review)) yield pair(label, text);
    yield para(ctx.review ? W.history : W.cli);
    yield { cells: [] };

    yield section(A.method, WIDTH);
    for (const t of A.methodText) yield para(t);
    yield { cells: [] };
    yield section(A.formulas, WIDTH);
    for (const t of A.formulaLines) yield para(t, 'label');
    yield { cells: [] };

    yield section(A.assumptions, WIDTH);
    for (const t of A.assumptionText) yield para(t);
    yield para(
      `${I.fx}${X.colon}${
        [...model.fx]
          .filter(([c]) => c !== model.currency)
          .map(([c, r]) => `1 ${c} = ${X.decimal(r.toString())} ${model.currency}`)
          .join(X.semicolon) || L.common.none
      }`,
    );
    yield para(
      `${I.budgets}${X.colon}${[...model.budget].map(([fy, b]) => `${X.fiscalYear(fy)} ${X.amount(b.toFixed(2))} ${model.currency}`).join(X.semicolon) || L.common.none}`,
    );
    for (const s of f.scenarios) {
      const windows = s.source.providerAvailability
        .map(
          (w) =>
            `${w.provider} ${pct(new Decimal(w.availability))} ${X.quarter(w.from)} → ${X.quarter(w.to)}`,
        )
        .join('; ');
      yield para(
        [
          `${s.name} (${s.id})`,
          `${I.delay}${X.colon}${X.quarterCount(s.delayQuarters)}`,
          `${CATEGORIES.map((c) => `${L.category[c]} ${pct(s.priceDeclinePerQuarter[c])}`).join(', ')}`,
          `${I.premium}${X.colon}${pct(s.shortagePremium)}`,
          `${I.availability}${X.colon}${pct(s.availability)}`,
          `${I.fallbackPremium}${X.colon}${pct(s.fallbackPremium)}`,
          ...(windows ? [`${I.windows}${X.colon}${windows}`] : []),
        ].join(' · '),
      );
    }
    yield { cells: [] };

    yield section(A.ranges, WIDTH);
    yield header([L.tornado.driver, L.tornado.mode, L.tornado.low, L.tornado.high], 1, {
      widths: COLUMNS,
    });
    for (const r of f.json.sensitivity.ranges) {
      const id = r.driver as DriverId;
      yield {
        cells: [
          { v: L.driver[id], s: 'label' },
          { v: L.mode[r.mode], s: 'label' },
          { v: driverValue(L, ctx.locale, id, r.mode, r.low), s: 'label' },
          { v: driverValue(L, ctx.locale, id, r.mode, r.high), s: 'label' },
        ],
      };
    }
    if (f.monteCarlo.length > 0)
      yield para(A.monteCarlo(f.json.monteCarlo.draws, f.json.monteCarlo.seed), 'label');
    yield { cells: [] };

    yield section(A.legend, WIDTH);
    const sample = (s: StyleKey, label: string): Row => ({
      cells: [{ v: 1234.5, s } as Cell, { v: label, s: 'label' }],
    });
    yield sample('in.money', A.legendInput);
    yield sample('calc.money', A.legendCalc);
    yield sample('link.money', A.legendLink);
    yield sample('val.money', A.legendValue);
    yield sample('tot.money', A.legendTotal);
    yield {
      cells: [
        { v: 1234.5, s: 'calc.delta' },
        { v: A.legendDelta, s: 'label' },
      ],
    };
    yield {
      cells: [
        { v: -1234.5, s: 'calc.headroom' },
        { v: A.legendHeadroom, s: 'label' },
      ],
    };
    yield { cells: [] };

    yield section(A.sheets, WIDTH);
    for (const { key, name } of tabs(p))
      if (key !== 'changes' || ctx.variance !== null) yield pair(name, A.sheetText[key]);
    yield { cells: [] };

    yield section(A.warnings, WIDTH);
    if (f.notices.length === 0) yield para(A.noWarnings, 'label');
    for (const n of f.notices) yield para(L.notice(n), 'warn');
  }

  return {
    name: p.sheets.about,
    columns: COLUMNS,
    freeze: { rows: 1, cols: 0 },
    rows,
    tabColor: 'FF7F7F7F',
  };
}
