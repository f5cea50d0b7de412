// The layering of costcast, checked by `npm run lint` and .ci/run (`npm run lint:deps`):
//   models/ (the pure engine)  ←  templates/ (the workbook)  ←  server/ (service, CLI, ingest)
// Type-only imports (`import type`) count like any other: a type from a higher layer couples
// the layers just the same, and a cycle through types is still a cycle.

/** Packages and Node modules that do I/O: files, sockets, processes, threads, databases, HTTP. */
const IO_PACKAGES = [
  'pg',
  'kysely',
  'kysely-pglite-dialect',
  '@electric-sql/pglite',
  'fastify',
  'fastify-plugin',
  'fastify-type-provider-zod',
  '@fastify/.+',
  'close-with-grace',
  'piscina',
  'helmet',
  'csv-parse',
];
const IO_CORE = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'dns',
  'dgram',
  'tls',
  'child_process',
  'cluster',
  'worker_threads',
  'process',
  'os',
  'readline',
  'inspector',
  'v8',
  'vm',
];
const anyOf = (names) => `^(?:node:)?(?:${names.join('|')})(?:/|$)`;
const npmOf = (names) => `(?:^|/)node_modules/(?:${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No module may import itself through others, anywhere (type-only imports included).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'models-are-the-bottom-layer',
      severity: 'error',
      comment: 'models/ is the pure engine: it imports nothing of templates/, server/, tests/ or bench/.',
      from: { path: '^models/' },
      to: { path: '^(?:templates|server|tests|bench)/' },
    },
    {
      name: 'models-do-no-io',
      severity: 'error',
      comment:
        'models/ imports no Node module at all and only the pure packages it uses today ' +
        '(zod, decimal.js, luxon, pure-rand); a new one is a decision to make here.',
      from: { path: '^models/' },
      to: {
        dependencyTypesNot: ['local'],
        pathNot: npmOf(['zod', 'decimal\\.js', 'luxon', 'pure-rand']),
      },
    },
    {
      name: 'templates-import-only-models',
      severity: 'error',
      comment: 'templates/ (the workbook) imports models/ and itself, nothing of server/, tests/ or bench/.',
      from: { path: '^templates/' },
      to: { path: '^(?:server|tests|bench)/' },
    },
    {
      name: 'templates-do-no-io',
      severity: 'error',
      comment:
        'templates/ renders a workbook into bytes: no files, sockets, processes, threads, ' +
        'database or HTTP (exceljs, yauzl, yazl and in-memory node:stream are fine).',
      from: { path: '^templates/' },
      to: { dependencyTypes: ['core'], path: anyOf(IO_CORE) },
    },
    {
      name: 'templates-use-no-io-packages',
      severity: 'error',
      comment: 'templates/ uses no database, HTTP server or worker-pool package.',
      from: { path: '^templates/' },
      to: { path: npmOf(IO_PACKAGES) },
    },
    {
      name: 'server-imports-no-test-code',
      severity: 'error',
      comment: 'The service and the CLI import nothing of tests/ or bench/.',
      from: { path: '^server/' },
      to: { path: '^(?:tests|bench)/' },
    },
    {
      name: 'services-know-no-http',
      severity: 'error',
      comment:
        'server/services return values or Outcomes; the HTTP layer (routes, schemas, errors) maps them. A request body a service reads lives with the service and http/schemas re-exports it.',
      from: { path: '^server/services/' },
      to: { path: '^server/http/' },
    },
    {
      name: 'web-is-a-client-of-the-api',
      severity: 'error',
      comment:
        'web/src (the browser interface) talks to the service over HTTP only: it imports ' +
        'nothing of models/, templates/, server/, tests/ or bench/ (the page computes nothing ' +
        'the engine did not).',
      from: { path: '^web/src/' },
      to: { path: '^(?:models|templates|server|tests|bench)/' },
    },
    {
      name: 'web-uses-only-its-packages',
      severity: 'error',
      comment:
        'web/src runs in the browser: no Node module, and only preact and uplot; a new ' +
        'package is a decision to make here (and counts against the 300 KB gzipped budget).',
      from: { path: '^web/src/' },
      to: { dependencyTypesNot: ['local'], pathNot: npmOf(['preact', 'uplot']) },
    },
    {
      name: 'nothing-imports-web',
      severity: 'error',
      comment: 'The service serves the built web interface as files; no code imports web/.',
      from: { path: '^(?:models|templates|server|bench)/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'Every import resolves to a file or an installed package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(?:dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts', '.css'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
