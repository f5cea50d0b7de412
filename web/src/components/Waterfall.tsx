import type { BridgeLine } from '../cfo-api.ts';
import { effectName, tc } from '../cfo-i18n.ts';
import type { Locale } from '../i18n.ts';
import { money } from '../i18n.ts';

/** A step of 1, 2 or 5 times a power of ten, at least `raw`: round numbers on the axis. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((k) => k * p >= raw) ?? 10) * p;
}

/** An axis value, compact but with enough digits to tell the ticks apart. */
const axis = (locale: Locale, v: number): string =>
  new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    notation: 'compact',
    maximumSignificantDigits: 4,
  }).format(v);

const W = 720;
const H = 260;
const PAD = { left: 64, right: 12, top: 16, bottom: 48 };
const UP = '#b91c1c';
const DOWN = '#15803d';
const TOTAL = '#1f5fa8';
const FLAT = '#6b7280';

/**
 * The bridge of one scenario as a waterfall, in plain SVG: last quarter's total, each effect
 * in the API's order floating from where the previous one ended, this quarter's total. The
 * bars' positions are drawing geometry only (floats); the amounts written are the API's.
 * The axis does not start at zero, so that effects small against the totals stay visible;
 * the table under the chart gives every amount.
 */
export function Waterfall(props: {
  readonly locale: Locale;
  readonly line: BridgeLine;
  readonly effects: readonly string[];
  readonly currency: string;
  readonly label: string;
}) {
  const { locale, line, effects, currency, label } = props;
  const steps: { name: string; from: number; to: number; kind: 'total' | 'up' | 'down' }[] = [];
  steps.push({ name: tc(locale, 'oldTotal'), from: 0, to: Number(line.old), kind: 'total' });
  let level = Number(line.old);
  for (const e of effects) {
    const v = Number(line.effects[e] ?? '0');
    steps.push({
      name: effectName(locale, e),
      from: level,
      to: level + v,
      kind: v >= 0 ? 'up' : 'down',
    });
    level += v;
  }
  steps.push({ name: tc(locale, 'newTotal'), from: 0, to: Number(line.new), kind: 'total' });

  const levels = steps.flatMap((s) => (s.kind === 'total' ? [s.to] : [s.from, s.to]));
  const top = Math.max(...levels);
  const low = Math.min(...levels);
  const span = Math.max(top - low, Math.abs(top) * 0.01, 1);
  const y0 = Math.max(0, low - span * 0.5);
  const y1 = top + span * 0.15;
  const y = (v: number) => PAD.top + ((y1 - v) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const slot = (W - PAD.left - PAD.right) / steps.length;
  const step = niceStep((y1 - y0) / 4);
  const ticks: number[] = [];
  for (let v = Math.ceil(y0 / step) * step; v <= y1; v += step) ticks.push(v);
  const amounts = [line.old, ...effects.map((e) => line.effects[e] ?? '0'), line.new];

  return (
    <svg
      class="waterfall"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="xMidYMid meet"
    >
      {ticks.map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#e5e7eb" />
          <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end" font-size="11" fill="#4b5563">
            {axis(locale, v)}
          </text>
        </g>
      ))}
      {steps.map((s, i) => {
        const x = PAD.left + i * slot + slot * 0.15;
        const bottom = s.kind === 'total' ? y(y0) : y(Math.min(s.from, s.to));
        const topY = s.kind === 'total' ? y(s.to) : y(Math.max(s.from, s.to));
        const colour =
          s.kind === 'total' ? TOTAL : s.from === s.to ? FLAT : s.kind === 'up' ? UP : DOWN;
        return (
          <g key={s.name}>
            <title>{`${s.name}: ${money(locale, amounts[i] ?? '', currency)}`}</title>
            <rect
              x={x}
              y={topY}
              width={slot * 0.7}
              height={Math.max(bottom - topY, 1)}
              fill={colour}
            />
            <text
              x={x + slot * 0.35}
              y={H - PAD.bottom + 14}
              text-anchor="middle"
              font-size="11"
              fill="#1a1a1a"
            >
              {wrap(s.name)[0]}
            </text>
            <text
              x={x + slot * 0.35}
              y={H - PAD.bottom + 27}
              text-anchor="middle"
              font-size="11"
              fill="#1a1a1a"
            >
              {wrap(s.name)[1]}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A label on at most two lines, split at the space nearest its middle. */
function wrap(text: string): [string, string] {
  if (text.length <= 14) return [text, ''];
  const mid = text.length / 2;
  let best = -1;
  for (let i = 0; i < text.length; i++)
    if (text[i] === ' ' && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  return best < 0 ? [text, ''] : [text.slice(0, best), text.slice(best + 1)];
}
