import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PriceRow } from '../../../../models/price-sheet.ts';
import { detectFormat, LITELLM_SOURCE, parsePriceSheet } from '../../../../server/ingest/index.ts';
import { publicData } from '../../../public-data.ts';

// BerriAI/litellm's price catalogue (MIT), copied unchanged: see fixtures/public/SOURCES.md.
const FILE_2024 = publicData('litellm-2024/model_prices_and_context_window.json');
const FILE_2026 = publicData('litellm-2026/model_prices_and_context_window.json');

/*
 * Expected counts, computed independently with Python (Y = 2024 or 2026; P = "" for all
 * providers, or "and v['litellm_provider']=='openai'"):
 *
 * python3 -c "import json; d=json.load(open('fixtures/public/litellm-Y/model_prices_and_context_window.json')); F=['input_cost_per_token','output_cost_per_token','cache_read_input_token_cost']; ok=lambda v: isinstance(v,dict) and isinstance(v.get('litellm_provider'),str) and v['litellm_provider'].strip() and v.get('tiered_pricing') is None and all(v.get(f) is None or (type(v[f]) in (int,float) and v[f]>=0) for f in F) and any(v.get(f) is not None for f in F); m={k:v for k,v in d.items() if k not in ('sample_spec','fallback_generalizations','last_updated') and ok(v) P}; print(len(d), len(m), len(d)-len(m), sum(sum(v.get(f) is not None for f in F) for v in m.values()))"
 *
 * 2024: 690 entries, 620 models, 70 skipped, 1253 SKUs
 * 2026: 2985 entries, 2521 models, 464 skipped, 5727 SKUs; openai only: 150 models, 390 SKUs
 */

const find = (rows: readonly PriceRow[], sku: string) => rows.find((r) => r.SkuId === sku);

