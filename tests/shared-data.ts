import { fileURLToPath } from 'node:url';

/**
 * A file of the project's shared public data (`../shared/data` beside the repository, as
 * on the developers' machines and in CI). Sources and licences: ../shared/data/SOURCES.md.
 */
export const sharedData = (path: string): string =>
  fileURLToPath(new URL(`../../shared/data/${path}`, import.meta.url));
