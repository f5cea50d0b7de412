// The assumptions editor's words in English and French (web/src/pages/AssumptionsEditor.tsx),
// kept apart from the other pages' so that pages grow in parallel; `{name}` placeholders.
import type { Locale } from '../i18n.ts';

const en = {
  heading: 'Assumption set',
  intro:
    'Build or edit an assumption set in a form. Pick each workload’s SKU from the prices as of {quarter}: the unit and category are filled from the price sheet, and a unit that differs from the SKU’s is flagged. Numbers as you write them: 0.05 or 0,05.',
  newSet: 'New assumption set',
  editSet: 'Edit the selected set',
  close: 'Close the editor',
  loadingSet: 'Loading the set…',
  general: 'The set',
  name: 'Name',
  startQuarter: 'Start quarter',
  startQuarterHint: 'e.g. 2027-Q1 or Q1 2027',
  horizon: 'Horizon (quarters)',
  fyStart: 'Fiscal year starts in',
  currency: 'Reporting currency',
  currencyHint: 'three letters, e.g. MAD',
  fx: 'Exchange rates',
  fxNote: 'Units of the reporting currency for one unit of each price currency.',
  fxCurrency: 'Currency',
  fxRate: 'Rate',
  addFx: 'Add an exchange rate',
  removeFx: 'Remove the rate of {currency}',
  budget: 'Budget per fiscal year',
  budgetYear: 'Fiscal year',
  budgetYearHint: 'e.g. FY2027',
  budgetAmount: 'Amount',
  addBudget: 'Add a fiscal year’s budget',
  removeBudget: 'Remove the budget of {year}',
  providers: 'Providers',
  providersNote: 'Picking a SKU adds its provider here; say where each is governed from.',
  providerName: 'Provider',
  jurisdiction: 'Jurisdiction',
  jurisdictionHint: 'e.g. US, FR',
  addProvider: 'Add a provider',
  removeProvider: 'Remove provider {name}',
  workloads: 'Workloads',
  workloadsCaption: 'Workloads: one row each',
  col: 'No.',
  id: 'Id',
  wname: 'Name',
  idAndName: 'Id, then name',
  category: 'Category',
  sku: 'SKU',
  unit: 'Unit',
  baseQuantity: 'Base quantity',
  growth: 'Growth per quarter',
  efficiency: 'Efficiency',
  fallback: 'Fallback SKU',
  actions: 'Actions',
  rowLabel: '{column}, workload {n}',
  addWorkload: 'Add a workload',
  removeWorkload: 'Remove workload {n}',
  pickHint: 'Type to search the SKUs; arrows then Enter to pick.',
  noMatch: 'No SKU matches.',
  searching: 'Searching…',
  moreMatches: '{shown} of {total} shown: type more to narrow.',
  ambiguousMatches:
    'Not listed: {n} matching SKU(s) with two prices of one kind in these sheets, which price nothing until Finance removes one.',
  picked: '{provider}, {unit}, {price} {currency}',
  pickedRegion: '{provider}, {region}, {unit}, {price} {currency}',
  noSku: 'no SKU picked',
  noFallback: 'none',
  unitMismatch: 'The SKU is priced per “{skuUnit}”, not “{unit}”.',
  fallbackUnitMismatch: 'The fallback SKU is priced per “{skuUnit}”, not “{unit}”.',
  unknownSku: 'Not among the prices as of {quarter}.',
  'cat.llm-inference': 'LLM inference',
  'cat.gpu-compute': 'GPU compute',
  'cat.storage': 'storage',
  'cat.network': 'network',
  'cat.other': 'other',
  save: 'Save the assumption set',
  saving: 'Saving…',
  mismatchesFirst:
    '{count} workload(s) use a unit other than their SKU’s, and costcast never converts units: change the unit or pick another SKU before saving.',
  refused: 'The service refused the set: {message}',
  issuesTitle: '{count} problem(s), shown at their fields:',
  savedSet: 'Saved: {name}, version {version}. It is selected in the what-if below.',
  month1: 'January',
  month2: 'February',
  month3: 'March',
  month4: 'April',
  month5: 'May',
  month6: 'June',
  month7: 'July',
  month8: 'August',
  month9: 'September',
  month10: 'October',
  month11: 'November',
  month12: 'December',
};

