import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysCommand } from '../../server/cli/keys.ts';
import { localeFromEnv, negotiate, translate } from '../../server/http/messages.ts';
import { bearer, buildTestApp, fixture, type TestApp } from './helper.ts';

// Every expected French sentence below is written by hand.

describe('the language of a message', () => {
  it('follows Accept-Language: French only when preferred to English', () => {
    expect(negotiate(undefined)).toBe('en');
    expect(negotiate('')).toBe('en');
    expect(negotiate('fr')).toBe('fr');
    expect(negotiate('fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('fr');
    expect(negotiate('en-GB,fr;q=0.5')).toBe('en');
    expect(negotiate('de-DE,fr-CA;q=0.4')).toBe('fr');
    expect(negotiate('de-DE')).toBe('en');
    expect(negotiate('fr;q=0, en;q=0.1')).toBe('en');
  });

  it('follows LC_ALL, LC_MESSAGES, then LANG in the CLI', () => {
    expect(localeFromEnv({ LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(localeFromEnv({ LANG: 'fr' })).toBe('fr');
    expect(localeFromEnv({ LANG: 'fr_MA.UTF-8', LC_ALL: 'C.UTF-8' })).toBe('en');
    expect(localeFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'fr_BE' })).toBe('fr');
    expect(localeFromEnv({ LANG: 'fy_NL' })).toBe('en');
    expect(localeFromEnv({})).toBe('en');
  });

  it('translates the messages a user meets, and leaves unknown ones in English', () => {
    const cases: [string, string][] = [
      ['must be < 1 (got 1.5)', 'doit être < 1 (reçu 1.5)'],
      [
        '"1O" is not a number (write it like 2.50 or 1,250.50)',
        '« 1O » n’est pas un nombre (écrivez-le comme 2.50 ou 1,250.50)',
      ],
      [
        'has 7 fields but the header has 5; check the separators and quotes on this line',
        'a 7 champs mais l’en-tête en a 5 ; vérifiez les séparateurs et les guillemets de cette ligne',
      ],
      [
        'unit "1K tokens" differs from the PricingUnit "1M tokens" of Acme acme-chat (prices.csv:2); costcast never converts units silently',
        'l’unité « 1K tokens » diffère de l’unité de prix (PricingUnit) « 1M tokens » de Acme acme-chat (prices.csv:2) ; costcast ne convertit jamais les unités en silence',
      ],
      [
        'SKU "gpt-9" of provider "OpenAI" is in none of the 7 price sheets',
        'le SKU « gpt-9 » du fournisseur « OpenAI » n’est dans aucune des 7 grilles tarifaires',
      ],
      [
        'Invalid input: expected string, received number',
        'valeur invalide : un texte attendu, un nombre reçu',
      ],
      ['Unrecognized key: "colour"', 'clé(s) inconnue(s) : "colour"'],
      ['… and 1 more problem', '… et 1 autre problème'],
      [
        'this is the last active admin key; create another admin key first',
        'c’est la dernière clé administrateur active ; créez d’abord une autre clé administrateur',
      ],
      ['… and 12 more problems', '… et 12 autres problèmes'],
      ['Prices!D3: must be ≥ 0 (got -1)', 'Prices!D3: doit être ≥ 0 (reçu -1)'],
      [
        "the form's file could not be read: the Content-Disposition header of part 2 contains a control character (U+0000 at position 10), so the part could not be read",
        'le fichier du formulaire n’a pas pu être lu : l’en-tête Content-Disposition de la partie 2 contient un caractère de contrôle (U+0000 en position 10) : la partie n’a pas pu être lue',
      ],
      [
        'the Content-Disposition header of part 2 is "attachment", not form-data, so the part could not be read',
        'l’en-tête Content-Disposition de la partie 2 est « attachment », pas form-data : la partie n’a pas pu être lue',
      ],
      ['something nobody wrote a rule for', 'something nobody wrote a rule for'],
    ];
    for (const [en, fr] of cases) {
      expect(translate(en, 'fr')).toBe(fr);
      expect(translate(en, 'en')).toBe(en);
    }
  });
});

describe('the keys command’s usage errors', () => {
  it('each have a French form: the messages keysCommand throws, translated', async () => {
    const thrown = async (argv: string[]) =>
      keysCommand(argv).then(
        () => '',
        (e: Error) => e.message,
      );
    const french = await Promise.all(
      [
        ['delete'],
        ['list', '--json'],
        ['revoke', '--id', 'abc'],
        ['create', '--role', 'root', '--name', 'x'],
        ['create', '--role', 'viewer'],
      ].map(async (argv) => translate(await thrown(argv), 'fr')),
    );
    expect(french).toEqual([
      'action de clés inconnue « delete » (essayez « keys create », « keys revoke » ou « keys list »)',
      'keys list ne prend aucune option (reçu --json)',
      '--id est requis : l’identifiant de la clé (un UUID, voir keys list ou GET /v1/keys)',
      '--role doit être l’un de viewer, analyst, finance, admin',
      '--name est requis (1 à 100 caractères)',
    ]);
  });
});

describe('API errors in the language of Accept-Language', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ config: { limits: { jsonBodyBytes: 2048 } as never } });
  });
  afterAll(() => t?.close());

  const FR = { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' };
  async function both(req: InjectOptions) {
    const en = await t.app.inject(req);
    const fr = await t.app.inject({ ...req, headers: { ...req.headers, ...FR } });
    expect(fr.statusCode).toBe(en.statusCode);
    // The machine-readable code never changes with the language.
    expect(fr.json().error.code).toBe(en.json().error.code);
    expect(en.headers['content-language']).toBe('en');
    expect(fr.headers['content-language']).toBe('fr');
    return { en: en.json().error, fr: fr.json().error, status: en.statusCode };
  }

  it('401 and 403', async () => {
    const none = await both({ method: 'GET', url: '/v1/forecasts' });
    expect(none.status).toBe(401);
    expect(none.fr.message).toBe('une clé d’API est requise : Authorization: Bearer <clé>');
    const bad = await both({ method: 'GET', url: '/v1/forecasts', headers: bearer('cc_nope') });
    expect(bad.fr.message).toBe('la clé d’API est invalide ou révoquée');
    const role = await both({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer(t.keys.viewer),
      payload: { name: 'x', role: 'viewer' },
    });
    expect(role.status).toBe(403);
    expect(role.en.message).toBe('this needs the admin role or above; the key has viewer');
    expect(role.fr.message).toBe(
      'il faut le rôle administrateur (admin) ou un rôle supérieur ; cette clé a le rôle lecteur (viewer)',
    );
  });

  it('404', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const r = await both({
      method: 'GET',
      url: `/v1/forecasts/${id}`,
      headers: bearer(t.keys.viewer),
    });
    expect(r.status).toBe(404);
    expect(r.fr.message).toBe(`la prévision ${id} est introuvable`);
    const route = await both({ method: 'GET', url: '/v1/nowhere' });
    expect(route.fr.message).toBe('aucune route GET /v1/nowhere');
  });

  it('413 and 415', async () => {
    const big = await both({
      method: 'POST',
      url: '/v1/assumptions',
      headers: { ...bearer(t.keys.analyst), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(4000) }),
    });
    expect(big.status).toBe(413);
    expect(big.fr.message).toBe('le corps de la requête dépasse la taille permise');
    const plain = await both({
      method: 'POST',
      url: '/v1/price-sheets?quarter=2026-Q3',
      headers: { ...bearer(t.keys.finance), 'content-type': 'image/png' },
      payload: Buffer.from('not a sheet'),
    });
    expect(plain.status).toBe(415);
    expect(plain.fr.message).not.toBe(plain.en.message);
    expect(plain.fr.message).toMatch(/^(ce Content-Type n’est pas accepté ici|envoyez le fichier)/);
  });

  it('422 with each row’s problem, located as in English', async () => {
    const csv = [
      'ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency',
      'Acme,a,1M tokens,1O,USD',
      'Acme,b,1M tokens,2,USD,extra',
      'Acme,c,1M tokens,-1,USD',
    ].join('\n');
    const r = await both({
      method: 'POST',
      url: '/v1/price-sheets?quarter=2026-Q3',
      headers: { ...bearer(t.keys.finance), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(r.status).toBe(422);
    expect(r.fr.message).toMatch(/^« .* » a des problèmes ; rien n’a été enregistré$/);
    expect(r.fr.issues.map((i: { row: number }) => i.row)).toEqual(
      r.en.issues.map((i: { row: number }) => i.row),
    );
    // The lines of the wrong width first, then the cells, as in English.
    expect(r.fr.issues.map((i: { message: string }) => i.message)).toEqual([
      'a 6 champs mais l’en-tête en a 5 ; vérifiez les séparateurs et les guillemets de cette ligne',
      '« 1O » n’est pas un nombre (écrivez-le comme 2.50 ou 1,250.50)',
      'doit être ≥ 0 (reçu -1)',
    ]);
  });

  it('400 with the assumptions’ problems, fields unchanged', async () => {
    const tiny = JSON.parse(fixture('fixtures/tiny/assumptions.json').toString('utf8'));
    tiny.workloads[1].efficiency = '1.5';
    tiny.reportingCurrency = 'euro';
    tiny.horizonQuarters = 0;
    const r = await both({
      method: 'POST',
      url: '/v1/assumptions',
      headers: bearer(t.keys.analyst),
      payload: tiny,
    });
    expect(r.status).toBe(400);
    expect(r.fr.message).toBe('le corps de la requête est invalide');
    const byField = Object.fromEntries(
      r.fr.issues.map((i: { field: string; message: string }) => [i.field, i.message]),
    );
    expect(byField).toEqual({
      horizonQuarters: 'doit être un nombre entier de trimestres de 1 à 40',
      reportingCurrency: 'doit être un code ISO 4217 de trois lettres majuscules, comme "USD"',
      'workloads.1.efficiency': 'doit être < 1 (reçu 1.5)',
    });
  });
});
