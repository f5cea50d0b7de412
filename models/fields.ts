import { z } from 'zod';
import { Decimal, decimalFromText } from './money.ts';
import { MAX_HORIZON, parseQuarter } from './quarters.ts';

/** Cost categories, in the order every breakdown lists them. */
export const CATEGORIES = ['llm-inference', 'gpu-compute', 'storage', 'network', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export const categorySchema = z.enum(CATEGORIES);

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (typeof input === 'number') return `the number ${input}`;
  return `${JSON.stringify(input)?.slice(0, 40) ?? String(input)}`;
}

interface Bounds {
  /** inclusive */
  readonly min?: string;
  /** inclusive */
  readonly max?: string;
  /** exclusive */
  readonly gt?: string;
  /** exclusive */
  readonly lt?: string;
}

/**
 * A decimal written as a string ("0.12"), checked against bounds. Numbers are refused so
 * that no price ever passes through a binary float.
 */
export function decimalString(bounds: Bounds = {}) {
  const bound = (b: string | undefined) => (b === undefined ? null : new Decimal(b));
  const [min, max, gt, lt] = [bounds.min, bounds.max, bounds.gt, bounds.lt].map(bound);
  return z
    .string({
      error: (iss) =>
        iss.input === undefined
          ? 'is required'
          : `must be a decimal written as a string, such as "0.12" (got ${describe(iss.input)})`,
    })
    .superRefine((text, ctx) => {
      // Every request body goes through here several times: no closure per call.
      const d = decimalFromText(text);
      if (!d) {
        ctx.addIssue({ code: 'custom', message: `${describe(text)} is not a decimal number` });
        return;
      }
      if (min && d.lt(min))
        ctx.addIssue({ code: 'custom', message: `must be ≥ ${bounds.min} (got ${text})` });
      if (max && d.gt(max))
        ctx.addIssue({ code: 'custom', message: `must be ≤ ${bounds.max} (got ${text})` });
      if (gt && d.lte(gt))
        ctx.addIssue({ code: 'custom', message: `must be > ${bounds.gt} (got ${text})` });
      if (lt && d.gte(lt))
        ctx.addIssue({ code: 'custom', message: `must be < ${bounds.lt} (got ${text})` });
    });
}

/** A decimal string already validated by `decimalString`. */
export const dec = (text: string): Decimal => new Decimal(text);

export const text = (max = 200) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** Zero-width and bidirectional control characters: invisible, they make a name look like another. */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/**
 * Why a name cannot be a provider's, or `null`: it holds an invisible or bidi control
 * character (`Open\u200bAI` would look like OpenAI and be another provider).
 * @example invisibleInName('Open\u200bAI') //=> 'contains an invisible character (U+200B at 5)…'
 */
export function invisibleInName(s: string): string | null {
  const m = INVISIBLE.exec(s);
  if (!m) return null;
  const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `contains an invisible or bidirectional control character (U+${code} at position ${m.index + 1}); a provider name must be visible text`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters refused
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/;

const codePoint = (c: string) =>
  `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a header value (or a file name, which comes in one) cannot be read, or `null`: a control character (any C0 but tab, DEL, or a
 * C1 character, which a byte 0x80–0x9F reads as) or a lone UTF-16 surrogate. Node's HTTP
 * parser already refuses C0 characters and DEL on the wire; C1 bytes and injected requests
 * get this far. The value itself is never repeated: it may be a key.
 * @example unprintableText('fr\u0085') //=> 'contains a control character (U+0085 at position 3)'
 */
export function unprintableText(value: string): string | null {
  const m = CONTROL.exec(value);
  if (m) return `contains a control character (${codePoint(m[0])} at position ${m.index + 1})`;
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed())
    return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return null;
}

/**
 * A provider name: text of at most `max` characters, trimmed, in Unicode NFC (so "Café" typed
 * on a Mac, with a combining accent, is the same provider as anywhere else), with no invisible
 * character.
 */
export const providerName = (max = 100) =>
  text(max)
    .overwrite((s) => s.normalize('NFC'))
    .superRefine((s, ctx) => {
      const why = invisibleInName(s);
      if (why) ctx.addIssue({ code: 'custom', message: why });
    });

/** Whether `s` is already in NFC (ASCII always is; the check is for the rest). */
export const isNfc = (s: string): boolean =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range
  /^[\u0000-\u007f]*$/.test(s) || s.normalize('NFC') === s;

/**
 * A provider name as prices are matched to it: trimmed, in NFC, any case. Names stored before
 * they were normalised (a forecast pins its inputs as they were) match their composed form.
 * @example providerKey(' Cafe\u0301 ') //=> "café"
 */
export const providerKey = (s: string): string => {
  const t = s.trim();
  return (isNfc(t) ? t : t.normalize('NFC')).toLowerCase();
};

/**
 * A stored provider name as the schema now stores it (trimmed, NFC), or `null` when it holds
 * an invisible or bidi control character: such a name is left as it is, never silently
 * changed (see server/db/provider-names.ts).
 * @example normalizedProviderName('Cafe\u0301') //=> "Café"
 */
export function normalizedProviderName(s: string): string | null {
  if (invisibleInName(s) !== null) return null;
  const t = s.trim();
  return isNfc(t) ? t : t.normalize('NFC');
}

/** What {@link currencyCode} accepts once trimmed: three capital letters. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

export const currencyCode = z
  .string({ error: 'must be a currency code such as "USD"' })
  .trim()
  .regex(CURRENCY_CODE, 'must be a three-letter ISO 4217 code in capitals, such as "USD"');

/**
 * What a real model can mean (issue 13): inputs beyond these are refused when saved, so a
 * stored assumption set can always be forecast (no "not a quarter: 10000-Q1", no Monte Carlo
 * percentile overflowing to NaN).
 */
export const BOUNDS = {
  /** Quarters are years 1970 to 2999: a 40-quarter horizon plus 40 quarters of delay stay
   * far inside the four-digit years quarter labels have. */
  firstYear: 1970,
  lastYear: 2999,
  /** Units of a workload in its first quarter. */
  maxBaseQuantity: '1e15',
  /** Growth per quarter: at most +1000 % (×11) a quarter. */
  maxGrowthPerQuarter: '10',
  /** A workload's quantity in the horizon's last quarter (base × (1 + growth)^(horizon − 1)). */
  maxProjectedQuantity: '1e18',
  /** Shortage and fallback premiums: at most +10 000 % (×101). */
  maxPremium: '100',
  /** FX rates (> 0), units of the reporting currency per unit of the other. */
  maxFx: '1000000000',
  /** A fiscal year's budget. */
  maxBudget: '1e18',
} as const;

export const quarterLabel = z
  .string({ error: 'must be a quarter such as "2027-Q1"' })
  .refine((s) => parseQuarter(s) !== null, 'must be a quarter such as "2027-Q1"')
  .refine((s) => {
    const year = parseQuarter(s)?.year ?? BOUNDS.firstYear;
    return year >= BOUNDS.firstYear && year <= BOUNDS.lastYear;
  }, `must be a quarter from ${BOUNDS.firstYear}-Q1 to ${BOUNDS.lastYear}-Q4`);

export const horizon = z
  .int({ error: `must be a whole number of quarters from 1 to ${MAX_HORIZON}` })
  .min(1, `must be a whole number of quarters from 1 to ${MAX_HORIZON}`)
  .max(MAX_HORIZON, `must be at most ${MAX_HORIZON} quarters`);

export const slug = z
  .string({ error: 'must be a string' })
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
