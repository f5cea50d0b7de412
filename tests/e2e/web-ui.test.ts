import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, repoPath } from '../server/helper.ts';
import { type ServerProcess, startServer } from '../server/process.ts';

/**
 * The web interface as a person uses it: the current web/ source built into a temp folder, a
 * real server on a temp data directory, the bank sample's sheets uploaded and its forecast
 * created, submitted and approved through the API by two people, then Debian's Chromium
 * (headless, driven by playwright-core) at 1366×768: sign in → CFO page → the numbers equal
 * the API's → French → sign out; CSRF refused without the token; the key never in the page's
 * storage; axe-core on every page; no CSP violation. Screenshots of every page in both
 * languages go to artifacts/screenshots/ (gitignored).
 */
const CHROMIUM = '/usr/bin/chromium';
const ADMIN = 'cc_web_test_admin_key_0123456789ABCDEF';
const SHOTS = repoPath('artifacts/screenshots');
const VIEWPORT = { width: 1366, height: 768 };

interface Forecast {
  id: string;
  status: string;
  forecast: {
    currency: string;
    fiscalYears: string[];
    scenarios: {
      id: string;
      name: string;
      total: string;
      byFiscalYear: Record<string, { total: string }>;
    }[];
  };
}

/** The browser's globals the test reads, typed here (the tests' tsconfig has no DOM library). */
interface PageGlobals {
  readonly localStorage: Record<string, string>;
  readonly sessionStorage: Record<string, string>;
  readonly document: {
    readonly cookie: string;
    readonly documentElement: { readonly lang: string };
  };
  readonly axe: {
    run: () => Promise<{
      violations: { id: string; impact: string; help: string; nodes: unknown[] }[];
    }>;
  };
}

/** An amount as the page shows it, back to the API's decimal string. */
function amountOf(text: string, locale: 'en' | 'fr'): string {
  const bare = text.replace(/\s*MAD$/u, '').replace(/[\s\u00a0\u202f]/gu, '');
  return locale === 'fr' ? bare.replace(/\./g, '').replace(',', '.') : bare.replace(/,/g, '');
}

