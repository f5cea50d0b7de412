// The interface's words in English and French, and numbers, dates and quarters written in the
// reader's locale through Intl. Each message exists in both languages (the type says so).

export type Locale = 'en' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'fr'];

const en = {
  skip: 'Skip to the content',
  appTagline: 'Quarterly compute-cost forecasts',
  language: 'Language',
  languageName: 'English',
  loading: 'Loading…',
  failed: 'Could not load this page: {message}',
  retry: 'Try again',
  signIn: 'Sign in',
  signInIntro:
    'Sign in with your costcast API key. It is sent once; the browser then keeps only a session cookie that no script can read, never the key.',
  apiKey: 'API key',
  apiKeyHint: 'It starts with cc_. Ask an administrator for one.',
  signInFailed: 'Sign-in refused: {message}',
  sessionEnded:
    'Your session has ended: your key was revoked, or the session expired or was closed. Sign in again.',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {name}',
  role: 'Role: {role}',
  'role.viewer': 'viewer',
  'role.analyst': 'analyst',
  'role.finance': 'finance',
  'role.admin': 'administrator',
  mainNav: 'Pages',
  'nav.cfo': 'CFO',
  'nav.finance': 'Finance',
  'nav.analyst': 'Analyst',
  'nav.admin': 'Keys',
  apiDocs: 'API documentation',
  notFound: 'There is no page here.',
  cfoTitle: 'The approved forecast of the quarter',
  quarter: 'Quarter',
  forecast: 'Forecast',
  noApproved:
    'No approved forecast yet. A forecast appears here once a finance reviewer has approved it.',
  approvedBy: 'Approved by {who} on {date}',
  createdBy: 'prepared by {who}',
  otherApproved: '{count} approved forecasts for this quarter; the latest approval is shown first.',
  totals: 'Total by scenario',
  horizon: '{from} to {to}, in {currency}',
  scenario: 'Scenario',
  total: 'Total',
  p10: 'P10',
  p90: 'P90',
  monteCarloNote: 'P10 and P90: Monte Carlo percentiles of the total ({draws} draws).',
  noMonteCarlo: 'This forecast has no Monte Carlo draws: no P10–P90 band.',
  byFiscalYear: 'By fiscal year, against budget',
  fiscalYear: 'Fiscal year',
  budget: 'Budget',
  headroom: 'Headroom',
  status: 'Status',
  withinBudget: 'within budget',
  overBudget: 'over budget',
  noBudget: 'no budget',
  partialYear: '{count} of 4 quarters in the horizon',
  chartTitle: 'Quarterly cost by scenario',
  chartDescription:
    'Lines: the point forecast of each scenario. Shaded: the P10–P90 band of the Monte Carlo draws.',
  chartLabel: 'Chart of the quarterly cost of {scenarios}, {from} to {to}',
  pointForecast: '{scenario}: forecast',
  band: '{scenario}: P10–P90',
  chartData: 'The chart’s numbers as a table',
  downloadEn: 'Workbook in English (.xlsx)',
  downloadFr: 'Workbook in French (.xlsx)',
} as const;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  skip: 'Aller au contenu',
  appTagline: 'Prévisions trimestrielles des coûts de calcul',
  language: 'Langue',
  languageName: 'Français',
  loading: 'Chargement…',
  failed: 'Impossible de charger cette page : {message}',
  retry: 'Réessayer',
  signIn: 'Connexion',
  signInIntro:
    'Connectez-vous avec votre clé d’API costcast. Elle n’est envoyée qu’une fois ; le navigateur ne garde ensuite qu’un cookie de session qu’aucun script ne peut lire, jamais la clé.',
  apiKey: 'Clé d’API',
  apiKeyHint: 'Elle commence par cc_. Demandez-en une à un administrateur.',
  signInFailed: 'Connexion refusée : {message}',
  sessionEnded:
    'Votre session a pris fin : votre clé a été révoquée, ou la session a expiré ou a été fermée. Connectez-vous à nouveau.',
  signOut: 'Se déconnecter',
  signedInAs: 'Connecté en tant que {name}',
  role: 'Rôle : {role}',
  'role.viewer': 'lecteur',
  'role.analyst': 'analyste',
  'role.finance': 'finance',
  'role.admin': 'administrateur',
  mainNav: 'Pages',
  'nav.cfo': 'DAF',
  'nav.finance': 'Finance',
  'nav.analyst': 'Analyste',
  'nav.admin': 'Clés',
  apiDocs: 'Documentation de l’API',
  notFound: 'Il n’y a pas de page ici.',
  cfoTitle: 'La prévision approuvée du trimestre',
  quarter: 'Trimestre',
  forecast: 'Prévision',
  noApproved:
    'Aucune prévision approuvée pour l’instant. Une prévision apparaît ici dès qu’un relecteur de la finance l’a approuvée.',
  approvedBy: 'Approuvée par {who} le {date}',
  createdBy: 'préparée par {who}',
  otherApproved:
    '{count} prévisions approuvées pour ce trimestre ; la dernière approuvée est en premier.',
  totals: 'Total par scénario',
  horizon: 'De {from} à {to}, en {currency}',
  scenario: 'Scénario',
  total: 'Total',
  p10: 'P10',
  p90: 'P90',
  monteCarloNote: 'P10 et P90 : centiles Monte Carlo du total ({draws} tirages).',
  noMonteCarlo: 'Cette prévision n’a pas de tirages Monte Carlo : pas de bande P10–P90.',
  byFiscalYear: 'Par exercice, face au budget',
  fiscalYear: 'Exercice',
  budget: 'Budget',
  headroom: 'Marge',
  status: 'État',
  withinBudget: 'dans le budget',
  overBudget: 'budget dépassé',
  noBudget: 'pas de budget',
  partialYear: '{count} trimestres sur 4 dans l’horizon',
  chartTitle: 'Coût trimestriel par scénario',
  chartDescription:
    'Lignes : la prévision de chaque scénario. Zone ombrée : la bande P10–P90 des tirages Monte Carlo.',
  chartLabel: 'Graphique du coût trimestriel de {scenarios}, de {from} à {to}',
  pointForecast: '{scenario} : prévision',
  band: '{scenario} : P10–P90',
  chartData: 'Les chiffres du graphique en tableau',
  downloadEn: 'Classeur en anglais (.xlsx)',
  downloadFr: 'Classeur en français (.xlsx)',
};

