import closeWithGrace from 'close-with-grace';
import { ConfigError, describeDatabase, loadConfig } from './config.ts';
import { LockedError } from './db/lock.ts';
import { loadFixturesOnFirstStart } from './fixtures.ts';
import { buildApp } from './http/app.ts';
import { systemEntry } from './services/audit/index.ts';

/**
 * The costcast HTTP service: the only place that listens, sets timeouts, loads the sample
 * on first start, prints the bootstrap admin key once, and shuts down gracefully.
 */
async function start() {
  const config = loadConfig();
  const app = await buildApp(
    { config },
    {
      // A large upload may take minutes; idle connections are closed sooner.
      requestTimeout: 15 * 60_000,
      connectionTimeout: 0,
      keepAliveTimeout: 72_000,
      // The first start of PGlite initialises its cluster, which takes a few seconds.
      pluginTimeout: 120_000,
      forceCloseConnections: 'idle',
    },
  );

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });

  const bootstrap = await app.keys.bootstrap(config.adminKey);
  if (bootstrap)
    await app.audit.record(
      systemEntry('server start', 'bootstrap admin key', 'key', bootstrap.id, 'ok', {
        role: 'admin',
      }),
    );
  if (bootstrap)
    process.stdout.write(
      `\ncostcast: a bootstrap admin key was generated. It is shown this once; keep it safe:\n\n    ${bootstrap.key}\n\n` +
        `  Create more keys with POST /v1/keys, or stop the server and run\n` +
        `  npm run costcast -- keys create --role analyst --name "…"\n\n`,
    );

  if (config.loadFixtures) {
    const started = performance.now();
    const forecastId = await loadFixturesOnFirstStart(app);
    if (forecastId) {
      await app.audit.record(
        systemEntry('server start', 'load the bank-ma sample', 'forecast', forecastId, 'ok', null),
      );
      app.log.info(
        { forecastId, ms: Math.round(performance.now() - started) },
        `loaded the bank-ma sample; its workbook: GET /v1/forecasts/${forecastId}/workbook`,
      );
    }
  }

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: describeDatabase(config.database) },
    `costcast is ready; API docs at /docs`,
  );
}

try {
  await start();
} catch (e) {
  if (e instanceof ConfigError || e instanceof LockedError) {
    process.stderr.write(`costcast: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
