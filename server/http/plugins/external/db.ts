import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { describeDatabase } from '../../../config.ts';
import { migrate, openStore, type Store } from '../../../db/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

export interface DbPluginOptions {
  /** An already open store (tests); otherwise the configured database is opened and closed here. */
  readonly store?: Store | undefined;
}

/** The database: opened (PGlite or PostgreSQL), migrated, closed with the app. */
async function dbPlugin(app: FastifyInstance, opts: DbPluginOptions) {
  const store = opts.store ?? (await openStore(app.config.database));
  app.decorate('store', store);
  if (!opts.store) app.addHook('onClose', () => store.close());
  const applied = await migrate(store.db);
  app.log.info(
    { database: describeDatabase(app.config.database), migrations: applied },
    applied.length > 0 ? 'database migrated' : 'database schema up to date',
  );
}

export default fp(dbPlugin, { name: 'db', dependencies: ['config'] });
