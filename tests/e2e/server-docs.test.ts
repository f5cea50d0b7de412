import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../server/process.ts';

/**
 * The API documentation as a person sees it: a real server (with the bundled sample loaded,
 * as `npm start` does on a fresh clone) and Debian's Chromium, headless, driven by
 * playwright-core. The screenshot is left in the temp folder printed below.
 */
const CHROMIUM = '/usr/bin/chromium';
const ADMIN = 'cc_docs_test_admin_key_0123456789abcdef';

describe('the documentation at /docs in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'costcast-docs-'));
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer({
      DATA_DIR: join(dir, 'data'),
      COSTCAST_ADMIN_KEY: ADMIN,
      COSTCAST_LOAD_FIXTURES: 'true',
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists every resource and lets a user call GET /health from the page', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
      // Playwright's 30 s defaults are a speed limit; the test's own timeout catches a hang.
      timeout: 300_000,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
      page.setDefaultTimeout(300_000);
      await page.goto(`${server.url}/docs`);
      await page.getByText('costcast', { exact: false }).first().waitFor();
      for (const tag of [
        'price-sheets',
        'assumptions',
        'forecasts',
        'what-if',
        'keys',
        'health',
        'audit',
      ])
        await expect(page.locator(`#operations-tag-${tag}`).count()).resolves.toBe(1);
      const shot = join(dir, 'docs.png');
      await page.screenshot({ path: shot, fullPage: false });
      process.stdout.write(`screenshot: ${shot}\n`);
      // Try it out: GET /health through the page's own client
      await page.locator('#operations-health-get_health').click();
      await page.getByRole('button', { name: 'Try it out' }).click();
      await page.getByRole('button', { name: 'Execute' }).click();
      const live = page.locator('#operations-health-get_health .live-responses-table');
      await live.waitFor();
      await expect.poll(() => live.textContent()).toContain('"reachable": true');
    } finally {
      await browser.close();
    }
  });
});
