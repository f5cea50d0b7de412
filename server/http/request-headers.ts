import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unprintableText } from '../../models/fields.ts';
import { HttpError } from './errors.ts';

/** The request headers the service reads, by their lowercase name, as errors name them. */
const READ_HEADERS: Readonly<Record<string, string>> = {
  authorization: 'Authorization',
  'accept-language': 'Accept-Language',
  'content-type': 'Content-Type',
  'x-csrf-token': 'X-CSRF-Token',
};

/**
 * onRequest hook: every value of a header the service reads (all of them, a repeated
 * Authorization included) is printable text, else a 400 naming the header.
 */
export async function checkRequestHeaders(req: FastifyRequest): Promise<void> {
  const raw = req.raw.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const header = raw[i];
    const value = raw[i + 1];
    if (header === undefined || value === undefined) break; // not with i + 1 < raw.length
    const name = READ_HEADERS[header.toLowerCase()];
    if (name === undefined) continue;
    const why = unprintableText(value);
    if (why === null) continue;
    throw new HttpError(400, 'invalid_request', `the ${name} header ${why}; send printable text`, {
      list: [{ row: null, column: null, field: name, value: null, message: why }],
      count: 1,
    });
  }
}

/** The header named on the line of `packet` where the parser stopped, if it can be told. */
function headerAt(packet: unknown, offset: number | undefined): string | null {
  if (!Buffer.isBuffer(packet) || offset === undefined || offset > packet.length) return null;
  const start = packet.lastIndexOf(0x0a, Math.max(0, offset - 1)) + 1;
  if (start === 0) return null; // the request line, not a header
  const colon = packet.indexOf(0x3a, start);
  if (colon === -1 || colon >= offset) return null;
  const name = packet.toString('latin1', start, colon).trim();
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(name) ? name : null;
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (a control character in
 * a header, a malformed request line) gets the service's JSON error body naming the header
 * and the byte, instead of Fastify's `{"message":"Client Error"}`. Timeouts and oversized
 * headers keep their status (408, 431).
 */
export function clientErrorHandler(
  this: FastifyInstance,
  // Node's parser error; Fastify's typing of `rawPacket` (a JSON form) is not what Node passes.
  err: Error & { code?: string; bytesParsed?: number; rawPacket?: unknown },
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let code = 'bad_request';
  let message: string;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    code = 'request_timeout';
    message = 'the request was not received in time';
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    code = 'headers_too_large';
    message = 'the request headers are larger than allowed';
  } else if (err.code === 'HPE_INVALID_HEADER_TOKEN') {
    const name = headerAt(err.rawPacket, err.bytesParsed);
    const byte = Buffer.isBuffer(err.rawPacket) ? err.rawPacket[err.bytesParsed ?? -1] : undefined;
    const what =
      byte === undefined ? 'a character' : `the byte 0x${byte.toString(16).padStart(2, '0')}`;
    message =
      name === null
        ? `a request header holds ${what}, which HTTP does not allow there (control characters and NUL are refused)`
        : `the ${name} header holds ${what}, which HTTP does not allow in a header (control characters and NUL are refused)`;
  } else
    message = `the request is not valid HTTP/1.1 (${err.code ?? 'unreadable'}${err.message ? `: ${err.message}` : ''})`;
  this.log.info({ code: err.code, status }, message);
  if (socket.writable) {
    const body = JSON.stringify({ error: { code, message } });
    socket.write(
      `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large'}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
