import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** costcast's version, e.g. `0.1.0` (the workbook prints "costcast 0.1.0"). */
export const VERSION = pkg.version;

/** What produced a forecast: recorded with it. */
export const ENGINE_VERSION = `costcast ${pkg.version}`;
