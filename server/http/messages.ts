// The messages a user meets (API error bodies, CLI error lines), in English or French. The
// parsers, the schemas and the engine write them in English; French is a table of their
// shapes, applied where a message leaves (the error handler, the CLI). A message no rule
// knows stays in English. Machine-readable codes and field names are never translated.

export type MessageLocale = 'en' | 'fr';

/** zod's type names, in French. */
const TYPES: Readonly<Record<string, string>> = {
  string: 'un texte',
  number: 'un nombre',
  int: 'un nombre entier',
  boolean: 'un booléen',
  object: 'un objet',
  array: 'un tableau',
  undefined: 'rien',
  null: 'null',
  nan: 'NaN',
};
const type = (t: string) => TYPES[t] ?? t;

const PARTS: Readonly<Record<string, string>> = {
  'the request body': 'le corps de la requête',
  'the query string': 'les paramètres de la requête',
  'the URL': 'l’URL',
  'the request headers': 'les en-têtes de la requête',
  'the request': 'la requête',
};

/** "20 scenarios × 1000 workloads × 40 quarters, 100000 Monte Carlo draws, sensitivity". */
const frenchShape = (asked: string) =>
  asked
    .replace(/(\d+) scenarios?/, (_m, n) => `${n} scénario${n === '1' ? '' : 's'}`)
    .replace(/(\d+) workloads?/, (_m, n) => `${n} charge${n === '1' ? '' : 's'}`)
    .replace(/(\d+) quarters?/, (_m, n) => `${n} trimestre${n === '1' ? '' : 's'}`)
    .replace(/(\d+) Monte Carlo draws/, '$1 tirages Monte Carlo')
    .replace('sensitivity', 'sensibilité')
    .replace('the workbook', 'le classeur');

const frenchAdvice = (advice: string) =>
  advice
    .replace(/^ask for at most (\d+) draws, or /, 'demandez au plus $1 tirages, ou ')
    .replace(/^ask for /, 'demandez ')
    .replace(
      'fewer scenarios, workloads or quarters',
      'moins de scénarios, de charges ou de trimestres',
    );

const THINGS: Readonly<Record<string, string>> = {
  'price sheet': 'la grille tarifaire',
  forecast: 'la prévision',
  'assumption set': 'le jeu d’hypothèses',
};

const ROLES: Readonly<Record<string, string>> = {
  viewer: 'lecteur (viewer)',
  analyst: 'analyste (analyst)',
  finance: 'finance',
  admin: 'administrateur (admin)',
};
const role = (r: string) => ROLES[r] ?? r;

const STATUSES: Readonly<Record<string, string>> = {
  draft: 'brouillon',
  'in review': 'en revue',
  approved: 'approuvée',
  rejected: 'rejetée',
};
const status = (s: string) =>
  s
    .split(' or ')
    .map((x) => STATUSES[x] ?? x)
    .join(' ou ');

const ACTIONS: Readonly<Record<string, string>> = {
  submit: 'soumettre',
  approve: 'approuver',
  reject: 'rejeter',
};

type Rule = readonly [RegExp, (...groups: string[]) => string];

