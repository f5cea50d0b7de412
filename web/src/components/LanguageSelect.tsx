import { LOCALES, type Locale, t } from '../i18n.ts';

/** The language switch: a labelled select, each language named in itself. */
export function LanguageSelect(props: {
  readonly locale: Locale;
  readonly onLocale: (l: Locale) => void;
}) {
  return (
    <label class="language">
      <span>{t(props.locale, 'language')}</span>
      <select
        value={props.locale}
        onChange={(e) => props.onLocale((e.currentTarget as HTMLSelectElement).value as Locale)}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(l, 'languageName')}
          </option>
        ))}
      </select>
    </label>
  );
}
