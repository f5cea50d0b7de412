import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebHarness } from './web-helper.ts';

/**
 * The Keys page in Debian's Chromium at 1366×768, on a real server: the admin creates a
 * finance key on the page and reads its secret once (copied to the clipboard, then hidden for
 * good), a second browser signs in with it, the admin revokes it after a confirmation, and the
 * second browser's next action is refused and lands on the sign-in page, which says why. The
 * last admin key cannot be revoked (the API's 409, shown). axe-core in both languages;
 * screenshots artifacts/screenshots/admin-en.png and admin-fr.png.
 */
describe('the Keys page in Chromium', () => {
  let web: WebHarness;

  beforeAll(async () => {
    web = await startWeb('admin', { viewer: ['Salma (CFO)', 'viewer'] });
  });
  afterAll(async () => {
    await web?.close();
  });

  it('creates a finance key, shows its secret once, revokes it and ends its session', async () => {
    // 401 (the revoked session) and 409 (the last admin key) are answers the pages show.
    const admin = await web.open({ allow: /status of 40[139]/ });
    const other = await web.open({ allow: /status of 401/ });
    const { page } = admin;
    try {
      await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: web.server.url,
      });
      await page.goto(`${web.server.url}/admin`);
      await page.getByLabel('API key').fill(web.adminKey);
      await page.getByLabel('API key').press('Enter');
      await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin');
      const nav = page.getByRole('navigation', { name: 'Pages' });
      expect(await nav.getByRole('link').allTextContents()).toEqual([
        'CFO',
        'Finance',
        'Analyst',
        'Keys',
      ]);
      // The four roles, a line each.
      expect(await page.locator('.roles dt').allTextContents()).toEqual([
        'viewer',
        'analyst',
        'finance',
        'administrator',
      ]);
      expect(await page.locator('.roles [data-role="viewer"] dd').textContent()).toMatch(
        /reads the approved forecasts/,
      );
      // The admin's own key and Salma's are listed; the admin's is marked as theirs.
      const list = page.locator('#keys tbody tr');
      await expect.poll(() => list.count()).toBe(2);
      expect(await page.locator('#keys tr[data-name="Salma (CFO)"] td').first().textContent()).toBe(
        'viewer',
      );
      expect(await page.locator('#keys .badge.you').count()).toBe(1);

      // A key for Karim, finance.
      await page.getByLabel('Person or use').fill('Karim (finance)');
      await page.getByLabel('Role', { exact: true }).selectOption('finance');
      await page.getByRole('button', { name: 'Create the key' }).click();
      const panel = page.locator('#new-key');
      await panel.waitFor();
      expect(await panel.getByRole('heading').textContent()).toBe(
        'The key of Karim (finance), role finance',
      );
      expect(await panel.locator('.warning').textContent()).toMatch(
        /^Store it now.*it will not be shown again/,
      );
      const secret = await page.getByLabel('Secret key').inputValue();
      expect(secret).toMatch(/^cc_[A-Za-z0-9_-]{43}$/);
      await panel.getByRole('button', { name: 'Copy' }).click();
      await panel.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
      const clipboard = await page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      );
      expect(clipboard).toBe(secret);
      // Listed: its role, the first 10 characters of the secret, active.
      const karim = page.locator('#keys tr[data-name="Karim (finance)"]');
      await karim.waitFor();
      const cells = await karim.locator('td').allTextContents();
      expect(cells[0]).toBe('finance');
      expect(cells[1]).toBe(`${secret.slice(0, 10)}…`);
      expect(cells[2]).toMatch(/ 20\d\d.*by bootstrap admin \(COSTCAST_ADMIN_KEY\)$/);
      expect(cells.slice(3)).toEqual(['never', 'active', 'Revoke']);
      await web.shot(page, 'admin-en');
      expect(await web.axe(page)).toEqual([]);

      // Hidden once stored: the secret is nowhere in the page any more, nor after a reload.
      await panel.getByRole('button', { name: 'I have stored it: hide the key' }).click();
      await expect.poll(() => panel.count()).toBe(0);
      expect(await page.content()).not.toContain(secret);
      await page.reload();
      await karim.waitFor();
      expect(await page.content()).not.toContain(secret);

      // Karim signs in with it in another browser.
      const p2 = other.page;
      await p2.goto(`${web.server.url}/finance`);
      await p2.getByLabel('API key').fill(secret);
      await p2.getByLabel('API key').press('Enter');
      await p2
        .getByRole('heading', { level: 1, name: 'Price sheets, reviews and the audit trail' })
        .waitFor();
      expect(await p2.locator('.who').textContent()).toMatch(/Signed in as Karim \(finance\)/);
      // The admin's list now says when Karim's key was last used.
      await page.reload();
      await expect.poll(() => karim.locator('td.used').textContent()).toMatch(/ 20\d\d/);

      // The admin revokes it, after a confirmation (Cancel first: nothing happens).
      await karim.getByRole('button', { name: 'Revoke the key of Karim (finance)' }).click();
      const confirm = karim.getByRole('group');
      expect(await confirm.locator('legend').textContent()).toMatch(
        /^Revoke the key of Karim \(finance\)\? It stops working at once and its browser sessions end/,
      );
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => karim.getByRole('group').count()).toBe(0);
      expect(await karim.locator('td.state').textContent()).toBe('active');
      await karim.getByRole('button', { name: 'Revoke the key of Karim (finance)' }).click();
      await karim.getByRole('button', { name: 'Yes, revoke it' }).click();
      await page
        .getByRole('status')
        .filter({
          hasText: 'The key of Karim (finance) is revoked; its browser sessions are ended.',
        })
        .waitFor();
      await expect.poll(() => karim.locator('td.state').textContent()).toMatch(/^revoked on /);
      expect(await karim.getByRole('button').count()).toBe(0);

      // Karim's next action (filtering the audit trail) is refused: the sign-in page, saying why.
      await p2.getByRole('button', { name: 'Filter' }).click();
      await p2.getByLabel('API key').waitFor();
      await expect.poll(() => new URL(p2.url()).pathname).toBe('/signin');
      expect(new URL(p2.url()).searchParams.get('next')).toBe('/finance');
      expect(await p2.getByRole('status').textContent()).toMatch(/^Your session has ended/);
      expect(await web.axe(p2)).toEqual([]);
      // And the key itself no longer opens a session.
      await p2.getByLabel('API key').fill(secret);
      await p2.getByLabel('API key').press('Enter');
      await expect.poll(() => p2.getByRole('alert').textContent()).toMatch(/invalid or revoked/);

      // In French; the last admin key cannot be revoked (the API says why, in French).
      await page.getByLabel('Language').selectOption('fr');
      await page.getByRole('heading', { level: 1, name: 'Clés d’API' }).waitFor();
      const mine = page.locator('#keys tr:has(.badge.you)');
      await mine.getByRole('button', { name: /^Révoquer la clé de / }).click();
      expect(await mine.locator('legend').textContent()).toMatch(/^Révoquer votre propre clé \?/);
      await mine.getByRole('button', { name: 'Oui, la révoquer' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toMatch(/^La clé n’a pas été révoquée : c’est la dernière clé administrateur active/);
      expect(await mine.locator('td.state').textContent()).toBe('active');
      expect(await page.locator('#keys caption').textContent()).toBe('Actives : 2 · révoquées : 1');
      await web.shot(page, 'admin-fr');
      expect(await web.axe(page)).toEqual([]);
      expect(admin.problems).toEqual([]);
      expect(other.problems).toEqual([]);
    } catch (e) {
      await web.shot(page, 'failed-admin');
      await web.shot(other.page, 'failed-admin-other');
      process.stdout.write(
        `page problems: ${[...admin.problems, ...other.problems].join('\n')}\nserver: ${web.serverTail()}\n`,
      );
      throw e;
    } finally {
      await admin.context.close();
      await other.context.close();
    }
  });
});
