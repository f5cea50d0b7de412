import { useEffect } from 'preact/hooks';
import { type Locale, type MessageKey, t } from '../i18n.ts';
import type { PageInfo } from '../pages.ts';

/** A page not built yet: it says so, says what it will do, and offers nothing that pretends. */
export function ComingPage(props: { readonly locale: Locale; readonly page: PageInfo }) {
  const { locale, page } = props;
  const title = t(locale, 'comingTitle', { page: t(locale, page.nav) });
  useEffect(() => {
    document.title = `${title} — costcast`;
  }, [title]);
  return (
    <section class="coming-page">
      <h1>{title}</h1>
      <p>{t(locale, `coming.${page.path.slice(1)}` as MessageKey)}</p>
      <p>{t(locale, 'comingBody')}</p>
      <p>
        <a href="/docs">{t(locale, 'apiDocs')}</a>
      </p>
    </section>
  );
}
