import { sum, ZERO } from '../../models/money.ts';
import { CALC_COL, type Facts } from '../facts.ts';
import { type Cell, col, onSheet, type SheetLayout } from '../layout.ts';
import { BLANK, build, fixed, keyed, type Line, resolver, rowNumbers } from '../rows.ts';
import { sumWhere } from './calc.ts';
import { type Context, header, n, noteRow, section, titleRow } from './common.ts';

const WIDTH = 5;
const COLUMNS = [34, 16, 20, 14, 28];

/** The jurisdictions of a scenario's concentration, then any other of a provider. */
function jurisdictions(p: Facts, s: number): string[] {
  // biome-ignore lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
  const all = [...p.f.concentration[s]!.byJurisdiction.keys()];
  for (const x of p.providers) if (!all.includes(x.jurisdiction)) all.push(x.jurisdiction);
  return all;
}

/**
 * One scenario's block: spend and share by provider, largest first (`share:<s>:<rank>`), the
 * total (`total:<s>`) and the HHI, then shares by jurisdiction (`jurisdiction:<s>:<k>`) and
 * their HHI.
 */
function blockLines(p: Facts, s: number): Line[] {
  const { f, L } = p;
  const R = L.providers;
  // biome-ignore-start lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
  const pr = f.projections[s]!;
  const c = f.concentration[s]!;
  const calc = (row: number) => onSheet(p.sheets.calc[s]!, `$${col(CALC_COL.total)}$${row}`);
  // biome-ignore-end lint/style/noNonNullAssertion: s is a scenario index: projections, concentration, names.scenarios and sheets.calc have one entry per scenario
  const order = [...p.providers].sort(
    (a, b) =>
      (c.spendByProvider.get(b.name) ?? ZERO).comparedTo(c.spendByProvider.get(a.name) ?? ZERO) ||
      a.name.localeCompare(b.name),
  );
  const share = (i: number) => `share:${s}:${i}`;
  const first = share(0);
  const last = share(order.length - 1);
  const js = jurisdictions(p, s);
  const jur = (k: number) => `jurisdiction:${s}:${k}`;
  const shares = order.map((x, i) =>
    keyed(share(i), (ref) => {
      const at = ref(share(i));
      const total = ref(`total:${s}`);
      return {
        cells: [
          { v: x.name, s: 'label' },
          {
            f: onSheet(p.sheets.inputs, `$B$${ref.on('inputs', `provider:${x.name}`)}`),
            r: x.jurisdiction,
            s: 'link.text',
          },
          {
            f: calc(ref.on('calc', `provider:${x.name}`)),
            r: n(c.spendByProvider.get(x.name) ?? ZERO),
            s: 'link.money',
          },
          {
            f: `IF($C$${total}=0,0,C${at}/$C$${total})`,
            r: n(c.byProvider.get(x.name) ?? ZERO),
            s: 'calc.pct',
          },
          {
            f: calc(ref.on('calc', `providerFallback:${x.name}`)),
            r: n(c.fallbackByProvider.get(x.name) ?? ZERO),
            s: 'link.money',
          },
        ],
      };
    }),
  );
  const byJurisdiction = js.map((j, k) =>
    keyed(jur(k), (ref) => ({
      cells: [
        { v: j, s: 'label' },
        {
          f: sumWhere(
            `$B$${ref(first)}:$B$${ref(last)}`,
            `A${ref(jur(k))}`,
            `$D$${ref(first)}:$D$${ref(last)}`,
          ),
          r: n(c.byJurisdiction.get(j) ?? ZERO),
          s: 'calc.pct',
        } as Cell,
      ],
    })),
  );
  return [
    fixed(section(R.block(pr.scenario.name), WIDTH)),
    fixed(
      header(
        [
          L.common.provider,
          L.common.jurisdiction,
          R.spend(p.currency),
          L.common.share,
          R.fallbackSpend(p.currency),
        ],
        1,
        { widths: COLUMNS, numericFrom: 2 },
      ),
    ),
    ...shares,
    keyed(`total:${s}`, (ref) => {
      const [a, b] = [ref(first), ref(last)];
      return {
        cells: [
          { v: L.common.total, s: 'labelBold' },
          null,
          { f: `SUM(C${a}:C${b})`, r: n(pr.total), s: 'tot.money' },
          { f: `SUM(D${a}:D${b})`, r: n(sum([...c.byProvider.values()])), s: 'tot.pct' },
          {
            f: `SUM(E${a}:E${b})`,
            r: n(sum([...c.fallbackByProvider.values()])),
            s: 'tot.money',
          },
        ],
      };
    }),
    keyed(`hhi:${s}`, (ref) => {
      const [a, b] = [ref(first), ref(last)];
      return {
        cells: [
          { v: R.hhi, s: 'labelBold' },
          null,
          null,
          {
            f: `SUMPRODUCT(D${a}:D${b},D${a}:D${b})*${p.names.hhiScale}`,
            r: n(c.hhi),
            s: 'calc.num',
          },
        ],
      };
    }),
    BLANK,
    fixed({ cells: [{ v: R.byJurisdiction, s: 'labelBold' }] }),
    fixed(header([L.common.jurisdiction, L.common.share], 1, { widths: COLUMNS, numericFrom: 1 })),
    ...byJurisdiction,
    keyed(`jurisdictionHhi:${s}`, (ref) => {
      const [a, b] = [ref(jur(0)), ref(jur(js.length - 1))]; // every provider has one
      return {
        cells: [
          { v: R.jurisdictionHhi, s: 'labelBold' },
          {
            f: `SUMPRODUCT(B${a}:B${b},B${a}:B${b})*${p.names.hhiScale}`,
            r: n(c.jurisdictionHhi),
            s: 'calc.num',
          },
        ],
      };
    }),
    BLANK,
  ];
}

/**
 * Providers: per scenario, spend and share by provider (the unserved share with the provider
 * that serves it), the fallback exposure, shares by jurisdiction and both HHIs — live
 * formulas over the calculation sheets.
 */
export function providersSheet({ p }: Context): SheetLayout {
  const R = p.L.providers;
  const lines = [
    fixed(titleRow(R.title)),
    fixed(noteRow(R.note)),
    BLANK,
    ...p.f.projections.flatMap((_, s) => blockLines(p, s)),
  ];
  const ref = resolver(rowNumbers(p.sheets.providers, lines), p.rows);
  return {
    name: p.sheets.providers,
    columns: COLUMNS,
    freeze: { rows: 2, cols: 1 },
    rows: () => build(lines, ref),
    tabColor: 'FF2E75B6',
  };
}
