import { parseArgs } from 'node:util';
import { parseQuarter } from '../../models/quarters.ts';
import { describeDatabase, loadConfig } from '../config.ts';
import { migrate, openStore } from '../db/index.ts';
import { LockedError } from '../db/lock.ts';
import { buildApp } from '../http/app.ts';
import type { QuarterClose } from '../services/quarters/close.ts';
import { cliAmount } from './summary.ts';

export const QUARTER_CLOSE_USAGE = `  npm run costcast -- quarter-close --quarter 2027-Q2 [--json] [--locale en|fr]

  What is left to close a quarter, read from the configured database (DATABASE_URL, else
  the embedded one under DATA_DIR; stop a server that holds the embedded one first):
  providers in use without a price sheet of the quarter accepted in review, stale sheets,
  forecasts waiting for review, and the variance of the quarter's approved forecast against
  the previous quarter's. Exit 0 when nothing is left, 1 when something is, 2 on bad input.`;

export class QuarterCloseUsageError extends Error {}

type Locale = 'en' | 'fr';

const WORDS = {
  en: {
    title: (q: string) => `Quarter close ${q}`,
    ready: 'Nothing left: the quarter can be closed.',
    notReady: 'Left to do:',
    approved: (name: string, id: string) => `Approved forecast: ${name} (${id})`,
    noApproved: 'No approved forecast for the quarter yet.',
    noSheet: (p: string, n: number) =>
      `${p}: no price sheet of the quarter lists it (used by ${n} forecast${n === 1 ? '' : 's'})`,
    unreviewed: (p: string, sheets: string) =>
      `${p}: no sheet of the quarter accepted in review (${sheets})`,
    stale: (name: string, q: string | null, age: number | null) =>
      `stale price sheet ${name} (as of ${q ?? '?'}, ${age ?? '?'} quarters old)`,
    waiting: (name: string, id: string, by: string | null) =>
      `waiting for review: ${name} (${id}${by ? `, submitted by ${by}` : ''})`,
    draft: (name: string, id: string) => `draft, not submitted: ${name} (${id})`,
    variance: (against: string, q: string) => `Variance against ${against} (${q}):`,
    noVariance: {
      no_approved: 'No variance: the quarter has no approved forecast yet.',
      no_previous: 'No variance: the previous quarter has no approved forecast to compare with.',
      unfit:
        'No variance: the two forecasts cannot be bridged (see GET /v1/forecasts/:id/variance).',
    },
    effects: {
      removed: 'removed workloads',
      horizon: 'horizon',
      volume: 'volume',
      price: 'price',
      fx: 'FX',
      scenario: 'scenario parameters',
      new: 'new workloads',
    },
    from: 'from',
    to: 'to',
  },
  fr: {
    title: (q: string) => `Clôture du trimestre ${q}`,
    ready: 'Plus rien à faire : le trimestre peut être clôturé.',
    notReady: 'Reste à faire :',
    approved: (name: string, id: string) => `Prévision approuvée : ${name} (${id})`,
    noApproved: "Aucune prévision approuvée pour le trimestre pour l'instant.",
    noSheet: (p: string, n: number) =>
      `${p} : aucune grille tarifaire du trimestre ne le liste (utilisé par ${n} prévision${n === 1 ? '' : 's'})`,
    unreviewed: (p: string, sheets: string) =>
      `${p} : aucune grille du trimestre acceptée en revue (${sheets})`,
    stale: (name: string, q: string | null, age: number | null) =>
      `grille tarifaire périmée ${name} (au ${q ?? '?'}, ${age ?? '?'} trimestres)`,
    waiting: (name: string, id: string, by: string | null) =>
      `en attente de revue : ${name} (${id}${by ? `, soumise par ${by}` : ''})`,
    draft: (name: string, id: string) => `brouillon non soumis : ${name} (${id})`,
    variance: (against: string, q: string) => `Écart par rapport à ${against} (${q}) :`,
    noVariance: {
      no_approved: "Pas d'écart : le trimestre n'a pas encore de prévision approuvée.",
      no_previous:
        "Pas d'écart : le trimestre précédent n'a pas de prévision approuvée à comparer.",
      unfit:
        'Pas d’écart : les deux prévisions ne peuvent pas être rapprochées (voir GET /v1/forecasts/:id/variance).',
    },
    effects: {
      removed: 'charges retirées',
      horizon: 'horizon',
      volume: 'volume',
      price: 'prix',
      fx: 'change',
      scenario: 'paramètres de scénario',
      new: 'nouvelles charges',
    },
    from: 'de',
    to: 'à',
  },
} as const;

