import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError } from '../../errors.ts';
import { HELMET_OPTIONS, helmetHeaders } from '../../plugins/external/helmet.ts';

/** The web interface's pages: each path answers the same index.html, the page picks its view. */
export const WEB_PAGES = ['/', '/signin', '/cfo', '/finance', '/analyst', '/admin'] as const;

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The pages' security headers: helmet's, with a CSP stricter than the API's (which leaves
 * 'unsafe-inline' styles to the Swagger UI at /docs): scripts and styles from this origin
 * only, no inline script or style element or attribute.
 */
const PAGE_HEADERS = helmetHeaders({
  ...HELMET_OPTIONS,
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      // The pages are same-origin only: over plain HTTP (localhost, an intranet) an upgrade
      // to HTTPS would break them, and over HTTPS there is nothing to upgrade.
      upgradeInsecureRequests: null,
    },
  },
});

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/** The built files under `dir/assets` (hashed names: `npm run build:web` writes them). */
function readAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const root = join(dir, 'assets');
  if (!existsSync(root)) return assets;
  for (const name of readdirSync(root)) {
    const type = TYPES[extname(name)];
    if (type !== undefined) assets.set(name, { body: readFileSync(join(root, name)), type });
  }
  return assets;
}

/**
 * The web interface, built into `config.webDir` by `npm run build:web` (part of `npm ci` and
 * `npm start`), served from memory: read once at start, a few hundred kilobytes.
 */
export default async function webRoutes(app: FastifyInstance) {
  const dir = app.config.webDir;
  const indexFile = join(dir, 'index.html');
  const index = existsSync(indexFile) ? readFileSync(indexFile) : null;
  const assets = readAssets(dir);

  const page = async (_req: unknown, reply: FastifyReply) => {
    if (index === null)
      throw new HttpError(
        503,
        'unavailable',
        'the web interface is not built: run `npm run build:web` (npm ci and npm start do)',
      );
    return reply
      .headers(PAGE_HEADERS)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(index);
  };
  for (const url of WEB_PAGES) app.get(url, { schema: { hide: true } }, page);

  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    { schema: { hide: true } },
    async (req, reply) => {
      const asset = assets.get(req.params.file);
      if (!asset) throw new HttpError(404, 'not_found', `no file /assets/${req.params.file}`);
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type(asset.type)
        .send(asset.body);
    },
  );
}
