// The pages of the signed-in shell and the weakest role each is for (the API's roles:
// viewer < analyst < finance < admin).
import type { Role } from './api.ts';
import type { MessageKey } from './i18n.ts';

export interface PageInfo {
  readonly path: string;
  readonly nav: MessageKey;
  readonly min: Role;
}

export const PAGES: readonly PageInfo[] = [
  { path: '/cfo', nav: 'nav.cfo', min: 'viewer' },
  { path: '/finance', nav: 'nav.finance', min: 'finance' },
  { path: '/analyst', nav: 'nav.analyst', min: 'analyst' },
  { path: '/admin', nav: 'nav.admin', min: 'admin' },
];

const ROLES: readonly Role[] = ['viewer', 'analyst', 'finance', 'admin'];

/** Whether `role` may use what `min` may. @example atLeast('finance', 'analyst') //=> true */
export const atLeast = (role: Role, min: Role): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(min);

/** The pages a role sees in the navigation. */
export const pagesFor = (role: Role): readonly PageInfo[] =>
  PAGES.filter((p) => atLeast(role, p.min));
