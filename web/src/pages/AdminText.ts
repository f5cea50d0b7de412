// The Keys page's words (pages/Admin.tsx) in English and French, kept apart from i18n.ts so
// that pages can grow in parallel; the same `{name}` placeholders as `t`.
import type { Locale } from '../i18n.ts';

const en = {
  title: 'API keys',
  intro:
    'Each person signs in with a key of their own. Create one per person with the role their work needs; revoke it when they leave or when it may have leaked. Revoking a key ends its browser sessions at once.',
  rolesTitle: 'What each role may do',
  'roleHelp.viewer': 'reads the approved forecasts (the CFO page) and downloads their workbooks.',
  'roleHelp.analyst':
    'also builds assumptions, tries what-ifs, saves draft forecasts and submits them for review.',
  'roleHelp.finance':
    'also uploads and reviews price sheets, approves or rejects forecasts (never its own), and reads the audit trail.',
  'roleHelp.admin': 'also creates and revokes keys.',
  createTitle: 'Create a key',
  name: 'Person or use',
  nameHint: 'Who will hold it, e.g. “Youssef (finance)”. It shows in the audit trail.',
  role: 'Role',
  create: 'Create the key',
  creating: 'Creating…',
  needsName: 'Give the key a name: who will hold it.',
  createFailed: 'The key was not created: {message}',
  secretTitle: 'The key of {name}, role {role}',
  secretWarning:
    'Store it now, in a password manager or hand it over securely: it will not be shown again. costcast keeps only its hash.',
  secretLabel: 'Secret key',
  copy: 'Copy',
  copied: 'Copied to the clipboard.',
  copyFailed: 'Could not copy; select the key and copy it by hand.',
  secretDone: 'I have stored it: hide the key',
  listTitle: 'Keys',
  listCaption: 'Active: {active} · revoked: {revoked}',
  noKeys: 'No key yet.',
  colName: 'Name',
  colRole: 'Role',
  colPrefix: 'Starts with',
  colCreated: 'Created',
  colLastUsed: 'Last used',
  neverUsed: 'never',
  colState: 'State',
  colActions: 'Actions',
  createdBy: 'by {by}',
  envKey: 'set by COSTCAST_ADMIN_KEY',
  active: 'active',
  revokedOn: 'revoked on {date}',
  you: 'your key',
  revoke: 'Revoke',
  revokeOf: 'Revoke the key of {name}',
  confirmRevoke:
    'Revoke the key of {name}? It stops working at once and its browser sessions end; this cannot be undone.',
  confirmRevokeYours:
    'Revoke your own key? Your session ends at once and you will be signed out; this cannot be undone.',
  confirmYes: 'Yes, revoke it',
  cancel: 'Cancel',
  revoked: 'The key of {name} is revoked; its browser sessions are ended.',
  revokeFailed: 'The key was not revoked: {message}',
  failed: 'Could not load the keys: {message}',
} as const;

export type AdminKey = keyof typeof en;

const fr: Record<AdminKey, string> = {
  title: 'Clés d’API',
  intro:
    'Chaque personne se connecte avec sa propre clé. Créez-en une par personne avec le rôle que demande son travail ; révoquez-la quand elle part ou si la clé a pu fuiter. Révoquer une clé met fin à ses sessions de navigateur aussitôt.',
  rolesTitle: 'Ce que chaque rôle peut faire',
  'roleHelp.viewer': 'lit les prévisions approuvées (la page DAF) et télécharge leurs classeurs.',
  'roleHelp.analyst':
    'construit aussi les hypothèses, essaie des simulations, enregistre des brouillons de prévision et les soumet à relecture.',
  'roleHelp.finance':
    'dépose aussi les grilles tarifaires et les relit, approuve ou rejette les prévisions (jamais les siennes) et lit la piste d’audit.',
  'roleHelp.admin': 'crée et révoque aussi les clés.',
  createTitle: 'Créer une clé',
  name: 'Personne ou usage',
  nameHint: 'Qui la détiendra, p. ex. « Youssef (finance) ». Le nom figure dans la piste d’audit.',
  role: 'Rôle',
  create: 'Créer la clé',
  creating: 'Création…',
  needsName: 'Donnez un nom à la clé : qui la détiendra.',
  createFailed: 'La clé n’a pas été créée : {message}',
  secretTitle: 'La clé de {name}, rôle {role}',
  secretWarning:
    'Conservez-la maintenant, dans un gestionnaire de mots de passe ou remise de façon sûre : elle ne sera plus affichée. costcast n’en garde que l’empreinte.',
  secretLabel: 'Clé secrète',
  copy: 'Copier',
  copied: 'Copiée dans le presse-papiers.',
  copyFailed: 'Copie impossible ; sélectionnez la clé et copiez-la à la main.',
  secretDone: 'Je l’ai conservée : masquer la clé',
  listTitle: 'Clés',
  listCaption: 'Actives : {active} · révoquées : {revoked}',
  noKeys: 'Aucune clé pour l’instant.',
  colName: 'Nom',
  colRole: 'Rôle',
  colPrefix: 'Commence par',
  colCreated: 'Créée',
  colLastUsed: 'Dernière utilisation',
  neverUsed: 'jamais',
  colState: 'État',
  colActions: 'Actions',
  createdBy: 'par {by}',
  envKey: 'définie par COSTCAST_ADMIN_KEY',
  active: 'active',
  revokedOn: 'révoquée le {date}',
  you: 'votre clé',
  revoke: 'Révoquer',
  revokeOf: 'Révoquer la clé de {name}',
  confirmRevoke:
    'Révoquer la clé de {name} ? Elle cesse aussitôt de fonctionner et ses sessions de navigateur prennent fin ; c’est définitif.',
  confirmRevokeYours:
    'Révoquer votre propre clé ? Votre session prend fin aussitôt et vous serez déconnecté ; c’est définitif.',
  confirmYes: 'Oui, la révoquer',
  cancel: 'Annuler',
  revoked: 'La clé de {name} est révoquée ; ses sessions de navigateur ont pris fin.',
  revokeFailed: 'La clé n’a pas été révoquée : {message}',
  failed: 'Impossible de charger les clés : {message}',
};

const MESSAGES: Record<Locale, Record<AdminKey, string>> = { en, fr };

/** One of the Keys page's messages in `locale`, its `{name}` placeholders filled. */
export function tk(
  locale: Locale,
  key: AdminKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}
