import { describe, expect, it } from 'vitest';
import { assumptionsSchema } from '../../../models/assumptions.ts';
import { parsePriceSheet } from '../../../server/ingest/index.ts';
import { tinyAssumptions } from '../../models/tiny.ts';

const HEADER = 'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency';
const utf8 = (text: string) => new TextEncoder().encode(text);
// "Café" with a combining acute accent (NFD, as macOS writes it) and precomposed (NFC).
const NFD = 'Cafe\u0301 Cloud';
const NFC = 'Caf\u00e9 Cloud';

describe('provider names in Unicode NFC (issue 13)', () => {
  it('stores a decomposed provider name composed, on every path', async () => {
    expect(NFD).not.toBe(NFC);
    const csv = await parsePriceSheet(utf8(`${HEADER}\n${NFD},s,GB,1,USD\n`), {
      fileName: 'p.csv',
    });
    const json = await parsePriceSheet(
      utf8(
        JSON.stringify([
          {
            ProviderName: NFD,
            SkuId: 's',
            PricingUnit: 'GB',
            ListUnitPrice: '1',
            PricingCurrency: 'USD',
          },
        ]),
      ),
      { fileName: 'p.json' },
    );
    const filled = await parsePriceSheet(
      utf8('SkuId,PricingUnit,ListUnitPrice,PricingCurrency\ns,GB,1,USD\n'),
      {
        fileName: 'p.csv',
        provider: NFD,
      },
    );
    for (const r of [csv, json, filled]) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.rows[0]?.ProviderName).toBe(NFC);
    }
  });

  it('composes the names of the assumptions, so they match the sheets', () => {
    const a = JSON.parse(JSON.stringify(tinyAssumptions()));
    a.providers[0].name = NFD;
    a.workloads[0].provider = NFD;
    const parsed = assumptionsSchema.parse(a);
    expect(parsed.providers[0]?.name).toBe(NFC);
    expect(parsed.workloads[0]?.provider).toBe(NFC);
  });
});
