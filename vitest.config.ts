import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end suites (LibreOffice, Chromium, two servers on PostgreSQL) are slower and
    // need system packages; .ci/run installs those and runs them with `npm run test:e2e`.
    exclude: ['tests/e2e/**', 'node_modules/**'],
    // Timeouts only catch a hang: no test may depend on the machine's speed (a loaded 2-core
    // machine runs a PGlite start or a workbook several times slower than an idle one).
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