/** An amount as the CLI's summary writes it, a minus sign as −. */
const amount = (text: string, currency: string, locale: Locale) =>
  cliAmount(text, currency, locale).replace(/^-/, '−');

const signed = (text: string, currency: string, locale: Locale) =>
  (text.startsWith('-') ? '' : '+') + amount(text, currency, locale);

/** The quarter close as text lines, in `locale`. */
export function quarterCloseLines(c: QuarterClose, locale: Locale): string[] {
  const w = WORDS[locale];
  const colon = locale === 'fr' ? ' : ' : ': ';
  const lines = [w.title(c.quarter), ''];
  lines.push(c.approved ? w.approved(c.approved.name, c.approved.id) : w.noApproved);
  lines.push('', c.ready ? w.ready : w.notReady);
  for (const p of c.providers)
    lines.push(
      `  - ${
        p.problem === 'no_sheet'
          ? w.noSheet(p.provider, p.forecasts.length)
          : w.unreviewed(p.provider, p.sheets.map((s) => `${s.fileName}: ${s.review}`).join('; '))
      }`,
    );
  for (const s of c.staleSheets) lines.push(`  - ${w.stale(s.name, s.asOfQuarter, s.ageQuarters)}`);
  for (const f of c.awaitingReview) lines.push(`  - ${w.waiting(f.name, f.id, f.submittedBy)}`);
  for (const f of c.drafts) lines.push(`  - ${w.draft(f.name, f.id)}`);
  lines.push('');
  const v = c.variance;
  if (!v.available) lines.push(w.noVariance[v.reason]);
  else {
    lines.push(w.variance(v.against.name, v.against.quarter));
    for (const s of v.scenarios) {
      lines.push(
        `  ${s.name}${colon}${w.from} ${amount(s.old, v.currency, locale)} ${w.to} ${amount(s.new, v.currency, locale)} (${signed(s.change, v.currency, locale)})`,
      );
      for (const e of v.effects)
        if (s.effects[e] !== '0.00')
          lines.push(`      ${w.effects[e]}${colon}${signed(s.effects[e], v.currency, locale)}`);
    }
  }
  return lines;
}

/** `quarter-close --quarter Q [--json] [--locale en|fr]`. */
export async function quarterCloseCommand(argv: string[], envLocale: Locale): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quarter: { type: 'string' },
      json: { type: 'boolean' },
      locale: { type: 'string' },
    },
  });
  const quarter = values.quarter?.trim() ?? '';
  if (!parseQuarter(quarter))
    throw new QuarterCloseUsageError(
      `--quarter must be a quarter such as 2027-Q2 (got "${values.quarter ?? ''}")`,
    );
  const locale: Locale =
    values.locale === 'fr' || values.locale === 'en' ? values.locale : envLocale;
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
    const app = await buildApp({ config: { ...config, logLevel: 'silent' }, store });
    try {
      const close = await app.quarterClose(quarter);
      if (values.json) process.stdout.write(`${JSON.stringify(close, null, 2)}\n`);
      else {
        process.stderr.write(`costcast: ${describeDatabase(config.database)}\n`);
        process.stdout.write(`${quarterCloseLines(close, locale).join('\n')}\n`);
      }
      return close.ready ? 0 : 1;
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}
