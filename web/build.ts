// Builds the web interface into dist/web (index.html and hashed files in assets/), as
// `npm ci` (prepare), `npm run build` and `npm start` do. esbuild, the bundler the server
// already uses: one tool, no dev server needed. Prints the gzipped size of each page's
// JavaScript and writes it to dist/web/sizes.json.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.env['COSTCAST_WEB_DIR'] ?? join(here, '..', 'dist', 'web');
/** The most JavaScript a page may load, gzipped (issue 16). */
const BUDGET_GZIP_BYTES = 300 * 1024;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: { app: join(here, 'src', 'main.tsx') },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'));
const css = outputs.find((f) => f.startsWith('app-') && f.endsWith('.css'));
if (!js || !css)
  throw new Error(`the build wrote no app script or style sheet: ${outputs.join(', ')}`);

// No inline script or style: the pages' CSP allows neither.
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>costcast</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
</head>
<body>
<div id="app"></div>
<noscript>costcast needs JavaScript. / costcast a besoin de JavaScript.</noscript>
</body>
</html>
`;
writeFileSync(join(out, 'index.html'), html);

const gz = (f: string) => gzipSync(readFileSync(join(out, 'assets', f)), { level: 9 }).length;
const sizes = {
  page: 'all pages (one bundle)',
  js,
  jsGzipBytes: gz(js),
  css,
  cssGzipBytes: gz(css),
};
writeFileSync(join(out, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
if (sizes.jsGzipBytes > BUDGET_GZIP_BYTES)
  throw new Error(
    `the page's JavaScript is ${sizes.jsGzipBytes} bytes gzipped, over the ${BUDGET_GZIP_BYTES} budget`,
  );
if (!process.env['npm_config_silent'])
  process.stdout.write(
    `web: ${js} ${(sizes.jsGzipBytes / 1024).toFixed(1)} KB gzipped, ${css} ${(sizes.cssGzipBytes / 1024).toFixed(1)} KB\n`,
  );
