import type { ComponentChildren } from 'preact';
import type { Who } from '../api.ts';
import { type Locale, t } from '../i18n.ts';
import { pagesFor } from '../pages.ts';
import { onLinkClick } from '../router.ts';
import { LanguageSelect } from './LanguageSelect.tsx';

/** The signed-in frame: who, the pages the role has, the language, signing out. */
export function Shell(props: {
  readonly locale: Locale;
  readonly onLocale: (l: Locale) => void;
  readonly who: Who;
  readonly path: string;
  readonly onSignOut: () => void;
  readonly children: ComponentChildren;
}) {
  const { locale, who } = props;
  return (
    <>
      <a class="skip" href="#main">
        {t(locale, 'skip')}
      </a>
      <header class="top">
        <div class="brand">
          <span class="name">costcast</span>
          <span class="tagline">{t(locale, 'appTagline')}</span>
        </div>
        <nav aria-label={t(locale, 'mainNav')}>
          <ul>
            {pagesFor(who.role).map((p) => (
              <li key={p.path}>
                <a
                  href={p.path}
                  aria-current={props.path === p.path ? 'page' : undefined}
                  onClick={(e) => onLinkClick(e, p.path)}
                >
                  {t(locale, p.nav)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="identity" title={t(locale, 'signedInAs', { name: who.name })}>
            <span>{t(locale, 'signedInAs', { name: who.name })}</span>
            <span class="muted">{t(locale, 'role', { role: t(locale, `role.${who.role}`) })}</span>
          </span>
          <LanguageSelect locale={locale} onLocale={props.onLocale} />
          <button type="button" onClick={props.onSignOut}>
            {t(locale, 'signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
