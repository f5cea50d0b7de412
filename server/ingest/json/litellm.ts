import type { Node } from 'jsonc-parser';
import { readAsOfDate } from '../../../models/freshness.ts';
import { Decimal } from '../../../models/money.ts';
import { type PriceRow, priceRowSchema } from '../../../models/price-sheet.ts';
import type { Result } from '../../../models/result.ts';
import { numberText } from '../numbers.ts';
import { finish, issueLog, tooManyRows } from '../rows.ts';
import type { ParseContext, ParsedPriceSheet } from '../types.ts';
import { type JsonDocument, property, readJsonDocument } from './document.ts';

export const LITELLM_SOURCE = 'LiteLLM model_prices_and_context_window.json';

/** Top-level keys of the catalogue that are not models. */
const NOT_MODELS = new Set(['sample_spec', 'fallback_generalizations', 'last_updated']);

/** Per-token cost fields → SKU suffix. */
const TOKEN_COSTS = [
  ['input_cost_per_token', 'input'],
  ['output_cost_per_token', 'output'],
  ['cache_read_input_token_cost', 'cached-input'],
] as const;

const TOKENS_PER_UNIT = 1_000_000;

/**
 * Whether a JSON document is a LiteLLM price catalogue: an object (without a `"rows"` array)
 * whose values include objects with `litellm_provider` or `input_cost_per_token`.
 */
export function isCatalogue(tree: Node): boolean {
  if (tree.type !== 'object' || property(tree, 'rows')?.type === 'array') return false;
  return (tree.children ?? []).some((p) => {
    const v = p.children?.[1];
    return (
      v?.type === 'object' &&
      (property(v, 'litellm_provider') !== undefined ||
        property(v, 'input_cost_per_token') !== undefined)
    );
  });
}

interface Model {
  readonly provider: string;
  readonly mode: string | undefined;
  /** SKU suffix → cost per token, as plain decimal text. */
  readonly costs: readonly (readonly [string, string])[];
}

/**
 * A catalogue entry as a model with flat per-token prices, or why it is not one: not an
 * object, no provider, tiered pricing, no token price, or a cost that is not a non-negative
 * finite number.
 */
function modelOf(key: string, node: Node): Model | { readonly skip: string } {
  if (NOT_MODELS.has(key)) return { skip: 'is not a model' };
  if (node.type !== 'object') return { skip: `is a ${node.type}, not an object` };
  const provider = property(node, 'litellm_provider');
  if (provider?.type !== 'string' || String(provider.value).trim() === '')
    return { skip: 'has no litellm_provider' };
  const tiers = property(node, 'tiered_pricing');
  if (tiers && tiers.type !== 'null') return { skip: 'has tiered pricing' };
  const costs: [string, string][] = [];
  for (const [field, suffix] of TOKEN_COSTS) {
    const c = property(node, field);
    if (!c || c.type === 'null') continue;
    if (c.type !== 'number')
      return { skip: `${field} is not a number (${JSON.stringify(c.value)?.slice(0, 40)})` };
    const n = Number(c.value);
    if (!Number.isFinite(n)) return { skip: `${field} is not a finite number` };
    const text = numberText(n);
    if (text === null) return { skip: `${field} is not a plain number` };
    if (text.startsWith('-')) return { skip: `${field} is negative (${text})` };
    costs.push([suffix, text]);
  }
  if (costs.length === 0) return { skip: 'has no per-token price' };
  const mode = property(node, 'mode');
  return {
    provider: String(provider.value),
    mode: mode?.type === 'string' ? String(mode.value) : undefined,
    costs,
  };
}

/** Skipped entries named in the note and the errors: the first this many, then a count. */
export const MAX_NAMED_SKIPS = 1000;

/** The catalogue's `last_updated` date (`2026-07-24`), when it has one. */
function asOfDate(tree: Node): string | undefined {
  const v = property(tree, 'last_updated');
  const m = v?.type === 'string' ? /^(\d{4}-\d{2}-\d{2})/.exec(String(v.value)) : null;
  // An impossible date (2026-02-31) is no as-of: the prices then have none.
  const date = m?.[1] === undefined ? null : readAsOfDate(m[1]);
  return date?.ok ? date.date : undefined;
}

