// The Analyst page's words in English and French, kept apart from i18n.ts (other pages'
// words) so that pages can grow in parallel; the same `{name}` placeholders as `t`.
import type { Locale } from '../i18n.ts';

const en = {
  title: 'What-if on an assumption set',
  intro:
    'Pick a saved assumption set and the prices of a quarter, then move the what-if parameters: the forecast is recomputed by the service as you go (nothing is stored until you save a draft).',
  set: 'Assumption set',
  setOption: '{name}, version {version}',
  noSets:
    'No assumption set saved yet: build one with “New assumption set” above, or upload a costcast workbook below.',
  asOf: 'Prices as of',
  noPrices: 'No price sheet uploaded yet: ask finance to upload the quarter’s sheets.',
  parameters: 'What-if parameters',
  scenarioGroup: 'The “delayed” scenario',
  declineGroup: 'Price decline per quarter, both scenarios',
  adjustGroup: 'Assumptions, × each workload’s own',
  parametersNote:
    'Delay, shortage premium and availability apply to the “delayed” scenario; the price declines to both; the other values are the default scenarios’. Growth and efficiency multiply every workload’s own (sent as “adjust”; a saved draft keeps the adjusted numbers and says so).',
  delay: 'Delay of the build-out (quarters)',
  decline: 'LLM inference (%)',
  gpuDecline: 'GPU compute (%)',
  storageDecline: 'Storage (%)',
  growth: 'Growth per quarter',
  efficiency: 'Efficiency (token discipline)',
  showTornado: 'Show the tornado (sensitivity)',
  tornado: 'Tornado: what moves the horizon total',
  tornadoScenario: 'Scenario',
  tornadoNote:
    'Each driver alone at its low and its high value, the others at the panel’s; computed by the service after the chart.',
  tornadoComputing: 'Computing the tornado…',
  premium: 'Shortage premium (%)',
  availability: 'Availability of the primary providers (%)',
  draws: 'Monte Carlo draws',
  noDraws: 'none (no band)',
  computing: 'Computing…',
  computed: 'Computed by the service.',
  whatIfFailed: 'The service refused this what-if: {message}',
  totals: 'Total by scenario over the horizon',
  saveDraft: 'Save as a draft forecast',
  draftName: 'Forecast name',
  saved: 'Forecast “{name}”: {status}.',
  submit: 'Submit for review',
  workbook: 'Its workbook (.xlsx)',
  actionFailed: 'Refused: {message}',
  upload: 'Upload an edited workbook as a new version',
  uploadFile: 'Costcast workbook (.xlsx)',
  uploadName: 'Set name (optional)',
  uploadButton: 'Upload',
  uploaded: 'Saved: {name}, version {version}.',
  uploadFailed: 'Refused: {message}',
  'status.draft': 'draft',
  'status.in_review': 'in review',
  'status.approved': 'approved',
  'status.rejected': 'rejected',
} as const;

export type AnalystKey = keyof typeof en;

const fr: Record<AnalystKey, string> = {
  title: 'Simulation sur un jeu d’hypothèses',
  intro:
    'Choisissez un jeu d’hypothèses enregistré et les prix d’un trimestre, puis faites varier les paramètres de la simulation : le service recalcule la prévision au fur et à mesure (rien n’est enregistré avant le brouillon).',
  set: 'Jeu d’hypothèses',
  setOption: '{name}, version {version}',
  noSets:
    'Aucun jeu d’hypothèses enregistré : créez-en un avec « Nouveau jeu d’hypothèses » ci-dessus, ou déposez un classeur costcast plus bas.',
  asOf: 'Prix au',
  noPrices:
    'Aucune grille tarifaire déposée : demandez à la finance de déposer celles du trimestre.',
  parameters: 'Paramètres de la simulation',
  scenarioGroup: 'Le scénario « retardé »',
  declineGroup: 'Baisse des prix par trimestre, deux scénarios',
  adjustGroup: 'Hypothèses, × celles de chaque charge',
  parametersNote:
    'Le retard, la prime de pénurie et la disponibilité s’appliquent au scénario « retardé » ; les baisses de prix aux deux ; les autres valeurs sont celles des scénarios par défaut. Croissance et efficacité multiplient celles de chaque charge (envoyées comme « adjust » ; un brouillon enregistré garde les valeurs ajustées et le dit).',
  delay: 'Retard de la construction (trimestres)',
  decline: 'Inférence LLM (%)',
  gpuDecline: 'Calcul GPU (%)',
  storageDecline: 'Stockage (%)',
  growth: 'Croissance par trimestre',
  efficiency: 'Efficacité (sobriété)',
  showTornado: 'Afficher la tornade (sensibilité)',
  tornado: 'Tornade : ce qui fait varier le total de l’horizon',
  tornadoScenario: 'Scénario',
  tornadoNote:
    'Chaque facteur seul à sa valeur basse et à sa valeur haute, les autres à ceux du panneau ; calculée par le service après le graphique.',
  tornadoComputing: 'Calcul de la tornade…',
  premium: 'Prime de pénurie (%)',
  availability: 'Disponibilité des fournisseurs principaux (%)',
  draws: 'Tirages Monte Carlo',
  noDraws: 'aucun (pas de bande)',
  computing: 'Calcul en cours…',
  computed: 'Calculé par le service.',
  whatIfFailed: 'Le service a refusé cette simulation : {message}',
  totals: 'Total par scénario sur l’horizon',
  saveDraft: 'Enregistrer comme brouillon de prévision',
  draftName: 'Nom de la prévision',
  saved: 'Prévision « {name} » : {status}.',
  submit: 'Soumettre à relecture',
  workbook: 'Son classeur (.xlsx)',
  actionFailed: 'Refusé : {message}',
  upload: 'Déposer un classeur modifié comme nouvelle version',
  uploadFile: 'Classeur costcast (.xlsx)',
  uploadName: 'Nom du jeu (facultatif)',
  uploadButton: 'Déposer',
  uploaded: 'Enregistré : {name}, version {version}.',
  uploadFailed: 'Refusé : {message}',
  'status.draft': 'brouillon',
  'status.in_review': 'en relecture',
  'status.approved': 'approuvée',
  'status.rejected': 'rejetée',
};

const MESSAGES: Record<Locale, Record<AnalystKey, string>> = { en, fr };

/** One of the Analyst page's messages in `locale`, its `{name}` placeholders filled. */
export function ta(
  locale: Locale,
  key: AnalystKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}