export type EditorKey = keyof typeof en;

const fr: Record<EditorKey, string> = {
  heading: 'Jeu d’hypothèses',
  intro:
    'Créez ou modifiez un jeu d’hypothèses dans un formulaire. Choisissez le SKU de chaque charge parmi les prix au {quarter} : l’unité et la catégorie sont reprises de la grille tarifaire, et une unité différente de celle du SKU est signalée. Les nombres comme vous les écrivez : 0,05 ou 0.05.',
  newSet: 'Nouveau jeu d’hypothèses',
  editSet: 'Modifier le jeu choisi',
  close: 'Fermer l’éditeur',
  loadingSet: 'Chargement du jeu…',
  general: 'Le jeu',
  name: 'Nom',
  startQuarter: 'Premier trimestre',
  startQuarterHint: 'par ex. T1 2027 ou 2027-Q1',
  horizon: 'Horizon (trimestres)',
  fyStart: 'L’exercice commence en',
  currency: 'Devise de présentation',
  currencyHint: 'trois lettres, par ex. MAD',
  fx: 'Taux de change',
  fxNote: 'Unités de la devise de présentation pour une unité de chaque devise de prix.',
  fxCurrency: 'Devise',
  fxRate: 'Taux',
  addFx: 'Ajouter un taux de change',
  removeFx: 'Retirer le taux de {currency}',
  budget: 'Budget par exercice',
  budgetYear: 'Exercice',
  budgetYearHint: 'par ex. FY2027',
  budgetAmount: 'Montant',
  addBudget: 'Ajouter le budget d’un exercice',
  removeBudget: 'Retirer le budget de {year}',
  providers: 'Fournisseurs',
  providersNote: 'Choisir un SKU ajoute ici son fournisseur ; indiquez d’où chacun est régi.',
  providerName: 'Fournisseur',
  jurisdiction: 'Juridiction',
  jurisdictionHint: 'par ex. US, FR',
  addProvider: 'Ajouter un fournisseur',
  removeProvider: 'Retirer le fournisseur {name}',
  workloads: 'Charges',
  workloadsCaption: 'Charges : une ligne chacune',
  col: 'N°',
  id: 'Identifiant',
  wname: 'Nom',
  idAndName: 'Identifiant, puis nom',
  category: 'Catégorie',
  sku: 'SKU',
  unit: 'Unité',
  baseQuantity: 'Quantité de base',
  growth: 'Croissance par trimestre',
  efficiency: 'Efficacité',
  fallback: 'SKU de repli',
  actions: 'Actions',
  rowLabel: '{column}, charge {n}',
  addWorkload: 'Ajouter une charge',
  removeWorkload: 'Retirer la charge {n}',
  pickHint: 'Tapez pour chercher les SKU ; flèches puis Entrée pour choisir.',
  noMatch: 'Aucun SKU ne correspond.',
  searching: 'Recherche…',
  moreMatches: '{shown} sur {total} affichés : précisez la recherche.',
  ambiguousMatches:
    'Non listés : {n} SKU correspondants ont deux prix d’un même type dans ces grilles et ne tarifent rien tant que la Finance n’en retire pas un.',
  picked: '{provider}, {unit}, {price} {currency}',
  pickedRegion: '{provider}, {region}, {unit}, {price} {currency}',
  noSku: 'aucun SKU choisi',
  noFallback: 'aucun',
  unitMismatch: 'Le SKU est tarifé par « {skuUnit} », pas « {unit} ».',
  fallbackUnitMismatch: 'Le SKU de repli est tarifé par « {skuUnit} », pas « {unit} ».',
  unknownSku: 'Absent des prix au {quarter}.',
  'cat.llm-inference': 'inférence LLM',
  'cat.gpu-compute': 'calcul GPU',
  'cat.storage': 'stockage',
  'cat.network': 'réseau',
  'cat.other': 'autre',
  save: 'Enregistrer le jeu d’hypothèses',
  saving: 'Enregistrement…',
  mismatchesFirst:
    '{count} charge(s) utilisent une autre unité que celle de leur SKU, et costcast ne convertit jamais les unités : changez l’unité ou choisissez un autre SKU avant d’enregistrer.',
  refused: 'Le service a refusé le jeu : {message}',
  issuesTitle: '{count} problème(s), indiqués à leurs champs :',
  savedSet: 'Enregistré : {name}, version {version}. Il est choisi dans la simulation ci-dessous.',
  month1: 'janvier',
  month2: 'février',
  month3: 'mars',
  month4: 'avril',
  month5: 'mai',
  month6: 'juin',
  month7: 'juillet',
  month8: 'août',
  month9: 'septembre',
  month10: 'octobre',
  month11: 'novembre',
  month12: 'décembre',
};