describe('the LiteLLM catalogue of 2024-11-26', () => {
  it('is detected and yields one SKU per token price, skipping entries that are not models', async () => {
    const bytes = readFileSync(FILE_2024);
    expect(detectFormat('model_prices_and_context_window.json', bytes)).toBe('litellm');
    const r = await parsePriceSheet(bytes, { fileName: 'model_prices_and_context_window.json' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.format).toBe('litellm');
    expect(r.value.rows).toHaveLength(1253);
    expect(r.value.lines).toHaveLength(1253);
    expect(r.value.skipped).toBe(70);
    expect(find(r.value.rows, 'sample_spec-input')).toBeUndefined();
  });

  it('prices gpt-4o as in the raw file, per 1M tokens', async () => {
    // lines 28–36 of the file: "gpt-4o": { … "input_cost_per_token": 0.0000025,
    // "output_cost_per_token": 0.000010, "cache_read_input_token_cost": 0.00000125,
    // "litellm_provider": "openai", "mode": "chat" …
    const r = await parsePriceSheet(readFileSync(FILE_2024), { fileName: 'litellm.json' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const { rows, lines } = r.value;
    expect(find(rows, 'gpt-4o-input')).toEqual({
      ProviderName: 'openai',
      SkuId: 'gpt-4o-input',
      PricingUnit: '1M tokens',
      ListUnitPrice: '2.5',
      PricingCurrency: 'USD',
      ServiceCategory: 'AI and Machine Learning',
      Description: 'chat',
      x_Source: LITELLM_SOURCE,
    });
    expect(find(rows, 'gpt-4o-output')?.ListUnitPrice).toBe('10');
    expect(find(rows, 'gpt-4o-cached-input')?.ListUnitPrice).toBe('1.25');
    expect(lines[rows.findIndex((x) => x.SkuId === 'gpt-4o-input')]).toBe(28);
    // line 539: "text-embedding-3-small": input 0.00000002, output 0.000000
    expect(find(rows, 'text-embedding-3-small-input')?.ListUnitPrice).toBe('0.02');
    expect(find(rows, 'text-embedding-3-small-output')?.ListUnitPrice).toBe('0');
    expect(find(rows, 'text-embedding-3-small-input')?.Description).toBe('embedding');
  });
});

describe('the LiteLLM catalogue of 2026-07-24', () => {
  it('parses despite tiered pricing, object-valued costs and top-level entries that are not models', async () => {
    const r = await parsePriceSheet(readFileSync(FILE_2026), { fileName: 'litellm.json' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rows).toHaveLength(5727);
    expect(r.value.skipped).toBe(464);
    expect(r.value.notes).toContain("prices as of 2026-07-24 (the catalogue's last_updated)");
    // line 22301: "gpt-4o": { "cache_read_input_token_cost": 1.25e-06, …
    // "input_cost_per_token": 2.5e-06, … "output_cost_per_token": 1e-05
    const rows = r.value.rows;
    expect(find(rows, 'gpt-4o-input')).toMatchObject({
      ListUnitPrice: '2.5',
      x_AsOf: '2026-07-24',
    });
    expect(find(rows, 'gpt-4o-output')?.ListUnitPrice).toBe('10');
    expect(find(rows, 'gpt-4o-cached-input')?.ListUnitPrice).toBe('1.25');
    expect(r.value.lines[rows.findIndex((x) => x.SkuId === 'gpt-4o-input')]).toBe(22301);
  });

  it('keeps only the provider asked for, whatever its case', async () => {
    const r = await parsePriceSheet(readFileSync(FILE_2026), {
      fileName: 'litellm.json',
      provider: 'OpenAI',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.rows).toHaveLength(390);
    expect(new Set(r.value.rows.map((x) => x.ProviderName))).toEqual(new Set(['openai']));
    expect(r.value.skipped).toBe(464);
  });

  it('refuses a provider the catalogue does not have, naming some it has', async () => {
    const r = await parsePriceSheet(readFileSync(FILE_2026), {
      fileName: 'litellm.json',
      provider: 'Atlas Cloud Morocco',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ field: 'ProviderName', value: 'Atlas Cloud Morocco' });
    expect(r.issues[0]?.message).toContain('"openai"');
  });
});

describe('odd catalogue entries', () => {
  it('are skipped and counted, never fatal', async () => {
    const catalogue = {
      sample_spec: { input_cost_per_token: 0, litellm_provider: 'one of …', mode: 'one of …' },
      good: {
        litellm_provider: 'acme',
        mode: 'chat',
        input_cost_per_token: 1e-6,
        output_cost_per_token: 0.000002,
      },
      'output-only': { litellm_provider: 'acme', output_cost_per_token: 3e-6 },
      'object-cost': { litellm_provider: 'acme', input_cost_per_token: { low: 1e-6 } },
      'string-cost': { litellm_provider: 'acme', input_cost_per_token: '0.000001' },
      negative: { litellm_provider: 'acme', input_cost_per_token: -1e-6 },
      tiered: {
        litellm_provider: 'acme',
        tiered_pricing: [{ input_cost_per_token: 1e-6, range: [0, 1000] }],
      },
      'per-second-only': { litellm_provider: 'acme', input_cost_per_second: 0.0001 },
      'no-provider': { input_cost_per_token: 1e-6 },
      'not-an-object': 42,
      last_updated: '2026-01-02T03:04:05Z',
    };
    const r = await parsePriceSheet(new TextEncoder().encode(JSON.stringify(catalogue, null, 2)), {
      fileName: 'catalogue.json',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rows.map((x) => [x.SkuId, x.ListUnitPrice])).toEqual([
      ['good-input', '1'],
      ['good-output', '2'],
      ['output-only-output', '3'],
    ]);
    // sample_spec, object-cost, string-cost, negative, tiered, per-second-only, no-provider,
    // not-an-object, last_updated
    expect(r.value.skipped).toBe(9);
    expect(r.value.rows[2]).not.toHaveProperty('Description');
    expect(r.value.rows[0]?.x_AsOf).toBe('2026-01-02');
  });
});

describe('skipped catalogue entries are named with why (issue 13)', () => {
  const entry = (cost: unknown) => ({ litellm_provider: 'acme', input_cost_per_token: cost });
  const catalogue = (entries: Record<string, unknown>) =>
    // 1e999 is valid JSON that reads as Infinity.
    new TextEncoder().encode(JSON.stringify(entries).replace('"INF"', '1e999'));

  it('names each skipped entry and why in the note', async () => {
    const r = await parsePriceSheet(
      catalogue({
        good: entry(0.000001),
        neg: entry(-0.5),
        text: entry('free'),
        inf: entry('INF'),
        image: { litellm_provider: 'acme', output_cost_per_image: 0.04 },
      }),
      { fileName: 'c.json' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.skipped).toBe(4);
    expect(r.value.notes).toContain(
      'skipped 4 catalogue entries that are not models or have no flat per-token price: "neg" input_cost_per_token is negative (-0.5); "text" input_cost_per_token is not a number ("free"); "inf" input_cost_per_token is not a finite number; "image" has no per-token price',
    );
  });

  it('refuses a catalogue whose only entries are bad, saying which and why', async () => {
    const r = await parsePriceSheet(catalogue({ neg: entry(-1), text: entry('x') }), {
      fileName: 'c.json',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.row, i.field, i.message])).toEqual([
      [1, 'neg', 'catalogue entry "neg" input_cost_per_token is negative (-1)'],
      [1, 'text', 'catalogue entry "text" input_cost_per_token is not a number ("x")'],
    ]);
  });

  it('names the first 1 000 skipped entries and counts the rest, in the note and in the 422', async () => {
    const bad = Object.fromEntries(
      Array.from({ length: 1005 }, (_, i) => [`bad-${i}`, entry(-1)] as const),
    );
    const withGood = await parsePriceSheet(catalogue({ good: entry(0.000001), ...bad }), {
      fileName: 'c.json',
    });
    expect(withGood.ok).toBe(true);
    if (!withGood.ok) return;
    expect(withGood.value.skipped).toBe(1005);
    const note = withGood.value.notes.find((n) => n.startsWith('skipped 1005 '))!;
    expect(note).toContain('"bad-999" input_cost_per_token is negative (-1)');
    expect(note).not.toContain('"bad-1000"');
    // 1005 skipped, 1000 named: 5 more.
    expect(note).toMatch(/; … and 5 more$/);

    const onlyBad = await parsePriceSheet(catalogue(bad), { fileName: 'c.json' });
    expect(onlyBad.ok).toBe(false);
    if (onlyBad.ok) return;
    // 1000 issues listed, then one saying how many more: 1005 in all.
    expect(onlyBad.issues).toHaveLength(1001);
    expect(onlyBad.issues[999]).toMatchObject({ field: 'bad-999' });
    expect(onlyBad.issues[1000]!.message).toBe('… and 5 more problems');
  });
});
