import { defineConfig } from 'vitest/config';

/**
 * End-to-end suites: LibreOffice recalculation and rendering, Chromium, server processes on
 * PostgreSQL. They need the system packages .ci/run installs; run with `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    // Timeouts only catch a hang; nothing here may depend on the machine's speed.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