/** French for each English message shape, most specific first. `fr` translates a nested part. */
const RULES: readonly Rule[] = [
  // Authentication, authorisation, routes
  [
    /^an API key is required: Authorization: Bearer <key>$/,
    () => 'une clé d’API est requise : Authorization: Bearer <clé>',
  ],
  [/^the API key is invalid or revoked$/, () => 'la clé d’API est invalide ou révoquée'],
  [/^your session has ended: sign in again$/, () => 'votre session a pris fin : reconnectez-vous'],
  [
    /^this write is made with a session cookie but without its CSRF token \(X-CSRF-Token header\)$/,
    () =>
      'cette écriture est faite avec un cookie de session mais sans son jeton CSRF (en-tête X-CSRF-Token)',
  ],
  [
    /^the web interface is not built: run `npm run build:web` \(npm ci and npm start do\)$/,
    () =>
      'l’interface web n’est pas construite : lancez `npm run build:web` (npm ci et npm start le font)',
  ],
  [
    /^this needs the (\w+) role or above; the key has (\w+)$/,
    (need, has) =>
      `il faut le rôle ${role(need)} ou un rôle supérieur ; cette clé a le rôle ${role(has)}`,
  ],
  [/^no route (\S+) (\S*)$/, (m, u) => `aucune route ${m} ${u}`],
  [/^no active key (.+)$/, (id) => `aucune clé active ${id}`],
  [
    /^this is the last active admin key; create another admin key first$/,
    () =>
      'c’est la dernière clé administrateur active ; créez d’abord une autre clé administrateur',
  ],
  [
    /^(price sheet|forecast|assumption set) (\S+) was not found$/,
    (what, id) => `${THINGS[what] ?? what} ${id} est introuvable`,
  ],
  [/^price sheet\(s\) not found: (.+)$/, (ids) => `grille(s) tarifaire(s) introuvable(s) : ${ids}`],
  [/^the two forecasts cannot be bridged$/, () => 'les deux prévisions ne peuvent être comparées'],
  [
    /^the new forecast reports in (\S+) and the old one in (\S+); a bridge needs one reporting currency \(costcast converts prices into it, never one forecast's totals into another's\)$/,
    (b, a) =>
      `la nouvelle prévision est en ${b} et l’ancienne en ${a} ; un pont demande une seule devise de présentation (costcast convertit les prix dans cette devise, jamais les totaux d’une prévision dans ceux d’une autre)`,
  ],
  [
    /^forecast (\S+) \(against\) was not found$/,
    (id) => `la prévision ${id} (against) est introuvable`,
  ],
  [
    /^no approved forecast for (\S+), the quarter before this forecast's (\S+); name the forecast to compare with: \?against=<forecast id>$/,
    (prev, q) =>
      `aucune prévision approuvée pour ${prev}, le trimestre avant celui de cette prévision (${q}) ; nommez la prévision à comparer : ?against=<id de la prévision>`,
  ],
  [/^(.+) was not found$/, (what) => `${what} : introuvable`],
  [/^too many requests; retry in (\d+) s$/, (s) => `trop de requêtes ; réessayez dans ${s} s`],
  [/^internal server error$/, () => 'erreur interne du serveur'],

  // Compute limits (server/compute/scheduler.ts)
  [
    /^this request needs about (\S+) times the compute one request may use \((.+): (\d+) units, limit (\d+), COSTCAST_COMPUTE_BUDGET\); to stay under it, (.+)$/,
    (times, asked, units, limit, advice) =>
      `cette requête demande environ ${times.replace('.', ',')} fois le calcul permis à une requête (${frenchShape(asked)} : ${units} unités, limite ${limit}, COSTCAST_COMPUTE_BUDGET) ; pour rester en dessous, ${frenchAdvice(advice)}`,
  ],
  [
    /^this key already has (\d+) computations? under way, the most one key may have \(COSTCAST_COMPUTE_QUEUE_PER_KEY\); wait for one to finish$/,
    (n) =>
      `cette clé a déjà ${n} calcul${n === '1' ? '' : 's'} en cours, le maximum pour une clé (COSTCAST_COMPUTE_QUEUE_PER_KEY) ; attendez qu’un calcul se termine`,
  ],
  [
    /^the service is computing (\d+) requests, the most it takes at once \(COSTCAST_COMPUTE_QUEUE\); try again shortly$/,
    (n) =>
      `le service calcule ${n} requêtes, le maximum qu’il accepte à la fois (COSTCAST_COMPUTE_QUEUE) ; réessayez dans un instant`,
  ],
  [
    /^the computation was stopped after (\S+) s, waiting included \(COSTCAST_COMPUTE_DEADLINE_SECONDS\); .+$/,
    (s) =>
      `le calcul a été arrêté après ${s.replace('.', ',')} s, attente comprise (COSTCAST_COMPUTE_DEADLINE_SECONDS) ; demandez moins de tirages, de scénarios, de charges ou de trimestres, ou réessayez quand le service sera moins chargé`,
  ],
  [
    /^the client went away; its computation was stopped$/,
    () => 'le client est parti ; son calcul a été arrêté',
  ],
  [
    /^cannot (submit|approve|reject) a forecast that is (.+?) \(only from (.+)\)(; revise it into a new draft: POST (\S+))?$/,
    (a, is, from, revise, url) =>
      `impossible de ${ACTIONS[a] ?? a} une prévision ${status(is)} (seulement depuis : ${status(from)})${revise ? ` ; révisez-la en un nouveau brouillon : POST ${url}` : ''}`,
  ],
  // Review with four eyes (services/forecasts/review.ts)
  [
    /^four eyes: this key created or revised forecast (\S+), so another key must (approve|reject) it \(whatever the role, admin included\)$/,
    (id, a) =>
      `quatre yeux : cette clé a créé ou révisé la prévision ${id}, une autre clé doit donc l’${a === 'approve' ? 'approuver' : 'rejeter'} (quel que soit son rôle, administrateur compris)`,
  ],
  [
    /^approving forecast (\S+) needs an acknowledgement: send "acknowledge": \{ "reason": "…" \} — (.+)$/,
    (id, list) =>
      `approuver la prévision ${id} demande une prise en compte explicite : envoyez "acknowledge": { "reason": "…" } — ${list
        .split('; ')
        .map(frBlocker)
        .join(' ; ')}`,
  ],
  [
    /^cannot revise a forecast that is (.+) \(only a rejected one\)$/,
    (is) => `impossible de réviser une prévision ${status(is)} (seulement une prévision rejetée)`,
  ],
  [
    /^forecast (\S+) is already revised by forecast (\S+); revise that one if it is rejected$/,
    (id, by) =>
      `la prévision ${id} est déjà révisée par la prévision ${by} ; révisez celle-ci si elle est rejetée`,
  ],
  [
    /^no forecast of (\S+) is approved yet \((\d+) in draft or in review\)$/,
    (q, n) => `aucune prévision de ${q} n’est encore approuvée (${n} en brouillon ou en revue)`,
  ],

  // Request bodies and uploads
  [
    /^(the request body|the query string|the URL|the request headers|the request) is invalid$/,
    (part) => `${PARTS[part] ?? part} est invalide`,
  ],
  [/^the body is not valid JSON: (.+)$/, (why) => `le corps n’est pas du JSON valide : ${why}`],
  [/^the JSON body is empty$/, () => 'le corps JSON est vide'],
  [
    /^the request body is larger than allowed$/,
    () => 'le corps de la requête dépasse la taille permise',
  ],
  [
    /^the file is larger than the upload limit of (\d+) MB$/,
    (mb) => `le fichier dépasse la taille maximale de téléversement (${mb} Mo)`,
  ],
  [/^this Content-Type is not accepted here$/, () => 'ce Content-Type n’est pas accepté ici'],
  [
    /^send the file as multipart\/form-data \(field "file"\) or as the body with Content-Type text\/csv, application\/json or the XLSX media type$/,
    () =>
      'envoyez le fichier en multipart/form-data (champ « file ») ou comme corps de la requête avec le Content-Type text/csv, application/json ou celui du XLSX',
  ],
  [
    /^send exactly one file, in the field "file"$/,
    () => 'envoyez un seul fichier, dans le champ « file »',
  ],
  [
    /^the form has no file: send it in the field "file"$/,
    () => 'le formulaire n’a pas de fichier : envoyez-le dans le champ « file »',
  ],
  [
    /^the form's file could not be read: (.*)$/,
    (why) => `le fichier du formulaire n’a pas pu être lu : ${translate(why, 'fr')}`,
  ],
  [
    /^the Content-Disposition header of part (\d+) contains a control character \((U\+[0-9A-F]+) at position (\d+)\), so the part could not be read$/,
    (n, c, at) =>
      `l’en-tête Content-Disposition de la partie ${n} contient un caractère de contrôle (${c} en position ${at}) : la partie n’a pas pu être lue`,
  ],
  [
    /^the Content-Disposition header of part (\d+) is "(.*)", not form-data, so the part could not be read$/,
    (n, t) =>
      `l’en-tête Content-Disposition de la partie ${n} est « ${t} », pas form-data : la partie n’a pas pu être lue`,
  ],
  [
    /^the field name of part (\d+) contains a control character \((U\+[0-9A-F]+) at position (\d+)\), so the part could not be read$/,
    (n, c, at) =>
      `le nom de champ de la partie ${n} contient un caractère de contrôle (${c} en position ${at}) : la partie n’a pas pu être lue`,
  ],
  [
    /^the file name of part (\d+) could not be read$/,
    (n) => `le nom de fichier de la partie ${n} n’a pas pu être lu`,
  ],
  [/^unknown form field "(.*)"$/, (f) => `champ de formulaire inconnu : « ${f} »`],
  [
    /^the multipart body is malformed \((.*)\)$/,
    (why) => `le corps multipart est mal formé (${why})`,
  ],
  [/^the upload fields are invalid$/, () => 'les champs du téléversement sont invalides'],
  [/^the as-of quarter is required$/, () => 'le trimestre des prix (quarter) est requis'],
  [/^is required, e\.g\. (.+)$/, (e) => `est requis, par exemple ${e}`],
  [/^the file is empty$/, () => 'le fichier est vide'],
  [
    /^"(.*)" has problems; nothing was stored$/,
    (f) => `« ${f} » a des problèmes ; rien n’a été enregistré`,
  ],
  [
    /^"(.*)" is in a format we cannot read; upload CSV, XLSX, JSON rows or a LiteLLM price catalogue$/,
    (f) =>
      `« ${f} » est dans un format illisible ; envoyez un CSV, un XLSX, des lignes JSON ou un catalogue de prix LiteLLM`,
  ],
  [
    /^is in a format we cannot read; upload CSV, XLSX \(Excel Workbook\), JSON rows or a LiteLLM price catalogue$/,
    () =>
      'est dans un format illisible ; envoyez un CSV, un XLSX (classeur Excel), des lignes JSON ou un catalogue de prix LiteLLM',
  ],
  // A what-if's adjust (models/adjust.ts)
  [
    /^the adjustment \("adjust"\) takes (\d+) workloads? out of bounds; lower its multipliers$/,
    (n) =>
      `l’ajustement (« adjust ») sort ${n} charge${n === '1' ? '' : 's'} de ses bornes ; réduisez ses multiplicateurs`,
  ],
  [
    /^workload "(.+)": efficiency (\S+) × (\S+) = (\S+), must be < 1$/,
    (w, e, by, got) => `charge « ${w} » : efficacité ${e} × ${by} = ${got}, doit être < 1`,
  ],
  [
    /^workload "(.+)": growthPerQuarter (\S+) × (\S+) = (\S+): (.+)$/,
    (w, g, by, got, why) =>
      `charge « ${w} » : croissance par trimestre (growthPerQuarter) ${g} × ${by} = ${got} : ${translate(why, 'fr')}`,
  ],
  [
    /^the assumptions, scenarios and price sheets do not fit together$/,
    () => 'les hypothèses, les scénarios et les grilles tarifaires ne concordent pas',
  ],
  [
    /^no price sheet was uploaded for (\S+) or before but (\d+) refused in review, which price no forecast$/,
    (q, n) =>
      `aucune grille tarifaire n’a été téléversée pour ${q} ou avant, sauf ${n} refusée${n === '1' ? '' : 's'} en revue, qui ne chiffre${n === '1' ? '' : 'nt'} aucune prévision`,
  ],
  [
    /^a price sheet refused in review prices no forecast; name another version, or have it reviewed again$/,
    () =>
      'une grille tarifaire refusée en revue ne chiffre aucune prévision ; citez une autre version, ou faites-la revoir',
  ],
  [
    /^price sheet (\S+) was refused by (.+?) on (\d{4}-\d{2}-\d{2})(?:: (.*))?$/s,
    (id, by, on, note) =>
      `la grille tarifaire ${id} a été refusée par ${by} le ${on}${note ? ` : ${note}` : ''}`,
  ],
  [
    /^left out: price sheet (\S+) \((.+)\) was refused by (.+?) on (\d{4}-\d{2}-\d{2})(?:: (.*))?$/s,
    (id, what, by, on, note) =>
      `écartée : la grille tarifaire ${id} (${what}) a été refusée par ${by} le ${on}${note ? ` : ${note}` : ''}`,
  ],
  [
    /^four eyes: the key that uploaded this price-sheet version \((.*)\) cannot review it; another finance or admin key must$/s,
    (by) =>
      `quatre yeux : la clé qui a téléversé cette version de grille tarifaire (${by}) ne peut pas la revoir ; une autre clé finance ou administrateur doit le faire`,
  ],
  [/^a refusal needs a note saying why$/, () => 'un refus demande une note qui dit pourquoi'],
  [
    /^no price sheet was uploaded for (\S+) or before$/,
    (q) => `aucune grille tarifaire n’a été téléversée pour ${q} ou avant`,
  ],
  [
    /^give exactly one of "assumptions" \(inline\) and "assumptionsId"$/,
    () => 'donnez soit « assumptions » (en ligne), soit « assumptionsId », pas les deux',
  ],
  [
    /^give "priceSheetIds", or "asOf" to use the newest prices uploaded for that quarter or before$/,
    () =>
      'donnez « priceSheetIds », ou « asOf » pour prendre les prix les plus récents téléversés pour ce trimestre ou avant',
  ],
  [/^lists a price sheet twice$/, () => 'cite deux fois la même grille tarifaire'],

  // A workbook read back (POST /v1/assumptions with an XLSX body; server/ingest/workbook)
  [
    /^([^:]{1,80}!\$?[A-Z]+\$?\d+): ([a-zA-Z ]+): (.+)$/,
    (cell, what, rest) =>
      WORKBOOK_FIELDS[what] === undefined
        ? `${cell}: ${translate(`${what}: ${rest}`, 'fr')}`
        : `${cell}: ${WORKBOOK_FIELDS[what]}: ${translate(rest, 'fr')}`,
  ],
  [
    /^holds the formula (.+) without a computed value; type the value, or open and save the file in Excel or LibreOffice first$/,
    (f) =>
      `contient la formule ${f} sans valeur calculée ; tapez la valeur, ou ouvrez et enregistrez d’abord le fichier dans Excel ou LibreOffice`,
  ],
  [/^holds an error \((.+)\)$/, (e) => `contient une erreur (${e})`],
  [/^(\S+) is not a finite number$/, (v) => `${v} n’est pas un nombre fini`],
  [/^holds a value of an unknown kind$/, () => 'contient une valeur d’un type inconnu'],
  [
    /^is required \((\w+) is listed; delete its row to leave it out\)$/,
    (c) => `est requis (${c} est listée ; supprimez sa ligne pour l’omettre)`,
  ],
  [
    /^no row of the sheet "(.*)" has (.+) in column A, where a costcast Inputs sheet has its ([a-z ]+) \(in the block (.+)\)$/,
    (sheet, label, what, block) =>
      `aucune ligne de la feuille « ${sheet} » n’a ${frOr(label)} en colonne A, là où la feuille Hypothèses de costcast porte : ${WORKBOOK_FIELDS[what] ?? what} (dans le bloc ${frOr(block)})`,
  ],
  [
    /^the sheet "(.*)" has no block titled (.+) in column A, where a costcast Inputs sheet has that table$/,
    (sheet, label) =>
      `la feuille « ${sheet} » n’a pas de bloc intitulé ${frOr(label)} en colonne A, là où la feuille Hypothèses de costcast a ce tableau`,
  ],
  [
    /^the workloads table has no column (.+) in its header row$/,
    (label) => `le tableau des charges n’a pas de colonne ${frOr(label)} dans sa ligne d’en-tête`,
  ],
  [
    /^has no sheet (.+) \(its sheets: (.*)\); upload a workbook costcast wrote \(GET \/v1\/forecasts\/:id\/workbook or the CLI's --out\), or its (.+) sheet alone$/,
    (label, sheets, again) =>
      `n’a pas de feuille ${frOr(label)} (ses feuilles : ${sheets === 'none' ? 'aucune' : sheets}) ; envoyez un classeur écrit par costcast (GET /v1/forecasts/:id/workbook ou --out de la ligne de commande), ou sa seule feuille ${frOr(again)}`,
  ],
  [
    /^the sheet "(.*)" is not a costcast Inputs sheet: column A has no block titled (.+) or (.+); upload a workbook costcast wrote \(GET \/v1\/forecasts\/:id\/workbook or the CLI's --out\), or its (.+) sheet alone$/,
    (sheet, a, b, again) =>
      `la feuille « ${sheet} » n’est pas une feuille Hypothèses de costcast : sa colonne A n’a pas de bloc intitulé ${frOr(a)} ou ${frOr(b)} ; envoyez un classeur écrit par costcast (GET /v1/forecasts/:id/workbook ou --out de la ligne de commande), ou sa seule feuille ${frOr(again)}`,
  ],
  [
    /^the sheet "(.*)" has more than (\d+) rows; a costcast Inputs sheet has fewer$/,
    (sheet, n) =>
      `la feuille « ${sheet} » a plus de ${n} lignes ; une feuille Hypothèses de costcast en a moins`,
  ],
  [
    /^is not an XLSX workbook \(not a zip file: (.+)\); save it from Excel as "Excel Workbook \(\.xlsx\)"$/,
    (why) =>
      `n’est pas un classeur XLSX (pas un fichier zip : ${why}) ; enregistrez-le depuis Excel au format « Classeur Excel (.xlsx) »`,
  ],
  [
    /^send the assumptions as application\/json, or a costcast workbook as the XLSX media type or multipart\/form-data \(field "file"\)$/,
    () =>
      'envoyez les hypothèses en application/json, ou un classeur costcast avec le Content-Type du XLSX ou en multipart/form-data (champ « file »)',
  ],
  [
    /^the query parameters name and fileName are for workbook uploads; a JSON document is named by its "name"$/,
    () =>
      'les paramètres name et fileName servent aux classeurs téléversés ; un document JSON est nommé par son champ « name »',
  ],

  // The command line
  [/^--(\w[\w-]*) is required$/, (o) => `--${o} est obligatoire`],
  [
    /^--quarter must be a quarter like 2026-Q3 \(got "(.*)"\)$/s,
    (got) => `--quarter doit être un trimestre comme 2026-Q3 (reçu « ${got} »)`,
  ],
  [/^--locale must be en or fr$/, () => '--locale doit être en ou fr'],
  [
    /^unknown keys action "(.*)" \(try "keys create", "keys revoke" or "keys list"\)$/,
    (a) =>
      `action de clés inconnue « ${a} » (essayez « keys create », « keys revoke » ou « keys list »)`,
  ],
  [
    /^keys list takes no options \(got (.*)\)$/,
    (got) => `keys list ne prend aucune option (reçu ${got})`,
  ],
  [
    /^--id is required: the id of the key \(a UUID, see keys list or GET \/v1\/keys\)$/,
    () => '--id est requis : l’identifiant de la clé (un UUID, voir keys list ou GET /v1/keys)',
  ],
  [/^--role must be one of (.*)$/, (roles) => `--role doit être l’un de ${roles}`],
  [/^--name is required \(1 to 100 characters\)$/, () => '--name est requis (1 à 100 caractères)'],
  [/^at least one --prices file is required$/, () => 'il faut au moins un fichier --prices'],
  [
    /^--(\w[\w-]*) must be a whole number \(got "(.*)"\)$/,
    (o, v) => `--${o} doit être un nombre entier (reçu "${v}")`,
  ],
  [
    /^--(growth|efficiency) must be a decimal multiplier from 0 to (\d+), such as 1\.2 \(got "(.*)"\)$/s,
    (o, max, v) =>
      `--${o} doit être un multiplicateur décimal de 0 à ${max}, par exemple 1.2 (reçu "${v}")`,
  ],
  [
    /^--locale must be "en" or "fr" \(got "(.*)"\)$/,
    (v) => `--locale doit valoir "en" ou "fr" (reçu "${v}")`,
  ],
  [
    /^--generated-at must be an ISO date-time from 1980 on \(got "(.*)"\)$/,
    (v) => `--generated-at doit être une date-heure ISO à partir de 1980 (reçu "${v}")`,
  ],
  [
    /^--against adds the Changes sheet to the workbook: give --out too$/,
    () => '--against ajoute la feuille Écarts au classeur : donnez aussi --out',
  ],
  [/^unknown command "(.*)"$/, (c) => `commande inconnue "${c}"`],
  [/^Unknown option '([^']+)'/, (o) => `option inconnue '${o}'`],
  [/^Option '([^']+)' argument missing$/, (o) => `il manque la valeur de l’option '${o}'`],

  // Files and price-sheet rows
  [/^no such file$/, () => 'fichier introuvable'],
  [/^cannot read \((.+)\)$/, (c) => `lecture impossible (${c})`],
  [/^at least one --prices file is needed$/, () => 'il faut au moins un fichier --prices'],
  [/^is empty$/, () => 'est vide'],
  [
    /^is empty: no header line and no price rows$/,
    () => 'est vide : ni ligne d’en-tête ni ligne de prix',
  ],
  [/^has no price rows$/, () => 'n’a aucune ligne de prix'],
  [/^has no worksheet$/, () => 'n’a aucune feuille'],
  [
    /^"(.*)" is not a number \(write it like (.+) or (.+)\)$/,
    (v, a, b) => `« ${v} » n’est pas un nombre (écrivez-le comme ${a} ou ${b})`,
  ],
  [
    /^has (\d+) fields but the header has (\d+); check the separators and quotes on this line$/,
    (n, m) =>
      `a ${n} champ${Number(n) < 2 ? '' : 's'} mais l’en-tête en a ${m} ; vérifiez les séparateurs et les guillemets de cette ligne`,
  ],
  [
    /^is not valid CSV: the quote opened on line (\d+) is never closed$/,
    (l) => `n’est pas un CSV valide : le guillemet ouvert ligne ${l} n’est jamais fermé`,
  ],
  [/^is not valid CSV: (.+)$/, (why) => `n’est pas un CSV valide : ${why}`],
  [
    /^is not valid JSON: the file is empty$/,
    () => 'n’est pas du JSON valide : le fichier est vide',
  ],
  [
    /^is not valid JSON: (.+) at line (\d+), column (\d+)$/,
    (what, l, c) => `n’est pas du JSON valide : ${what} ligne ${l}, colonne ${c}`,
  ],
  [
    /^the required column (\w+) \(or (\w+)\) is missing; the header has (.+)$/,
    (c, s, found) =>
      `la colonne obligatoire ${c} (ou ${s}) manque ; l’en-tête a ${found === 'no names' ? 'aucun nom' : found}`,
  ],
  [
    /^duplicate column: "(.*)" \((.*)\) and "(.*)" \((.*)\) both name (\w+)$/,
    (a, wa, b, wb, c) =>
      `colonne en double : « ${a} » (${frWhere(wa)}) et « ${b} » (${frWhere(wb)}) désignent toutes deux ${c}`,
  ],
  [
    /^has more than ([\d,]+) price rows?; split the file$/,
    (n) => `a plus de ${n.replace(/,/g, '\u00A0')} lignes de prix ; découpez le fichier`,
  ],
  [
    /^… and (\d+) more problems?$/,
    (n) => `… et ${n} autre${n === '1' ? '' : 's'} problème${n === '1' ? '' : 's'}`,
  ],

  // Values (schemas)
  [/^is required$/, () => 'est requis'],
  [/^must be a string$/, () => 'doit être un texte'],
  [/^must not be empty$/, () => 'ne doit pas être vide'],
  [/^must be at most (\d+) characters$/, (n) => `doit faire au plus ${n} caractères`],
  [/^must be ≥ (\S+) \(got (.+)\)$/, (b, v) => `doit être ≥ ${b} (reçu ${v})`],
  [/^must be ≤ (\S+) \(got (.+)\)$/, (b, v) => `doit être ≤ ${b} (reçu ${v})`],
  [/^must be > (\S+) \(got (.+)\)$/, (b, v) => `doit être > ${b} (reçu ${v})`],
  [/^must be < (\S+) \(got (.+)\)$/, (b, v) => `doit être < ${b} (reçu ${v})`],
  [/^must be ≥ (\S+)$/, (b) => `doit être ≥ ${b}`],
  [/^(.+) is not a decimal number$/, (v) => `${frGot(v)} n’est pas un nombre décimal`],
  [
    /^must be a decimal written as a string, such as "0\.12" \(got (.+)\)$/,
    (v) =>
      `doit être un nombre décimal écrit comme un texte, par exemple "0.12" (reçu ${frGot(v)})`,
  ],
  [/^must be a currency code such as "USD"$/, () => 'doit être un code de devise comme "USD"'],
  [
    /^must be a three-letter ISO 4217 code in capitals, such as "USD"$/,
    () => 'doit être un code ISO 4217 de trois lettres majuscules, comme "USD"',
  ],
  [/^must be a quarter such as "(\d{4}-Q\d)"$/, (q) => `doit être un trimestre écrit comme "${q}"`],
  [
    /^must be a whole number of quarters from 1 to (\d+)$/,
    (n) => `doit être un nombre entier de trimestres de 1 à ${n}`,
  ],
  [/^must be a whole number of quarters$/, () => 'doit être un nombre entier de trimestres'],
  [/^must be at most (\d+) quarters$/, (n) => `doit être d’au plus ${n} trimestres`],
  [/^must be a month number from 1 to 12$/, () => 'doit être un numéro de mois de 1 à 12'],
  [/^must be a whole number from 0 to (\d+)$/, (n) => `doit être un nombre entier de 0 à ${n}`],
  [/^must be a UUID$/, () => 'doit être un UUID'],
  // GET /v1/audit
  [
    /^must be an ISO 8601 date-time with its time zone, e\.g\. (\S+)$/,
    (e) => `doit être une date-heure ISO 8601 avec son fuseau horaire, par exemple ${e}`,
  ],
  [/^must be a key id \(a UUID\)$/, () => 'doit être l’identifiant d’une clé (un UUID)'],
  [
    /^must be an event id \(a positive integer\)$/,
    () => 'doit être l’identifiant d’un événement (un entier positif)',
  ],
  [/^must be after from$/, () => 'doit être postérieur à from'],
  [
    /^budget keys are fiscal years such as "(FY\d{4})"$/,
    (fy) => `les clés du budget sont des exercices comme "${fy}"`,
  ],
  [/^needs at least one workload$/, () => 'il faut au moins une charge de travail'],
  [
    /^duplicate workload id "(.*)" \(first used by workloads\[(\d+)\]\)$/,
    (id, i) => `identifiant de charge "${id}" en double (déjà utilisé par workloads[${i}])`,
  ],
  [/^provider "(.*)" is listed twice$/, (p) => `le fournisseur « ${p} » est listé deux fois`],
  [/^duplicate scenario id "(.*)"$/, (id) => `identifiant de scénario "${id}" en double`],
  [
    /^ends \((.+)\) before it starts \((.+)\)$/,
    (to, from) => `finit (${to}) avant de commencer (${from})`,
  ],
  [
    /^a delay is a whole number of quarters, or "\+N" for the base delay \+ N$/,
    () => 'un retard est un nombre entier de trimestres, ou "+N" pour le retard de base + N',
  ],
  [
    /^is nested too deeply \(more than (\d+) levels\)$/,
    (n) => `est imbriqué trop profondément (plus de ${n} niveaux)`,
  ],
  [
    /^the key "(.*)" is not allowed \(it could change an object's prototype\)$/,
    (k) => `la clé "${k}" est interdite (elle pourrait changer le prototype d’un objet)`,
  ],

  // zod's own messages
  [
    /^Invalid input: expected (\w+), received (\w+)$/,
    (e, r) => `valeur invalide : ${type(e)} attendu, ${type(r)} reçu`,
  ],
  [
    /^Invalid option: expected one of (.+)$/,
    (list) => `option invalide : une valeur parmi ${list} attendue`,
  ],
  [/^Unrecognized keys?: (.+)$/, (keys) => `clé(s) inconnue(s) : ${keys}`],
  [
    /^Too small: expected (\w+) to have >=?(\d+) (items|characters)$/,
    (t, n, u) =>
      `trop court : ${type(t)} d’au moins ${n} ${u === 'items' ? 'éléments' : 'caractères'} attendu`,
  ],
  [
    /^Too big: expected (\w+) to have <=?(\d+) (items|characters)$/,
    (t, n, u) =>
      `trop long : ${type(t)} d’au plus ${n} ${u === 'items' ? 'éléments' : 'caractères'} attendu`,
  ],
  [
    /^Too small: expected (\w+) to be (>=?)(\S+)$/,
    (t, op, n) => `trop petit : ${type(t)} ${op === '>' ? '>' : '≥'} ${n} attendu`,
  ],
  [
    /^Too big: expected (\w+) to be (<=?)(\S+)$/,
    (t, op, n) => `trop grand : ${type(t)} ${op === '<' ? '<' : '≤'} ${n} attendu`,
  ],
  [/^Invalid UUID$/, () => 'UUID invalide'],
  [/^Invalid input$/, () => 'valeur invalide'],

  // Joining assumptions with prices
  [
    /^unit "(.*)" differs from the PricingUnit "(.*)" of (.+) \((.+)\); costcast never converts units silently$/,
    (u, pu, sku, at) =>
      `l’unité « ${u} » diffère de l’unité de prix (PricingUnit) « ${pu} » de ${sku} (${at}) ; costcast ne convertit jamais les unités en silence`,
  ],
  [
    /^no FX rate for (\w+) \(price of (.+)\); add (.+)$/,
    (c, of, add) => `aucun taux de change pour ${c} (prix de ${of}) ; ajoutez ${add}`,
  ],
  [
    /^SKU "(.*)" of provider "(.*)"( in region "(.*)")? is in none of the (\d+) price sheets?(; candidates: (.+))?$/,
    (sku, p, _r, region, n, _c, candidates) =>
      `le SKU « ${sku} » du fournisseur « ${p} »${region ? ` dans la région « ${region} »` : ''} n’est dans ${n === '1' ? 'aucune grille tarifaire' : `aucune des ${n} grilles tarifaires`}${candidates ? ` ; candidats : ${candidates}` : ''}`,
  ],
  [
    /^SKU "(.*)" of provider "(.*)"( in region "(.*)")? has (\d+) different prices( \(name a region to choose one\))?: (.+)$/,
    (sku, p, _r, region, n, hint, list) =>
      `le SKU « ${sku} » du fournisseur « ${p} »${region ? ` dans la région « ${region} »` : ''} a ${n} prix différents${hint ? ' (nommez une région pour en choisir un)' : ''} : ${list}`,
  ],
  [
    /^no workload has "(.*)" as its primary provider \(used: (.*)\)$/,
    (p, used) => `aucune charge n’a « ${p} » pour fournisseur principal (utilisés : ${used})`,
  ],
];

/** An approval blocker: "price sheet <id> (2026-Q1) is stale" → "la grille tarifaire <id> (2026-Q1) est périmée". */
const frBlocker = (text: string) =>
  text
    .replace(/^price sheet (\S+)/, 'la grille tarifaire $1')
    .replace(/ is stale$/, ' est périmée')
    .replace(/ is unreviewed$/, ' n’a pas été revue');
/** The values a workbook issue names (server/ingest/workbook/inputs.ts), in French. */
const WORKBOOK_FIELDS: Readonly<Record<string, string>> = {
  'model name': 'nom du modèle',
  'reporting currency': 'devise de présentation',
  'first quarter': 'premier trimestre',
  horizon: 'horizon',
  'fiscal year start month': 'mois de début de l’exercice',
  'exchange rate': 'taux de change',
  budget: 'budget',
  provider: 'fournisseur',
  jurisdiction: 'juridiction',
  'workload name': 'nom de la charge',
  'workload id': 'identifiant de la charge',
  category: 'catégorie',
  SKU: 'SKU',
  region: 'région',
  unit: 'unité',
  'base quantity': 'quantité de base',
  'growth per quarter': 'croissance par trimestre',
  efficiency: 'efficacité',
  'fallback provider': 'fournisseur de secours',
  'fallback SKU': 'SKU de secours',
  'fallback region': 'région de secours',
};

/** Labels given in both languages: `"Growth" (or "Croissance")` → `"Growth" (ou "Croissance")`. */
const frOr = (labels: string) => labels.replace(/" \(or "/g, '" (ou "');

/** A CSV column's place: "column 3" → "colonne 3". */
const frWhere = (where: string) => where.replace(/^column (\d+)$/, 'colonne $1');
/** What a value was: "nothing", "the number 3", or its JSON. */
const frGot = (v: string) =>
  v === 'nothing' ? 'rien' : v.replace(/^the number (.+)$/, 'le nombre $1');

/**
 * A message in `locale`: English as it is; French by the first rule whose English shape it
 * has, else left in English. A price-sheet cell issue may start with its cell's label
 * ("Sheet1!D3: "); that prefix is kept.
 * @example translate('the API key is invalid or revoked', 'fr') //=> "la clé d’API est invalide ou révoquée"
 */
export function translate(message: string, locale: MessageLocale): string {
  if (locale === 'en') return message;
  for (const [pattern, french] of RULES) {
    const m = pattern.exec(message);
    if (m) return french(...m.slice(1).map((g) => g ?? ''));
  }
  // A label before the message, e.g. a worksheet cell "Prices!D3: is required".
  const [, label, rest] = /^([^:]{1,80}!\$?[A-Z]+\$?\d+: )(.+)$/.exec(message) ?? [];
  if (label !== undefined && rest !== undefined) return `${label}${translate(rest, locale)}`;
  return message;
}

/**
 * The language of an `Accept-Language` header: French when French is preferred to English
 * (by quality, then order), English otherwise and by default.
 * @example negotiate('fr-FR,fr;q=0.9,en;q=0.8') //=> "fr"
 * @example negotiate('de-DE, en;q=0.5') //=> "en"
 */
export function negotiate(header: string | undefined): MessageLocale {
  if (!header) return 'en';
  let best: { locale: MessageLocale; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary !== 'fr' && primary !== 'en') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale: primary, q };
  }
  return best?.locale ?? 'en';
}

/**
 * The CLI's language from the environment, as POSIX programs read it: `LC_ALL`, then
 * `LC_MESSAGES`, then `LANG`; French when that starts with "fr" (`fr_FR.UTF-8`).
 * @example localeFromEnv({ LANG: 'fr_FR.UTF-8' }) //=> "fr"
 */
export function localeFromEnv(env: NodeJS.ProcessEnv): MessageLocale {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^fr([_.@-]|$)/i.test(value) ? 'fr' : 'en';
}
