import { Decimal } from '../../models/money.ts';
import type { DriverId } from '../../models/ranges.ts';
import type { Labels, Locale } from '../labels.ts';

/**
 * A sensitivity driver's value as people read it: `× 1.5` for a scale, `40 %` for a rate
 * that replaces the input, `8 q` for a delay.
 * @example driverValue(LABELS.en, 'en', 'efficiency', 'set', '0.40') //=> "40%"
 */
export function driverValue(
  L: Labels,
  locale: Locale,
  driver: DriverId,
  mode: 'scale' | 'set',
  value: string,
): string {
  const local = (s: string) => (locale === 'fr' ? s.replace('.', ',') : s);
  if (mode === 'scale') return `× ${local(value)}`;
  if (driver === 'delay') return `${value} ${L.common.quartersShort}`;
  const pct = local(new Decimal(value).times(100).toString());
  return locale === 'fr' ? `${pct} %` : `${pct}%`;
}
