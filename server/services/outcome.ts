/**
 * What a service answers: its value, or why not as a reason the route turns into an HTTP
 * status and message (services know nothing of HTTP; expected failures are values).
 * @example const found: Outcome<number, { reason: 'not_found' }> = { ok: false, reason: 'not_found' };
 */
export type Outcome<T, F extends { readonly reason: string }> =
  | { readonly ok: true; readonly value: T }
  | ({ readonly ok: false } & F);

/** @example success(3) //=> { ok: true, value: 3 } */
export const success = <T>(value: T): { readonly ok: true; readonly value: T } => ({
  ok: true,
  value,
});

/** @example failure({ reason: 'not_found' }) //=> { ok: false, reason: 'not_found' } */
export const failure = <const F extends { readonly reason: string }>(
  f: F,
): { readonly ok: false } & F => ({
  ok: false,
  ...f,
});
