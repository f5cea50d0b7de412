import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { fixture, repoPath } from '../server/helper.ts';
import { freshPostgres, type ServerProcess, startServer } from '../server/process.ts';

/*
 * What every browser suite sets up, once: the current web/ source built into a temp folder,
 * a real server process on a temp data directory (the embedded database, or a fresh PostgreSQL
 * database when the suite asks for it and TEST_DATABASE_URL is set, as in CI), keys for the
 * people of the test, Debian's Chromium driven by playwright-core, axe-core and screenshots. A suite
 * calls `startWeb` in its beforeAll and `close` in its afterAll.
 */

const CHROMIUM = '/usr/bin/chromium';
/** Where screenshots and timings go (gitignored; CI publishes the folder). */
export const SHOTS = repoPath('artifacts/screenshots');
/** A 1366×768 laptop screen, the size the issue asks pages to be readable at. */
export const VIEWPORT = { width: 1366, height: 768 } as const;

export type Role = 'viewer' | 'analyst' | 'finance' | 'admin';
/** The people of a test: a handle the test uses → the key's name and role. */
export type People = Readonly<Record<string, readonly [name: string, role: Role]>>;

/** The browser's globals the suites read (the tests' tsconfig has no DOM library). */
interface AxeGlobals {
  readonly axe: {
    run: () => Promise<{
      violations: { id: string; impact: string; help: string; nodes: unknown[] }[];
    }>;
  };
}

export interface OpenPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Script errors, CSP violations and console errors not matched by `allow`. */
  readonly problems: string[];
}

export interface WebHarness {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** The temp folder of this suite (data directory, built web, downloaded files). */
  readonly dir: string;
  readonly adminKey: string;
  /** The database the server runs on. */
  readonly database: 'PGlite' | 'PostgreSQL';
  /** Each person's key, by the handle given to `startWeb`. */
  readonly keys: Readonly<Record<string, string>>;
  /** A JSON call with a key; throws with the status and body unless 2xx. */
  call<T>(method: string, path: string, key: string, body?: unknown): Promise<T>;
  /** A raw price-sheet upload that must be stored (201); its id. */
  upload(key: string, fileName: string, quarter: string, body: Buffer | string): Promise<string>;
  /** The bank sample's price sheets (fixtures/bank-ma/prices), uploaded by `key`. */
  uploadBankSample(key: string): Promise<{ ids: string[]; quarters: string[] }>;
  /**
   * A fresh browser profile at 1366×768 recording problems; console errors of the statuses in
   * `allow` (e.g. /status of (40[13]|422)/, the refusals a test provokes) are expected.
   */
  open(opts?: { locale?: string; allow?: RegExp }): Promise<OpenPage>;
  /** axe-core's serious and critical violations on the page, as readable lines. */
  axe(page: Page): Promise<string[]>;
  /** A full-page screenshot to artifacts/screenshots/<name>.png. */
  shot(page: Page, name: string): Promise<void>;
  /** The end of the server's output and how it exited, for a failure's report. */
  serverTail(): string;
  close(): Promise<void>;
}

/** An amount as a page shows it (`1,549,133.93 MAD`, `1 549 133,93 MAD`), as the API's string. */
export function amountOf(text: string, locale: 'en' | 'fr'): string {
  const bare = text.replace(/\s*[A-Z]{3}$/u, '').replace(/[\s\u00a0\u202f]/gu, '');
  const plain =
    locale === 'fr' ? bare.replace(/\./g, '').replace(',', '.') : bare.replace(/,/g, '');
  // Intl writes a minus sign (U+2212) in French, a hyphen-minus in English.
  return plain.replace('\u2212', '-');
}

/**
 * Types into a SKU picker of the assumptions editor (`#<id>`) and picks the `down`-th option
 * (0: the first) of those shown with Enter, once `option` is among them.
 */
export async function pick(page: Page, id: string, text: string, option: string, down = 0) {
  const box = page.locator(`#${id}`);
  await box.fill(text);
  await page.locator(`#${id}-list`).getByRole('option', { name: option }).waitFor();
  for (let i = 0; i < down; i++) await box.press('ArrowDown');
  await box.press('Enter');
  await page.locator(`#${id}-list`).waitFor({ state: 'detached' });
}

const contentType = (fileName: string) =>
  fileName.endsWith('.json')
    ? 'application/json'
    : fileName.endsWith('.xlsx')
      ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      : 'text/csv';