const MESSAGES: Record<Locale, Record<EditorKey, string>> = { en, fr };

/** One of the editor's messages in `locale`, its `{name}` placeholders filled. */
export function te(
  locale: Locale,
  key: EditorKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

/**
 * A number as the reader typed it, as the API's decimal string: spaces (thousands, also the
 * French narrow no-break space) dropped; with both a comma and a point, the last is the
 * decimal mark; a lone comma is the decimal mark in French, and in English too unless it
 * groups thousands (1,250). Anything else is sent as typed, for the service to refuse at
 * its field.
 * @example decimalText('fr', '0,05') //=> "0.05"
 * @example decimalText('en', '1,250.50') //=> "1250.50"
 * @example decimalText('fr', '1 250,50') //=> "1250.50"
 */
export function decimalText(locale: Locale, typed: string): string {
  const s = typed.trim().replace(/[\s\u00a0\u202f]/g, '');
  let out = s;
  const comma = s.lastIndexOf(',');
  const point = s.lastIndexOf('.');
  if (comma >= 0 && point >= 0)
    out = comma > point ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  else if (comma >= 0)
    out =
      locale === 'en' && /^[+-]?\d{1,3}(,\d{3})+$/.test(s)
        ? s.replace(/,/g, '')
        : /^[+-]?\d*,\d+$/.test(s)
          ? s.replace(',', '.')
          : s;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(out) ? out : typed.trim();
}

/**
 * A unit price short enough to read beside a SKU: four decimals (four significant ones below
 * 1), rounded half up on the decimal string itself, with "≈" when digits were dropped. The
 * full price stays in the element's title.
 * @example priceText('fr', '14.0675598969041') //=> "≈ 14,0676"
 * @example priceText('en', '0.0000025') //=> "0.0000025"
 */
export function priceText(locale: Locale, value: string): string {
  const m = /^(-?)(\d+)\.(\d+)$/.exec(value);
  if (!m) return localText(locale, value);
  const [, sign, whole, decimals] = m as unknown as [string, string, string, string];
  const leading = whole === '0' ? (/^0*/.exec(decimals)?.[0].length ?? 0) : 0;
  const keep = leading + 4;
  if (decimals.length <= keep) return localText(locale, value);
  const up = decimals.charCodeAt(keep) >= '5'.charCodeAt(0) ? 1n : 0n;
  const digits = (BigInt(whole + decimals.slice(0, keep)) + up).toString().padStart(keep + 1, '0');
  const rounded = `${digits.slice(0, -keep)}.${digits.slice(-keep)}`
    .replace(/0+$/, '')
    .replace(/\.$/, '');
  return `≈ ${localText(locale, `${sign}${rounded}`)}`;
}

/**
 * A quarter typed either way round, with Q or the French T, as the API writes it; anything
 * else as typed, for the service to refuse at its field.
 * @example quarterCode('T1 2027') //=> "2027-Q1"
 * @example quarterCode('2027-T5') //=> "2027-T5"
 */
export function quarterCode(typed: string): string {
  const s = typed.trim();
  const yearFirst = /^(\d{4})[\s-]*[QqTt]([1-4])$/.exec(s);
  if (yearFirst) return `${yearFirst[1]}-Q${yearFirst[2]}`;
  const quarterFirst = /^[QqTt]([1-4])[\s-]*(\d{4})$/.exec(s);
  if (quarterFirst) return `${quarterFirst[2]}-Q${quarterFirst[1]}`;
  return s;
}

/** A stored decimal string as the reader writes it: "0.12" → "0,12" in French. */
export const localText = (locale: Locale, value: string): string =>
  locale === 'fr' ? value.replace('.', ',') : value;
