import { readFileSync } from 'node:fs';

// One level up from server/, and from dist/ where `npm run build` bundles this module.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** What produced a forecast: recorded with it and printed in its workbook. */
export const ENGINE_VERSION = `costcast ${pkg.version}`;
