import { useEffect, useRef, useState } from 'preact/hooks';
import { signIn, type Who } from '../api.ts';
import { LanguageSelect } from '../components/LanguageSelect.tsx';
import { type Locale, t } from '../i18n.ts';

/**
 * Sign-in with an API key. The key lives in the input only until it is sent (once, in the
 * Authorization header of POST /v1/session); the field is cleared whatever the answer.
 */
export function SignInPage(props: {
  readonly locale: Locale;
  readonly onLocale: (l: Locale) => void;
  readonly onSignedIn: (who: Who) => void;
  /** Why the reader is here again: the session they had was refused. */
  readonly ended?: boolean;
}) {
  const { locale } = props;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    document.title = `${t(locale, 'signIn')} — costcast`;
  }, [locale]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const field = input.current;
    if (!field || field.value.trim() === '') return;
    const key = field.value.trim();
    field.value = '';
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await signIn(key));
    } catch (err) {
      setError(t(locale, 'signInFailed', { message: (err as Error).message }));
      field.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <div class="signin-lang">
        <LanguageSelect locale={locale} onLocale={props.onLocale} />
      </div>
      <h1>
        costcast <span class="tagline">{t(locale, 'appTagline')}</span>
      </h1>
      <form onSubmit={submit} aria-describedby="signin-intro">
        <h2>{t(locale, 'signIn')}</h2>
        {props.ended && (
          <p role="status" class="notice">
            {t(locale, 'sessionEnded')}
          </p>
        )}
        <p id="signin-intro">{t(locale, 'signInIntro')}</p>
        <label for="api-key">{t(locale, 'apiKey')}</label>
        <input
          id="api-key"
          ref={input}
          type="password"
          name="key"
          autocomplete="off"
          spellcheck={false}
          required
          aria-describedby="api-key-hint"
          aria-invalid={error !== null}
        />
        <p id="api-key-hint" class="hint">
          {t(locale, 'apiKeyHint')}
        </p>
        {error !== null && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t(locale, 'signIn')}
        </button>
      </form>
    </main>
  );
}
