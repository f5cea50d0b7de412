import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end suites (LibreOffice, Chromium, two servers on PostgreSQL) are slower and
    // need system packages; .ci/run installs those and runs them with `npm run test:e2e`.
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 20_000,
  },
});