const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, fr };

/**
 * A message in `locale`, its `{name}` placeholders filled.
 * @example t('fr', 'role', { role: 'finance' }) //=> "Rôle : finance"
 */
export function t(
  locale: Locale,
  key: MessageKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

/** The BCP 47 tag Intl formats with. */
const TAGS: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };

const amounts = new Map<Locale, Intl.NumberFormat>();

/**
 * An amount (a decimal string from the API, formatted exactly, never through a float) and its
 * currency, as the reader writes it.
 * @example money('fr', '1575977.08', 'MAD') //=> "1 575 977,08 MAD" (narrow no-break spaces)
 * @example money('en', '1575977.08', 'MAD') //=> "1,575,977.08 MAD"
 */
export function money(locale: Locale, amount: string, currency: string): string {
  let f = amounts.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(TAGS[locale], { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    amounts.set(locale, f);
  }
  // Intl formats a decimal string exactly (ECMA-402 2023); TypeScript's lib still says number.
  return `${f.format(amount as unknown as number)}\u00a0${currency}`;
}

/**
 * A whole number (a count) as the reader writes it.
 * @example count('fr', 10000) //=> "10 000"
 */
export const count = (locale: Locale, n: number): string =>
  new Intl.NumberFormat(TAGS[locale]).format(n);

/** A compact amount for a chart axis. @example compact('fr', 250000) //=> "250 k" */
export const compact = (locale: Locale, n: number): string =>
  new Intl.NumberFormat(TAGS[locale], { notation: 'compact', maximumFractionDigits: 1 }).format(n);

/**
 * A date and time from the API (ISO 8601) as the reader writes it, in the reader's time zone.
 * @example date('fr', '2026-12-06T10:00:00Z') //=> "6 décembre 2026 à 11:00" (in Paris)
 */
export const date = (locale: Locale, iso: string): string =>
  new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'long', timeStyle: 'short' }).format(
    new Date(iso),
  );

/**
 * A date and time, short, for wide tables.
 * @example shortDate('fr', '2026-12-06T10:00:00Z') //=> "6 déc. 2026, 11:00" (in Paris)
 */
export const shortDate = (locale: Locale, iso: string): string =>
  new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );

/**
 * A quarter label from the API as the workbook writes it in the locale.
 * @example quarter('fr', '2027-Q1') //=> "T1 2027"
 */
export function quarter(locale: Locale, label: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!m || locale === 'en') return label;
  return `T${m[2]} ${m[1]}`;
}

/**
 * A fiscal-year label from the API in the locale (exercice in French).
 * @example fiscalYear('fr', 'FY2027') //=> "EX2027"
 */
export const fiscalYear = (locale: Locale, label: string): string =>
  locale === 'fr' ? label.replace(/^FY/, 'EX') : label;

/** The reader's language: the one chosen before on this browser, else the browser's. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem('costcast.locale');
  if (saved === 'en' || saved === 'fr') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** Remembers the reader's language on this browser (a preference, nothing secret). */
export function saveLocale(locale: Locale): void {
  localStorage.setItem('costcast.locale', locale);
  document.documentElement.lang = locale;
}

/** The default scenarios' names as the French workbook writes them; a name you chose is kept. */
const DEFAULT_SCENARIOS_FR: Readonly<Record<string, readonly [string, string]>> = {
  'on-time': ['Stargate on time', 'Stargate à l’heure'],
  delayed: ['Stargate delayed', 'Stargate retardé'],
};

/**
 * A scenario's name in the locale: the default scenarios are translated as in the workbook.
 * @example scenarioName('fr', 'delayed', 'Stargate delayed') //=> "Stargate retardé"
 */
export function scenarioName(locale: Locale, id: string, name: string): string {
  const d = DEFAULT_SCENARIOS_FR[id];
  return locale === 'fr' && d && d[0] === name ? d[1] : name;
}