/**
 * Builds the web UI, starts the server with an admin key, creates a key for each person and
 * launches Chromium. `name` names the temp folder and the admin key (one per suite). With
 * `postgres`, the server runs on a fresh PostgreSQL database when TEST_DATABASE_URL is set
 * (dropped at `close`), on the embedded one otherwise.
 */
export async function startWeb(
  name: string,
  people: People,
  { postgres = false }: { postgres?: boolean } = {},
): Promise<WebHarness> {
  const dir = mkdtempSync(join(tmpdir(), `costcast-web-${name}-`));
  const webDir = join(dir, 'web');
  const adminKey = `cc_web_${name.replace(/\W/g, '_')}_admin_key_0123456789ABCDEF`;
  mkdirSync(SHOTS, { recursive: true });
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'web/build.ts'], {
    cwd: repoPath('.'),
    env: { ...process.env, COSTCAST_WEB_DIR: webDir },
  });
  const testUrl = process.env['TEST_DATABASE_URL'];
  const pg = postgres && testUrl ? await freshPostgres(testUrl) : null;
  let server: ServerProcess;
  try {
    server = await startServer({
      DATA_DIR: join(dir, 'data'),
      COSTCAST_ADMIN_KEY: adminKey,
      COSTCAST_WEB_DIR: webDir,
      ...(pg ? { DATABASE_URL: pg.url } : {}),
    });
  } catch (e) {
    await pg?.drop();
    throw e;
  }
  let browser: Browser | undefined;
  try {
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
      return (text === '' ? undefined : JSON.parse(text)) as T;
    };
    const keys: Record<string, string> = {};
    for (const [handle, [person, role]] of Object.entries(people))
      keys[handle] = (
        await call<{ key: string }>('POST', '/v1/keys', adminKey, { name: person, role })
      ).key;

    const upload = async (
      key: string,
      fileName: string,
      quarter: string,
      body: Buffer | string,
    ) => {
      const query = new URLSearchParams({ quarter, fileName });
      const r = await fetch(`${server.url}/v1/price-sheets?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': contentType(fileName) },
        body,
      });
      expect(r.status, await r.clone().text()).toBe(201);
      return ((await r.json()) as { id: string }).id;
    };
    const uploadBankSample = async (key: string) => {
      const ids: string[] = [];
      const quarters: string[] = [];
      for (const f of readdirSync(repoPath('fixtures/bank-ma/prices')).sort()) {
        const [, year, q] = /(\d{4})Q(\d)/.exec(f) ?? [];
        quarters.push(`${year}-Q${q}`);
        ids.push(await upload(key, f, `${year}-Q${q}`, fixture(`fixtures/bank-ma/prices/${f}`)));
      }
      return { ids, quarters };
    };

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      // Playwright's 30 s defaults are a speed limit; the test's own timeout catches a hang.
      timeout: 300_000,
    });
    const launched = browser;

    const open = async ({ locale = 'en-GB', allow = /status of 40[13]/ } = {}) => {
      const context = await launched.newContext({ viewport: VIEWPORT, locale });
      const page = await context.newPage();
      page.setDefaultTimeout(300_000);
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !allow.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      return { context, page, problems };
    };

    const axeSource = readFileSync(repoPath('node_modules/axe-core/axe.min.js'), 'utf8');
    // axe's source is evaluated, not injected as a script the CSP would refuse.
    const axe = async (page: Page) => {
      await page.evaluate(axeSource);
      const violations = await page.evaluate(
        async () => (await (globalThis as unknown as AxeGlobals).axe.run()).violations,
      );
      return violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)`);
    };

    return {
      server,
      browser: launched,
      dir,
      adminKey,
      database: pg ? 'PostgreSQL' : 'PGlite',
      keys,
      call,
      upload,
      uploadBankSample,
      open,
      axe,
      shot: async (page, shotName) => {
        await page.screenshot({ path: join(SHOTS, `${shotName}.png`), fullPage: true });
      },
      serverTail: () =>
        `exit ${server.child.exitCode ?? '-'} signal ${server.child.signalCode ?? '-'}\n${server.output().slice(-4000)}`,
      close: async () => {
        await launched.close();
        await server.stop();
        await pg?.drop();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.stop();
    await pg?.drop();
    throw e;
  }
}