describe('the web interface in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costcast-web-'));
  const webDir = join(dir, 'web');
  let server: ServerProcess;
  let browser: Browser;
  const keys: Record<string, string> = {};
  let approved: Forecast;

  const call = async <T>(method: string, path: string, key: string, body?: unknown) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'web/build.ts'], {
      cwd: repoPath('.'),
      env: { ...process.env, COSTCAST_WEB_DIR: webDir },
    });
    server = await startServer({
      DATA_DIR: join(dir, 'data'),
      COSTCAST_ADMIN_KEY: ADMIN,
      COSTCAST_WEB_DIR: webDir,
    });
    for (const [name, role] of [
      ['Amina (analyst)', 'analyst'],
      ['Youssef (finance)', 'finance'],
      ['Salma (CFO)', 'viewer'],
    ] as const)
      keys[role] = (await call<{ key: string }>('POST', '/v1/keys', ADMIN, { name, role })).key;

    // The bank sample, as finance and an analyst would send it.
    const sheetIds: string[] = [];
    for (const f of readdirSync(repoPath('fixtures/bank-ma/prices')).sort()) {
      const [, year, q] = /(\d{4})Q(\d)/.exec(f) ?? [];
      const r = await fetch(`${server.url}/v1/price-sheets?quarter=${year}-Q${q}&fileName=${f}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${keys['finance']}`,
          'content-type': f.endsWith('.json') ? 'application/json' : 'text/csv',
        },
        body: fixture(`fixtures/bank-ma/prices/${f}`),
      });
      expect(r.status, await r.clone().text()).toBe(201);
      sheetIds.push(((await r.json()) as { id: string }).id);
    }
    const read = (f: string) => JSON.parse(fixture(`fixtures/bank-ma/${f}`).toString('utf8'));
    const created = await call<Forecast>('POST', '/v1/forecasts', keys['analyst']!, {
      assumptions: read('assumptions.json'),
      scenarios: read('scenarios.json'),
      priceSheetIds: sheetIds,
      draws: 2000,
    });
    await call('POST', `/v1/forecasts/${created.id}/submit`, keys['analyst']!);
    // The sample's sheets are not reviewed and some are stale: the approval acknowledges it.
    await call('POST', `/v1/forecasts/${created.id}/approve`, keys['finance']!, {
      acknowledge: { reason: 'the sample’s public prices, checked by hand' },
    });
    approved = await call<Forecast>('GET', `/v1/forecasts/${created.id}`, keys['viewer']!);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      // Playwright's 30 s defaults are a speed limit; the test's own timeout catches a hang.
      timeout: 300_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A fresh browser profile at 1366×768, recording CSP violations and script errors. */
  async function open(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(300_000);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return { context, page, problems };
  }

  const axeSource = readFileSync(repoPath('node_modules/axe-core/axe.min.js'), 'utf8');

  /** axe-core's serious and critical violations on the page (its source evaluated, not injected as a script the CSP would refuse). */
  async function axe(page: Page): Promise<string[]> {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(
      async () => (await (globalThis as unknown as PageGlobals).axe.run()).violations,
    );
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)`);
  }

  /** The end of the server's output and how it exited, for a failure's report. */
  const serverTail = () =>
    `exit ${server.child.exitCode ?? '-'} signal ${server.child.signalCode ?? '-'}\n${server.output().slice(-4000)}`;

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it("the sample's API numbers are the ones the README states", () => {
    // README: the bank sample on time 1,549,133.93 MAD, delayed 2,084,827.20 MAD (the CLI on
    // the same files; the service pins the same sheets).
    expect(approved.status).toBe('approved');
    const totals = Object.fromEntries(approved.forecast.scenarios.map((s) => [s.id, s.total]));
    expect(totals['on-time']).toBe('1549133.93');
    expect(totals['delayed']).toBe('2084827.20');
  });

  it('signs in, shows the approved numbers in English and French, and signs out', async () => {
    const { context, page, problems } = await open();
    const timings: Record<string, number | number[]> = {};
    try {
      await page.goto(`${server.url}/`);
      await page.getByLabel('API key').waitFor();
      expect(new URL(page.url()).pathname).toBe('/signin');
      await shot(page, 'signin-en');
      expect(await axe(page)).toEqual([]);

      // A wrong key is refused in the page, in words.
      await page.getByLabel('API key').fill('cc_not_a_key_at_all_0123456789');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/invalid or revoked/);

      const started = Date.now();
      // By keyboard: Enter in the field submits the form.
      await page.getByLabel('API key').fill(keys['finance']!);
      await page.getByLabel('API key').press('Enter');
      await page.locator('#totals tbody tr').first().waitFor();
      await page.locator('.plot canvas').first().waitFor();
      timings['signInToCfo'] = Date.now() - started;
      expect(new URL(page.url()).pathname).toBe('/cfo');
      // The first Tab stop is the link that skips to the content, and it goes there.
      await page.keyboard.press('Tab');
      const focused = () =>
        page.evaluate(() => {
          const d = (
            globalThis as unknown as {
              document: { activeElement: { id: string; textContent: string } | null };
            }
          ).document;
          return { id: d.activeElement?.id ?? '', text: d.activeElement?.textContent ?? '' };
        });
      expect((await focused()).text).toBe('Skip to the content');
      await page.keyboard.press('Enter');
      expect((await focused()).id).toBe('main');
      // The key is gone from the form, from the page's storage and from its cookies.
      const storage = await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        return JSON.stringify({
          ...g.localStorage,
          ...g.sessionStorage,
          cookie: g.document.cookie,
        });
      });
      expect(storage).not.toContain(keys['finance']!);
      expect(storage).not.toContain('cc_');
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie),
      ).toBe('');
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === 'costcast_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(JSON.stringify(cookies)).not.toContain(keys['finance']!);

      // The nav follows the role: finance sees the CFO page, its own page and the analyst's;
      // not the administrator's.
      const nav = page.getByRole('navigation', { name: 'Pages' });
      await expect
        .poll(() => nav.getByRole('link').allTextContents())
        .toEqual(['CFO', 'Finance', 'Analyst']);

      // The totals shown are the API's, scenario by scenario, and the fiscal years too.
      const checkNumbers = async (locale: 'en' | 'fr') => {
        for (const s of approved.forecast.scenarios) {
          const cell = page.locator(`#totals tr[data-scenario="${s.id}"] td`).first();
          expect(amountOf((await cell.textContent()) ?? '', locale)).toBe(s.total);
          for (const fy of approved.forecast.fiscalYears) {
            const fyCell = page
              .locator(`#fiscal-years tr[data-scenario="${s.id}"][data-fiscal-year="${fy}"] td`)
              .nth(1);
            expect(amountOf((await fyCell.textContent()) ?? '', locale)).toBe(
              s.byFiscalYear[fy]!.total,
            );
          }
        }
      };
      await checkNumbers('en');
      const onTime = page.locator('#totals tr[data-scenario="on-time"] td').first();
      expect(await onTime.textContent()).toBe('1,549,133.93\u00a0MAD');
      await shot(page, 'cfo-en');
      expect(await axe(page)).toEqual([]);

      // First render of the CFO page, measured (not asserted) for bench/RESULTS.md: from the
      // navigation to the totals and the chart drawn, the session already open.
      const renders: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = Date.now();
        await page.goto(`${server.url}/cfo`);
        await page.locator('#totals tbody tr').first().waitFor();
        await page.locator('.plot canvas').first().waitFor();
        renders.push(Date.now() - t0);
      }
      renders.sort((a, b) => a - b);
      timings['cfoFirstRenderMs'] = renders;
      timings['cfoFirstRenderP50Ms'] = renders[3]!;

      // The workbook downloads from the page, in English.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Workbook in English (.xlsx)' }).click(),
      ]);
      // Chromium names it from filename* (the written name, accents included).
      expect(download.suggestedFilename()).toMatch(/approved\)?\.xlsx$/);
      const saved = join(dir, download.suggestedFilename());
      await download.saveAs(saved);
      expect(readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');

      // The Finance and Analyst pages have their own tests (web-finance, web-analyst).

      // French: the language switch, then the same numbers written the French way.
      await page.getByRole('link', { name: 'CFO' }).click();
      await page.locator('#totals tbody tr').first().waitFor();
      await page.getByLabel('Language').selectOption('fr');
      await page
        .getByRole('heading', { level: 1, name: 'La prévision approuvée du trimestre' })
        .waitFor();
      expect(
        await page.evaluate(
          () => (globalThis as unknown as PageGlobals).document.documentElement.lang,
        ),
      ).toBe('fr');
      await checkNumbers('fr');
      expect(await onTime.textContent()).toBe('1\u202f549\u202f133,93\u00a0MAD');
      await expect
        .poll(() => nav.getByRole('link').allTextContents())
        .toEqual(['DAF', 'Finance', 'Analyste']);
      await shot(page, 'cfo-fr');
      expect(await axe(page)).toEqual([]);

      // A write made with the cookie but without the CSRF token is refused.
      const csrf = await page.evaluate(async (id) => {
        const r = await fetch(`/v1/forecasts/${id}/reject`, { method: 'POST' });
        return { status: r.status, body: (await r.json()) as { error: { message: string } } };
      }, approved.id);
      expect(csrf.status).toBe(403);
      expect(csrf.body.error.message).toMatch(/CSRF/);
      expect(
        (await call<Forecast>('GET', `/v1/forecasts/${approved.id}`, keys['viewer']!)).status,
      ).toBe('approved');

      // Signing out ends the session on the server, not only in the browser.
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.getByLabel('Clé d’API').waitFor();
      await shot(page, 'signin-fr');
      expect(await axe(page)).toEqual([]);
      const replay = await fetch(`${server.url}/v1/session`, {
        headers: { cookie: `costcast_session=${session!.value}` },
      });
      expect(replay.status).toBe(401);
      expect(problems).toEqual([]);
    } catch (e) {
      await shot(page, 'failed-cfo');
      process.stdout.write(`page problems: ${problems.join('\n')}\nserver: ${serverTail()}\n`);
      throw e;
    } finally {
      writeFileSync(join(SHOTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
      await context.close();
    }
  });

  it('a viewer sees only the CFO page, and a revoked key ends its session', async () => {
    const { context, page, problems } = await open();
    try {
      await page.goto(`${server.url}/analyst`);
      await page.getByLabel('API key').fill(keys['viewer']!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Asked for a page the role does not have: the CFO page instead, and only it in the nav.
      await page.locator('#totals tbody tr').first().waitFor();
      expect(new URL(page.url()).pathname).toBe('/cfo');
      const nav = page.getByRole('navigation', { name: 'Pages' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['CFO']);
      await page.goto(`${server.url}/analyst`);
      await page.getByText('There is no page here.').waitFor();

      const { items } = await call<{ items: { id: string; name: string }[] }>(
        'GET',
        '/v1/keys',
        ADMIN,
      );
      const viewerKey = items.find((k) => k.name === 'Salma (CFO)')!;
      const r = await fetch(`${server.url}/v1/keys/${viewerKey.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(r.status).toBe(204);
      await page.reload();
      await page.getByLabel('API key').waitFor();
      expect(new URL(page.url()).pathname).toBe('/signin');
      expect(problems).toEqual([]);
    } catch (e) {
      await shot(page, 'failed-viewer');
      process.stdout.write(`page problems: ${problems.join('\n')}\nserver: ${serverTail()}\n`);
      throw e;
    } finally {
      await context.close();
    }
  });
});
