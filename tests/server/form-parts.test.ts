import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  explainSkippedPart,
  watchPartHeaders,
} from '../../server/services/price-sheets/form-parts.ts';
import { bearer, buildTestApp, multipart } from './helper.ts';

const FORM = [
  '--b\r\nContent-Disposition: form-data; name="quarter"\r\n\r\n2026-Q3\r\n',
  '--b\r\ncontent-disposition: form-data; name="file"; filename*=UTF-8\'\'a%0D%0Ab.csv\r\nContent-Type: text/csv\r\n\r\n',
  'x,y\n1,2\n\r\n--b--\r\n',
].join('');

/** The dispositions the watcher keeps when the form arrives in the given chunks. */
async function watched(chunks: readonly string[]): Promise<readonly string[]> {
  const body = new PassThrough();
  const headers = watchPartHeaders(body);
  const done = new Promise((resolve) => body.on('end', resolve));
  body.pipe(new PassThrough().resume()); // as the multipart reader does
  for (const c of chunks) body.write(Buffer.from(c, 'latin1'));
  body.end();
  await done;
  return headers.dispositions();
}

describe('the part headers of a multipart body', () => {
  it('are kept in order, whatever the chunk boundaries', async () => {
    const expected = [
      'form-data; name="quarter"',
      'form-data; name="file"; filename*=UTF-8\'\'a%0D%0Ab.csv',
    ];
    expect(await watched([FORM])).toEqual(expected);
    // Split at every position, and one byte at a time.
    for (let i = 1; i < FORM.length; i++)
      expect(await watched([FORM.slice(0, i), FORM.slice(i)])).toEqual(expected);
    expect(await watched([...FORM])).toEqual(expected);
  });

  it("are watched from the reader's pipe on, and not after stop", async () => {
    const body = new PassThrough();
    const headers = watchPartHeaders(body);
    headers.stop();
    body.pipe(new PassThrough().resume());
    body.end(Buffer.from(FORM, 'latin1'));
    await new Promise((resolve) => body.on('end', resolve));
    expect(headers.dispositions()).toEqual([]);
  });

  it('explain the part a reader skipped', () => {
    // The encoded CR LF decoded: checked as the fileName field by the upload.
    expect(
      explainSkippedPart([
        'form-data; name="quarter"',
        'form-data; name="file"; filename*=UTF-8\'\'a%0D%0Ab.csv',
      ]),
    ).toEqual({ part: 2, fileName: 'a\r\nb.csv' });
    expect(explainSkippedPart(['form-data\u0000; name="file"; filename="a.csv"'])).toEqual({
      part: 1,
      problem:
        'the Content-Disposition header of part 1 contains a control character (U+0000 at position 10), so the part could not be read',
    });
    expect(explainSkippedPart(['attachment; name="file"'])).toEqual({
      part: 1,
      problem:
        'the Content-Disposition header of part 1 is "attachment", not form-data, so the part could not be read',
    });
    // UTF-8 in a raw header read as latin1 is not a C1 control; nothing to explain.
    expect(
      explainSkippedPart([
        `form-data; name="file"; filename="${Buffer.from('é.csv').toString('latin1')}"`,
      ]),
    ).toBeNull();
    expect(explainSkippedPart(['form-data; name="quarter"'])).toBeNull();
  });

  it('settle `skipped` as soon as a part the reader skips has passed', async () => {
    const body = new PassThrough();
    const headers = watchPartHeaders(body);
    body.pipe(new PassThrough().resume());
    // Only the first two parts: the body has not ended, the skipped part is known already.
    body.write(Buffer.from(FORM.slice(0, FORM.indexOf('x,y')), 'latin1'));
    expect(await headers.skipped).toEqual({ part: 2, fileName: 'a\r\nb.csv' });
    body.end();
  });
});

describe('a form whose large file part the reader skips', () => {
  // busboy 3.2.6 never finished such a form when the part outgrew its buffer (about 16 KB)
  // and the body came in several chunks, as over a socket: the request was never answered.
  it('is answered over HTTP, with the reason', async () => {
    const t = await buildTestApp();
    try {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = t.app.server.address() as AddressInfo;
      const rows = Array.from({ length: 20_000 }, (_, i) => `OpenAI,sku-${i},1M tokens,1.5,USD`);
      const form = multipart(
        { quarter: '2026-Q3' },
        {
          name: 'x.csv',
          content: `ProviderName,SkuId,PricingUnit,ListUnitPrice,PricingCurrency\n${rows.join('\n')}\n`,
        },
      );
      const payload = Buffer.from(
        form.payload
          .toString('latin1')
          .replace('filename="x.csv"', "filename*=UTF-8''a%0D%0Ab.csv"),
        'latin1',
      );
      expect(payload.length).toBeGreaterThan(500_000);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/v1/price-sheets',
            headers: { ...form.headers, ...bearer(t.keys.finance) },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        // In chunks, as a client on a slow link sends it.
        for (let i = 0; i < payload.length; i += 16_384) req.write(payload.subarray(i, i + 16_384));
        req.end();
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.issues[0]).toMatchObject({
        field: 'fileName',
        message: 'contains a control character (U+000D at position 2)',
      });
      const listed = await t.app.inject({
        url: '/v1/price-sheets',
        headers: bearer(t.keys.analyst),
      });
      expect(listed.json().total).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);
});