/** Price rows from a LiteLLM catalogue already read (see {@link parseLitellm}). */
export async function litellmFromDocument(
  doc: JsonDocument,
  ctx: ParseContext,
): Promise<Result<ParsedPriceSheet>> {
  const log = issueLog(ctx.file);
  const rows: PriceRow[] = [];
  const lines: number[] = [];
  const wanted = ctx.provider?.trim().toLowerCase();
  const providers = new Map<string, number>();
  const asOf = asOfDate(doc.tree);
  let skipped = 0;
  const named: { key: string; why: string; line: number }[] = [];
  const skip = (key: string, why: string, offset: number) => {
    skipped += 1;
    if (named.length < MAX_NAMED_SKIPS) named.push({ key, why, line: doc.at(offset).line });
  };
  let otherProviders = 0;

  for (const p of doc.tree.children ?? []) {
    const [keyNode, valueNode] = p.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const model = modelOf(key, valueNode);
    if ('skip' in model) {
      skip(key, model.skip, keyNode.offset);
      continue;
    }
    providers.set(model.provider, (providers.get(model.provider) ?? 0) + 1);
    if (wanted !== undefined && model.provider.trim().toLowerCase() !== wanted) {
      otherProviders += 1;
      continue;
    }
    const parsed = model.costs.map(([suffix, perToken]) =>
      priceRowSchema.safeParse({
        ProviderName: model.provider,
        SkuId: `${key}-${suffix}`,
        PricingUnit: '1M tokens',
        ListUnitPrice: new Decimal(perToken).times(TOKENS_PER_UNIT).toFixed(),
        PricingCurrency: 'USD',
        ServiceCategory: 'AI and Machine Learning',
        ...(model.mode === undefined ? {} : { Description: model.mode }),
        x_Source: LITELLM_SOURCE,
        ...(asOf === undefined ? {} : { x_AsOf: asOf }),
      }),
    );
    const failed = parsed.find((r) => !r.success);
    if (failed && !failed.success) {
      const issue = failed.error.issues[0];
      skip(
        key,
        `${String(issue?.path[0] ?? 'a price')} ${issue?.message ?? 'is invalid'}`,
        keyNode.offset,
      );
      continue;
    }
    const line = doc.at(keyNode.offset).line;
    for (const r of parsed) {
      if (!r.success) continue;
      rows.push(Object.freeze(r.data));
      lines.push(line);
    }
    if (rows.length > ctx.maxRows) {
      log.add(tooManyRows(ctx, line));
      return finish('litellm', { rows: [], lines: [] }, log);
    }
  }

  const notes = [...doc.notes];
  if (skipped > 0) {
    const list = named.map((n) => `"${n.key}" ${n.why}`).join('; ');
    const more = skipped > named.length ? `; … and ${skipped - named.length} more` : '';
    notes.push(
      `skipped ${skipped} catalogue entries that are not models or have no flat per-token price: ${list}${more}`,
    );
  }
  // A catalogue of bad entries only: each one, located, rather than "has no price rows".
  if (rows.length === 0 && wanted === undefined) {
    for (const n of named)
      log.add({ row: n.line, field: n.key, message: `catalogue entry "${n.key}" ${n.why}` });
    // Those past the first MAX_NAMED_SKIPS are counted (the log's last issue says how many).
    for (let i = named.length; i < skipped; i++)
      log.add({ message: 'a skipped catalogue entry past those named' });
  }
  if (wanted !== undefined) {
    if (rows.length === 0) {
      const known = [...providers.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([name]) => `"${name}"`)
        .join(', ');
      log.add({
        field: 'ProviderName',
        value: ctx.provider ?? '',
        message: `the catalogue has no model of provider "${ctx.provider}"; it has ${known}${providers.size > 12 ? ', …' : ''}`,
      });
    }
    notes.push(`kept the models of provider "${ctx.provider}"; left out ${otherProviders} others`);
  }
  if (asOf !== undefined) notes.push(`prices as of ${asOf} (the catalogue's last_updated)`);
  return finish('litellm', { rows, lines }, log, { skipped, notes });
}

/**
 * Parses LiteLLM's `model_prices_and_context_window.json`: each model's input, output and
 * cached-input token prices become SKUs `<model>-input`, `<model>-output` and
 * `<model>-cached-input` priced in USD per "1M tokens". Entries that are not models, or
 * whose prices are tiered or not plain numbers, are skipped and counted, never fatal.
 * @example (await parseLitellm(bytes, ctx)).value.rows[0] //=> { SkuId: 'gpt-4-input', ListUnitPrice: '30', … }
 */
export async function parseLitellm(
  bytes: Uint8Array,
  ctx: ParseContext,
): Promise<Result<ParsedPriceSheet>> {
  const doc = readJsonDocument(bytes, ctx);
  return doc.ok ? litellmFromDocument(doc.value, ctx) : doc;
}
