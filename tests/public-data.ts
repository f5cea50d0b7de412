import { fileURLToPath } from 'node:url';

/**
 * A file of the public data copied into the repository for the tests (`fixtures/public`).
 * Sources, commits, licences and attribution: fixtures/public/SOURCES.md.
 */
export const publicData = (path: string): string =>
  fileURLToPath(new URL(`../fixtures/public/${path}`, import.meta.url));
