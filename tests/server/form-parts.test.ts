import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  explainSkippedPart,
  watchPartHeaders,
} from '../../server/services/price-sheets/form-parts.ts';

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
});
