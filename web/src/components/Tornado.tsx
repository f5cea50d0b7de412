import type { Locale } from '../i18n.ts';
import { money } from '../i18n.ts';

/** One bar of the forecast JSON's `sensitivity.tornado` (models/forecast-json.ts). */
export interface TornadoBar {
  readonly scenarioId: string;
  readonly driver: string;
  readonly mode: 'scale' | 'set';
  readonly low: string;
  readonly high: string;
  readonly totalAtLow: string;
  readonly totalAtHigh: string;
  readonly swing: string;
}

/** The drivers as the workbook's Tornado sheet names them (templates/labels.ts). */
const DRIVERS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  en: {
    growth: 'Volume growth',
    efficiency: 'Token discipline (efficiency)',
    priceDecline: 'Price decline',
    delay: 'Build-out delay',
    premium: 'Shortage premium',
    availability: 'Availability during the delay',
    fx: 'Exchange rates',
    basePrice: 'Unit prices',
  },
  fr: {
    growth: 'Croissance des volumes',
    efficiency: 'Sobriété (efficacité)',
    priceDecline: 'Baisse des prix',
    delay: 'Retard du déploiement',
    premium: 'Prime de pénurie',
    availability: 'Disponibilité pendant le retard',
    fx: 'Taux de change',
    basePrice: 'Prix unitaires',
  },
};

const WORDS = {
  en: {
    low: 'at the low value',
    high: 'at the high value',
    forecast: 'forecast',
    noEffect: 'no effect',
    quarters: (n: string) => `${n} quarter${n === '1' ? '' : 's'}`,
    label: (scenario: string) =>
      `Tornado of ${scenario}: the horizon total with one driver at a time at its low and its high value, the others at the forecast's; the table below gives every amount.`,
    table: 'The tornado as a table',
    caption: (scenario: string) => `Tornado of ${scenario}: horizon total by driver value`,
    driver: 'Driver',
    lowValue: 'Low value',
    highValue: 'High value',
    atLow: 'Total at the low value',
    atHigh: 'Total at the high value',
    swing: 'Swing',
  },
  fr: {
    low: 'à la valeur basse',
    high: 'à la valeur haute',
    forecast: 'prévision',
    noEffect: 'sans effet',
    quarters: (n: string) => `${n} trimestre${n === '0' || n === '1' ? '' : 's'}`,
    label: (scenario: string) =>
      `Tornade de ${scenario} : le total de l’horizon avec un facteur à la fois à sa valeur basse et à sa valeur haute, les autres à ceux de la prévision ; le tableau ci-dessous donne chaque montant.`,
    table: 'La tornade en tableau',
    caption: (scenario: string) =>
      `Tornade de ${scenario} : total de l’horizon par valeur du facteur`,
    driver: 'Facteur',
    lowValue: 'Valeur basse',
    highValue: 'Valeur haute',
    atLow: 'Total à la valeur basse',
    atHigh: 'Total à la valeur haute',
    swing: 'Écart',
  },
} as const;

const TAGS: Readonly<Record<Locale, string>> = { en: 'en-GB', fr: 'fr-FR' };

/**
 * A driver's value as the reader writes it: × 1.5 for a scale, quarters for the delay, a
 * percentage for a premium, an availability or a set efficiency — formatting of the API's
 * value, nothing computed.
 * @example driverValue('fr', { driver: 'premium', mode: 'set' }, '0.30') //=> "30 %"
 */
export function driverValue(
  locale: Locale,
  bar: Pick<TornadoBar, 'driver' | 'mode'>,
  value: string,
): string {
  if (bar.driver === 'delay') return WORDS[locale].quarters(value);
  const n = value as unknown as number; // Intl formats a decimal string exactly
  if (bar.mode === 'scale')
    return `× ${new Intl.NumberFormat(TAGS[locale], { maximumFractionDigits: 6 }).format(n)}`;
  return new Intl.NumberFormat(TAGS[locale], { style: 'percent', maximumFractionDigits: 2 }).format(
    n,
  );
}

const W = 730;
const LABEL = 215;
const AMOUNT = 128;
const ROW = 38;
const TOP = 52;
const LOW_COLOUR = '#1f5fa8';
const HIGH_COLOUR = '#c2410c';

/**
 * The tornado of one scenario, in plain SVG: for each driver (largest swing first, as the API
 * sorts them) a bar from the forecast's total to the total with the driver at its low value
 * (blue) and at its high value (orange), each end labelled with the API's amount. Positions
 * are drawing geometry only (floats); every amount written is the API's, and the table under
 * the chart gives them all.
 */
