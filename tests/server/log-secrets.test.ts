import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp, fastifyOptions, redactUrl } from '../../server/http/app.ts';
import { pgliteBackend, testConfig } from './helper.ts';

describe('no key or secret reaches a log line (issue 13)', () => {
  it('redacts key-like query parameters and leaves the others', () => {
    expect(redactUrl('/v1/forecasts?api_key=abc&limit=5')).toBe(
      '/v1/forecasts?api_key=[REDACTED]&limit=5',
    );
    expect(redactUrl('/x?token=t&Secret=s&a%5Fkey=k&quarter=2026-Q3')).toBe(
      '/x?token=[REDACTED]&Secret=[REDACTED]&a%5Fkey=[REDACTED]&quarter=2026-Q3',
    );
    expect(redactUrl('/x?%ZZ=1')).toBe('/x?%ZZ=1');
    expect(redactUrl('/health')).toBe('/health');
  });

  it('logs requests without the Authorization header or a key in the query string', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const opts = fastifyOptions(testConfig({ logLevel: 'info' }));
    const app = Fastify({ ...opts, logger: { ...(opts.logger as object), stream } });
    app.get('/echo', async () => ({ ok: true }));
    await app.ready();
    const secret = 'cc_live_0123456789abcdefSECRET';
    const r = await app.inject({
      method: 'GET',
      url: `/echo?key=${secret}&apiKey=${secret}&limit=5`,
      headers: { authorization: `Bearer ${secret}` },
    });
    await app.close();
    expect(r.statusCode).toBe(200);
    const log = lines.join('');
    expect(log).toContain('/echo?key=[REDACTED]&apiKey=[REDACTED]&limit=5');
    expect(log).not.toContain(secret);
  });

  it('the service keeps keys out of the lines it logs for refused requests', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { store, dispose } = await pgliteBackend.open();
    const config = testConfig({ logLevel: 'info' });
    // The service's own logger options (its serializers), writing to this stream.
    const app = await buildApp(
      { config, store },
      { logger: { ...(fastifyOptions(config).logger as object), stream } },
    );
    const secret = 'cc_live_0123456789abcdefSECRET';
    try {
      const statuses = [];
      for (const req of [
        // a refused query string carrying a key
        { url: `/v1/price-sheets?api_key=${secret}&provider=a%00`, headers: {} },
        // a control character in the Authorization header (the edge check)
        { url: '/v1/forecasts', headers: { authorization: `Bearer ${secret}\u0085` } },
        // two Authorization headers
        {
          url: '/v1/forecasts',
          headers: { authorization: [`Bearer ${secret}`, `Bearer ${secret}`] as unknown as string },
        },
        // an unknown key
        { url: `/v1/forecasts?token=${secret}`, headers: { authorization: `Bearer ${secret}` } },
      ])
        statuses.push((await app.inject({ method: 'GET', ...req })).statusCode);
      expect(statuses).toEqual([401, 400, 400, 401]);
      expect(lines.length).toBeGreaterThan(4);
      const log = lines.join('');
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secret.slice(3, 20));
    } finally {
      await app.close();
      await store.close();
      await dispose();
    }
  });
});
