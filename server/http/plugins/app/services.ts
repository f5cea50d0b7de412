import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type AssumptionsService, assumptionsService } from '../../../services/assumptions.ts';
import { type ForecastsService, forecastsService } from '../../../services/forecasts/index.ts';
import {
  type PriceSheetsService,
  priceSheetsService,
} from '../../../services/price-sheets/index.ts';
import { type QuarterCloseService, quarterCloseService } from '../../../services/quarters/close.ts';
import { spoolDir } from '../../../services/spool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    priceSheets: PriceSheetsService;
    assumptionSets: AssumptionsService;
    forecasts: ForecastsService;
    /** What is left to close a quarter (services/quarters/close.ts). */
    quarterClose: QuarterCloseService;
  }
}

/** The domain services over the database, one decorator each. */
async function servicesPlugin(app: FastifyInstance) {
  const db = app.store.db;
  const priceSheets = priceSheetsService(db, {
    staleAfterQuarters: app.config.staleAfterQuarters,
    // Uploads spool inside the data directory, never the system's temp folder.
    uploads: {
      maxBytes: app.config.limits.uploadBytes,
      maxRows: app.config.limits.maxRows,
      spoolDir: spoolDir(app.config.dataDir),
    },
  });
  const assumptionSets = assumptionsService(db);
  app.decorate('priceSheets', priceSheets);
  app.decorate('assumptionSets', assumptionSets);
  const forecasts = forecastsService(db, priceSheets, assumptionSets, app.compute, {
    staleAfterQuarters: app.config.staleAfterQuarters,
  });
  app.decorate('forecasts', forecasts);
  app.decorate('quarterClose', quarterCloseService(db, forecasts));
}

export default fp(servicesPlugin, { name: 'services', dependencies: ['db', 'compute'] });
