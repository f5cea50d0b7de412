import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeStoredProviderNames } from '../../server/db/provider-names.ts';
import { backends, bearer, buildTestApp, type TestApp } from './helper.ts';

/**
 * Migration 0004 (issue 13): provider names stored before uploads and assumption sets were
 * normalised get the form they would get today (trimmed, NFC). The stored "before" is made by
 * rewriting what the service stores now, as an older version stored it.
 */

const NFC = 'Caf\u00e9 Cloud';
const NFD = 'Cafe\u0301 Cloud';
const HIDDEN = 'Open\u200bAI';

/** One workload of 10 GB a quarter on Café Cloud's c-1, 4 quarters, no growth or decline. */
const assumptions = (provider: string) => ({
  name: 'Caf\u00e9 model',
  startQuarter: '2027-Q1',
  horizonQuarters: 4,
  reportingCurrency: 'USD',
  providers: [{ name: provider, jurisdiction: 'FR' }],
  workloads: [
    {
      id: 'w',
      name: 'W',
      category: 'other',
      provider,
      skuId: 'c-1',
      unit: 'GB',
      baseQuantity: '10',
      growthPerQuarter: '0',
      efficiency: '0',
    },
  ],
});

describe.each(backends)('provider names stored before NFC, on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ backend });
  });
  afterAll(() => t?.close());

  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: bearer(t.keys.admin),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('are normalised in rows, version lists and assumption sets; hidden ones left and listed', async () => {
    const up = await t.app.inject({
      method: 'POST',
      url: '/v1/price-sheets?quarter=2026-Q3',
      headers: { ...bearer(t.keys.admin), 'content-type': 'text/csv' },
      payload: `ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\n${NFC},c-1,GB,2,USD\n`,
    });
    expect(up.statusCode, up.body).toBe(201);
    const sheetId = up.json().id as string;
    const set = await api('POST', '/v1/assumptions', assumptions(NFC));
    expect(set.statusCode, set.body).toBe(201);
    const setId = set.json().id as string;

    // As an older version stored them: decomposed é; a name with a zero-width space (now
    // refused at upload) in a second version; an assumption set listing both spellings.
    await sql`UPDATE price_row_blocks SET rows = replace(rows, ${NFC}, ${NFD}) WHERE sheet_id = ${sheetId}`.execute(
      t.store.db,
    );
    await sql`UPDATE price_sheets SET providers = ${[NFD]} WHERE id = ${sheetId}`.execute(
      t.store.db,
    );
    await sql`UPDATE assumption_sets SET body = replace(body::text, ${NFC}, ${NFD})::json WHERE id = ${setId}`.execute(
      t.store.db,
    );
    const hiddenId = randomUUID();
    await sql`
      INSERT INTO price_sheets (id, quarter, file_name, format, sha256, byte_size, providers,
        row_count, skipped, notes, uploaded_by)
      VALUES (${hiddenId}, '2026-Q3', 'h.csv', 'csv', ${'0'.repeat(64)}, 1, ${[HIDDEN]}, 1, 0,
        ${[]}, 'test')`.execute(t.store.db);
    await sql`
      INSERT INTO price_row_blocks (sheet_id, first_idx, row_count, rows)
      VALUES (${hiddenId}, 0, 1, ${JSON.stringify([[2, HIDDEN, 'h-1', 'GB', '1', 'USD', null, null, null, null, null, null, null, null]])})`.execute(
      t.store.db,
    );
    const twiceId = randomUUID();
    const twice = {
      ...assumptions(NFD),
      providers: [
        { name: NFD, jurisdiction: 'FR' },
        { name: NFC, jurisdiction: 'US' },
      ],
    };
    await sql`
      INSERT INTO assumption_sets (id, name, version, body, created_by)
      VALUES (${twiceId}, 'twice', 1, ${JSON.stringify(twice)}::json, 'test')`.execute(t.store.db);

    // Before: the decomposed sheet is not found by the composed name.
    const listed = (
      await api('GET', `/v1/price-sheets?provider=${encodeURIComponent(NFC)}`)
    ).json();
    expect(listed.items).toEqual([]);
    const whatIf = () =>
      api('POST', '/v1/what-if', { assumptions: assumptions(NFC), asOf: '2026-Q3' });
    expect((await whatIf()).statusCode).toBeGreaterThanOrEqual(400);

    const report = await normalizeStoredProviderNames(t.store.db as never);
    // One block and one version list changed; the second assumption set was left.
    expect(report).toEqual({
      sheets: 1,
      blocks: 1,
      assumptionSets: 1,
      leftAsStored: [
        `sheet ${hiddenId}: "Open\\u200BAI"`,
        `assumption set ${twiceId}: its provider list would name one provider twice`,
      ],
    });

    const rows = (await api('GET', `/v1/price-sheets/${sheetId}`)).json().rows;
    expect(rows.map((r: { ProviderName: string }) => r.ProviderName)).toEqual([NFC]);
    const sheet = await t.store.db
      .selectFrom('price_sheets')
      .select('providers')
      .where('id', 'in', [sheetId, hiddenId])
      .orderBy('file_name')
      .execute();
    expect(sheet.map((s) => s.providers)).toEqual([[HIDDEN], [NFC]]);
    const body = (await api('GET', `/v1/assumptions/${setId}`)).json().assumptions;
    expect([body.providers[0].name, body.workloads[0].provider]).toEqual([NFC, NFC]);
    // Read from the table: this one (stored before names were composed) lists one provider
    // twice once they are; the API serves it as stored, with warnings (stored-documents.test).
    const left = (
      await t.store.db
        .selectFrom('assumption_sets')
        .select('body')
        .where('id', '=', twiceId)
        .executeTakeFirstOrThrow()
    ).body as { providers: { name: string }[] };
    expect(left.providers.map((p: { name: string }) => p.name)).toEqual([NFD, NFC]);

    // After: found by its name, and priced: 10 GB × 2 USD × 4 quarters = 80.00 USD on time.
    const found = (await api('GET', `/v1/price-sheets?provider=${encodeURIComponent(NFC)}`)).json();
    expect(found.items.map((i: { id: string }) => i.id)).toEqual([sheetId]);
    const r = await whatIf();
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().scenarios.find((s: { id: string }) => s.id === 'on-time').total).toBe('80.00');

    // Run again, it changes nothing.
    expect(await normalizeStoredProviderNames(t.store.db as never)).toMatchObject({
      sheets: 0,
      blocks: 0,
      assumptionSets: 0,
    });
  });

  it('a forecast pinned with a decomposed name still finds its rows once they are composed', async () => {
    const up = await t.app.inject({
      method: 'POST',
      url: '/v1/price-sheets?quarter=2026-Q4',
      headers: { ...bearer(t.keys.admin), 'content-type': 'text/csv' },
      payload: `ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\n${NFC},c-1,GB,3,USD\nOther,o-1,GB,1,USD\n`,
    });
    expect(up.statusCode, up.body).toBe(201);
    const f = await api('POST', '/v1/forecasts', {
      assumptions: assumptions(NFC),
      priceSheetIds: [up.json().id],
      draws: 0,
    });
    expect(f.statusCode, f.body).toBe(201);
    const id = f.json().id as string;
    // As pinned by an older version: decomposed names in its inputs and its sources.
    await sql`
      UPDATE forecasts SET assumptions = replace(assumptions::text, ${NFC}, ${NFD})::json,
        result = replace(result::text, ${NFC}, ${NFD})::json,
        price_sources = ${JSON.stringify([{ sheetId: up.json().id, providers: [NFD] }])}::json
      WHERE id = ${id}`.execute(t.store.db);
    const book = await api('GET', `/v1/forecasts/${id}/workbook`);
    expect(book.statusCode, book.body.slice(0, 300)).toBe(200);
  });
});