export function Tornado(props: {
  readonly locale: Locale;
  readonly bars: readonly TornadoBar[];
  /** The scenario's total, the API's: where every bar starts. */
  readonly total: string;
  readonly currency: string;
  readonly scenario: string;
}) {
  const { locale, bars, total, currency, scenario } = props;
  const w = WORDS[locale];
  const H = TOP + bars.length * ROW + 8;
  const values = bars.flatMap((b) => [Number(b.totalAtLow), Number(b.totalAtHigh)]);
  const base = Number(total);
  const lo = Math.min(base, ...values);
  const hi = Math.max(base, ...values);
  const x0 = LABEL + AMOUNT;
  const x1 = W - AMOUNT;
  const x = (v: number) => (hi === lo ? (x0 + x1) / 2 : x0 + ((v - lo) / (hi - lo)) * (x1 - x0));
  const amount = (v: string) => money(locale, v, currency);
  return (
    <figure class="tornado">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={w.label(scenario)}
        preserveAspectRatio="xMinYMin meet"
      >
        <rect x={LABEL} y={6} width={12} height={12} fill={LOW_COLOUR} />
        <text x={LABEL + 16} y={16} font-size="12" fill="#1a1a1a">
          {w.low}
        </text>
        <rect x={LABEL + 150} y={6} width={12} height={12} fill={HIGH_COLOUR} />
        <text x={LABEL + 166} y={16} font-size="12" fill="#1a1a1a">
          {w.high}
        </text>
        <line x1={x(base)} x2={x(base)} y1={TOP - 4} y2={H - 4} stroke="#1a1a1a" />
        <text
          x={x(base)}
          y={TOP - 8}
          text-anchor="middle"
          font-size="12"
          fill="#1a1a1a"
          data-total={total}
        >
          {`${w.forecast} ${amount(total)}`}
        </text>
        {bars.map((b, i) => {
          const y = TOP + i * ROW;
          const lowV = Number(b.totalAtLow);
          const highV = Number(b.totalAtHigh);
          const flat = lowV === base && highV === base;
          const ends = [
            { end: 'low', v: lowV, text: b.totalAtLow, colour: LOW_COLOUR },
            { end: 'high', v: highV, text: b.totalAtHigh, colour: HIGH_COLOUR },
          ].sort((a, c) => a.v - c.v);
          const [left, right] = ends as [(typeof ends)[0], (typeof ends)[0]];
          const name = DRIVERS[locale][b.driver] ?? b.driver;
          return (
            <g key={b.driver} data-driver={b.driver}>
              <title>{`${name}: ${driverValue(locale, b, b.low)} → ${amount(b.totalAtLow)}; ${driverValue(locale, b, b.high)} → ${amount(b.totalAtHigh)}`}</title>
              <text x={0} y={y + 13} font-size="12.5" font-weight="600" fill="#1a1a1a">
                {name}
              </text>
              <text x={0} y={y + 29} font-size="12" fill="#4b5563">
                {`${driverValue(locale, b, b.low)} – ${driverValue(locale, b, b.high)}`}
              </text>
              {/* the longer first, so that a shorter one on the same side stays visible */}
              {[...ends]
                .sort((a, c) => Math.abs(c.v - base) - Math.abs(a.v - base))
                .map((e) => (
                  <rect
                    key={e.end}
                    x={Math.min(x(base), x(e.v))}
                    y={y + 6}
                    width={Math.max(Math.abs(x(e.v) - x(base)), flat ? 0 : 1)}
                    height={20}
                    fill={e.colour}
                  />
                ))}
              {flat ? (
                <text x={x(base) + 6} y={y + 21} font-size="12" fill="#4b5563">
                  {w.noEffect}
                </text>
              ) : (
                <>
                  <text
                    x={Math.min(x(left.v), x(base)) - 4}
                    y={y + 21}
                    text-anchor="end"
                    font-size="12"
                    fill="#1a1a1a"
                    data-end={left.end}
                  >
                    {amount(left.text)}
                  </text>
                  <text
                    x={Math.max(x(right.v), x(base)) + 4}
                    y={y + 21}
                    font-size="12"
                    fill="#1a1a1a"
                    data-end={right.end}
                  >
                    {amount(right.text)}
                  </text>
                </>
              )}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{w.table}</summary>
        <table class="numbers" id="tornado-table">
          <caption>{w.caption(scenario)}</caption>
          <thead>
            <tr>
              <th scope="col">{w.driver}</th>
              <th scope="col">{w.lowValue}</th>
              <th scope="col">{w.atLow}</th>
              <th scope="col">{w.highValue}</th>
              <th scope="col">{w.atHigh}</th>
              <th scope="col">{w.swing}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.driver} data-driver={b.driver}>
                <th scope="row">{DRIVERS[locale][b.driver] ?? b.driver}</th>
                <td>{driverValue(locale, b, b.low)}</td>
                <td>{amount(b.totalAtLow)}</td>
                <td>{driverValue(locale, b, b.high)}</td>
                <td>{amount(b.totalAtHigh)}</td>
                <td>{amount(b.swing)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
