// The CFO page's own words (the variance bridge, concentration and quarter-close checklist), in
// English and French, and shares as percentages in the reader's locale. Kept apart from
// i18n.ts so the pages' strings grow without touching each other.
import type { Locale } from './i18n.ts';

const en = {
  supersedes:
    'This approval supersedes {count} earlier approved forecast(s) of the quarter: {names}.',
  bridgeTitle: 'Since last quarter: the variance bridge',
  bridgeAgainst: 'From {name} ({quarter}) to this forecast, in {currency}.',
  bridgeNone: 'No bridge: {message}',
  bridgeNoPrevious:
    'No bridge against last quarter: {quarter} has no approved forecast to compare with.',
  bridgeScenario: 'Scenario shown in the chart',
  bridgeChart: 'Waterfall from {old} to {new} for {scenario}',
  bridgeTable: 'The bridge of every scenario',
  step: 'Step',
  oldTotal: 'Last quarter’s total',
  newTotal: 'This quarter’s total',
  change: 'Change',
  'effect.removed': 'Removed workloads',
  'effect.horizon': 'Horizon and start',
  'effect.volume': 'Volume',
  'effect.price': 'Price',
  'effect.fx': 'Exchange rates',
  'effect.scenario': 'Scenario parameters',
  'effect.new': 'New workloads',
  downloadChangesEn: 'With changes since last quarter, English (.xlsx)',
  downloadChangesFr: 'With changes since last quarter, French (.xlsx)',
  concentrationTitle: 'Concentration',
  concentrationIntro:
    'Share of the total cost of each scenario; HHI is the Herfindahl–Hirschman index (0 to 10,000).',
  provider: 'Provider',
  jurisdiction: 'Jurisdiction',
  hhi: 'HHI',
  checklistTitle: 'Prices and the quarter close',
  sheetsTitle: 'Price sheets this forecast used',
  sheet: 'Sheet',
  asOf: 'As of',
  age: 'Age (quarters)',
  freshness: 'Freshness',
  review: 'Review',
  stale: 'stale',
  fresh: 'fresh',
  unknown: 'unknown',
  'review.accepted': 'accepted by {by}',
  'review.refused': 'refused by {by}',
  'review.unreviewed': 'not reviewed',
  flagged: '{count} sheet(s) stale or not accepted: their prices are flagged.',
  noneFlagged: 'Every sheet is fresh and accepted.',
  closeTitle: 'Quarter close of {quarter}',
  closeReady: 'Ready: nothing is left to close the quarter.',
  closeNotReady: 'Not ready: some work is left.',
  closeProviderNoSheet: '{provider}: no price sheet for the quarter',
  closeProviderUnreviewed: '{provider}: no accepted price sheet for the quarter',
  closeStale: 'Stale sheets in use: {count}',
  closeAwaiting: 'Forecasts waiting for review: {count}',
  closeDrafts: 'Drafts not yet submitted: {count}',
  closeAllProviders: 'Every provider in use has an accepted sheet',
  done: 'done',
  left: 'left',
} as const;

export type CfoKey = keyof typeof en;

const fr: Record<CfoKey, string> = {
  supersedes:
    'Cette approbation remplace {count} prévision(s) approuvée(s) plus tôt pour ce trimestre : {names}.',
  bridgeTitle: 'Depuis le trimestre dernier : le pont des écarts',
  bridgeAgainst: 'De {name} ({quarter}) à cette prévision, en {currency}.',
  bridgeNone: 'Pas de pont : {message}',
  bridgeNoPrevious:
    'Pas de pont avec le trimestre dernier : {quarter} n’a pas de prévision approuvée à comparer.',
  bridgeScenario: 'Scénario du graphique',
  bridgeChart: 'Cascade de {old} à {new} pour {scenario}',
  bridgeTable: 'Le pont de chaque scénario',
  step: 'Étape',
  oldTotal: 'Total du trimestre dernier',
  newTotal: 'Total de ce trimestre',
  change: 'Écart',
  'effect.removed': 'Charges retirées',
  'effect.horizon': 'Horizon et début',
  'effect.volume': 'Volume',
  'effect.price': 'Prix',
  'effect.fx': 'Taux de change',
  'effect.scenario': 'Paramètres du scénario',
  'effect.new': 'Nouvelles charges',
  downloadChangesEn: 'Avec les changements depuis le trimestre dernier, en anglais (.xlsx)',
  downloadChangesFr: 'Avec les changements depuis le trimestre dernier, en français (.xlsx)',
  concentrationTitle: 'Concentration',
  concentrationIntro:
    'Part du coût total de chaque scénario ; l’IHH est l’indice de Herfindahl-Hirschman (de 0 à 10 000).',
  provider: 'Fournisseur',
  jurisdiction: 'Juridiction',
  hhi: 'IHH',
  checklistTitle: 'Les prix et la clôture du trimestre',
  sheetsTitle: 'Les grilles tarifaires de cette prévision',
  sheet: 'Grille',
  asOf: 'En date de',
  age: 'Âge (trimestres)',
  freshness: 'Fraîcheur',
  review: 'Relecture',
  stale: 'périmée',
  fresh: 'à jour',
  unknown: 'inconnue',
  'review.accepted': 'acceptée par {by}',
  'review.refused': 'refusée par {by}',
  'review.unreviewed': 'non relue',
  flagged: '{count} grille(s) périmée(s) ou non acceptée(s) : leurs prix sont signalés.',
  noneFlagged: 'Toutes les grilles sont à jour et acceptées.',
  closeTitle: 'Clôture du trimestre {quarter}',
  closeReady: 'Prêt : plus rien à faire pour clore le trimestre.',
  closeNotReady: 'Pas prêt : il reste du travail.',
  closeProviderNoSheet: '{provider} : aucune grille tarifaire pour le trimestre',
  closeProviderUnreviewed: '{provider} : aucune grille tarifaire acceptée pour le trimestre',
  closeStale: 'Grilles périmées utilisées : {count}',
  closeAwaiting: 'Prévisions en attente de relecture : {count}',
  closeDrafts: 'Brouillons non soumis : {count}',
  closeAllProviders: 'Chaque fournisseur utilisé a une grille acceptée',
  done: 'fait',
  left: 'à faire',
};

const MESSAGES: Record<Locale, Record<CfoKey, string>> = { en, fr };

/** A CFO-page message in `locale`, its `{name}` placeholders filled. */
export function tc(
  locale: Locale,
  key: CfoKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

/** An effect's name, or its id for one this page does not know yet. */
export const effectName = (locale: Locale, id: string): string =>
  `effect.${id}` in en ? tc(locale, `effect.${id}` as CfoKey) : id;

const TAGS: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };
const shares = new Map<Locale, Intl.NumberFormat>();

/**
 * A share from the API (a decimal string, 0 to 1) as a percentage with one decimal, formatted
 * exactly by Intl (no float on the way).
 * @example share('fr', '0.412345') //=> "41,2 %"
 */
export function share(locale: Locale, value: string): string {
  let f = shares.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(TAGS[locale], {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    shares.set(locale, f);
  }
  return f.format(value as unknown as number);
}

/** An index (HHI, a decimal string) with two decimals in the locale. */
export const decimal2 = (locale: Locale, value: string): string =>
  new Intl.NumberFormat(TAGS[locale], {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value as unknown as number);
