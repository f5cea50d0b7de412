import { parseArgs } from 'node:util';
import { quarterLabel } from '../../models/fields.ts';
import { describeDatabase, loadConfig } from '../config.ts';
import { migrate, openStore } from '../db/index.ts';
import { LockedError } from '../db/lock.ts';
import { localeFromEnv } from '../http/messages.ts';
import { priceSheetsService, type SheetSummary } from '../services/price-sheets/index.ts';

export const SHEETS_USAGE = `  npm run costcast -- sheets [--provider NAME] [--quarter 2026-Q3] [--locale en|fr]
      Lists the price-sheet versions in the database of DATA_DIR (or DATABASE_URL), newest
      first: quarter, kind, age and staleness, and review (accepted, REFUSED or not reviewed).
      With the embedded database, stop the server first (or use GET /v1/price-sheets).`;

export class SheetsUsageError extends Error {}

const WORDS = {
  en: {
    none: 'no price-sheet versions',
    age: (n: number) => `${n} quarter${n === 1 ? '' : 's'} old`,
    stale: 'STALE',
    unreviewed: 'not reviewed',
    accepted: (by: string, on: string) => `accepted by ${by} on ${on}`,
    refused: (by: string, on: string) => `REFUSED by ${by} on ${on}`,
    colon: ': ',
  },
  fr: {
    none: 'aucune version de grille tarifaire',
    age: (n: number) => `${n} trimestre${n > 1 ? 's' : ''} d’âge`,
    stale: 'PÉRIMÉE',
    unreviewed: 'non revue',
    accepted: (by: string, on: string) => `acceptée par ${by} le ${on}`,
    refused: (by: string, on: string) => `REFUSÉE par ${by} le ${on}`,
    colon: ' : ',
  },
} as const;

/**
 * One line per version: quarter, kind, file and id, providers, age (and STALE), review.
 * @example sheetLines([q3], 'en')
 * //=> ["2026-Q3  provider  openai.csv (0b7…)  OpenAI  1 quarter old  accepted by Salma on 2026-12-01: checked"]
 */
export function sheetLines(items: readonly SheetSummary[], locale: 'en' | 'fr'): string[] {
  const W = WORDS[locale];
  if (items.length === 0) return [W.none];
  return items.map((s) => {
    const r = s.review;
    const review = !r
      ? W.unreviewed
      : `${W[r.status](r.by, r.at.slice(0, 10))}${r.note ? `${W.colon}${r.note.replace(/\s+/g, ' ')}` : ''}`;
    return [
      s.quarter,
      s.kind,
      `${s.fileName} (${s.id})`,
      s.providers.join(', '),
      `${W.age(s.ageQuarters)}${s.stale ? ` ${W.stale}` : ''}`,
      review,
    ].join('  ');
  });
}

/** `sheets [--provider P] [--quarter Q]`: the versions stored, newest first, with their review. */
export async function sheetsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      provider: { type: 'string' },
      quarter: { type: 'string' },
      locale: { type: 'string' },
    },
  });
  if (values.quarter !== undefined && !quarterLabel.safeParse(values.quarter).success)
    throw new SheetsUsageError(
      `--quarter must be a quarter like 2026-Q3 (got "${values.quarter}")`,
    );
  if (values.locale !== undefined && values.locale !== 'en' && values.locale !== 'fr')
    throw new SheetsUsageError('--locale must be en or fr');
  const locale = values.locale ?? localeFromEnv(process.env);
  const config = loadConfig();
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(config.database);
  } catch (e) {
    if (!(e instanceof LockedError)) throw e;
    process.stderr.write(`costcast: ${e.message}\n`);
    return 2;
  }
  try {
    await migrate(store.db);
    const sheets = priceSheetsService(store.db, { staleAfterQuarters: config.staleAfterQuarters });
    const items: SheetSummary[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await sheets.list({
        provider: values.provider,
        quarter: values.quarter,
        limit: 500,
        offset,
      });
      items.push(...page.items);
      if (items.length >= page.total || page.items.length === 0) break;
    }
    process.stderr.write(`costcast: price sheets in ${describeDatabase(config.database)}\n`);
    process.stdout.write(`${sheetLines(items, locale).join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
