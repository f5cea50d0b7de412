import './styles.css';
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { currentSession, onSessionEnded, setApiLanguage, signOut, type Who } from './api.ts';
import { Shell } from './components/Shell.tsx';
import { initialLocale, type Locale, saveLocale, t } from './i18n.ts';
import { AdminPage } from './pages/Admin.tsx';
import { AnalystPage } from './pages/Analyst.tsx';
import { CfoPage } from './pages/Cfo.tsx';
import { FinancePage } from './pages/Finance.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { pagesFor } from './pages.ts';
import { navigate, usePath } from './router.ts';

function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [who, setWho] = useState<Who | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  // The session was refused mid-use (its key revoked, or expired): the sign-in page says so.
  const [ended, setEnded] = useState(false);
  const path = usePath();
  useEffect(() => {
    onSessionEnded(() => {
      setEnded(true);
      setWho(null);
    });
    return () => onSessionEnded(null);
  }, []);

  useEffect(() => {
    saveLocale(locale);
    setApiLanguage(locale);
  }, [locale]);

  const load = useCallback(() => {
    setError(null);
    currentSession()
      .then(setWho)
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);

  // Whoever is signed in lands on the first page their role has; the sign-in page otherwise.
  useEffect(() => {
    if (who === undefined) return;
    if (who === null && path !== '/signin')
      navigate(`/signin${path === '/' ? '' : `?next=${encodeURIComponent(path)}`}`, {
        replace: true,
      });
    if (who && (path === '/' || path === '/signin')) {
      const next = new URLSearchParams(location.search).get('next');
      const target = pagesFor(who.role).some((p) => p.path === next) && next ? next : '/cfo';
      navigate(target, { replace: true });
    }
  }, [who, path]);

  const onSignOut = async () => {
    await signOut().catch(() => {});
    setEnded(false);
    setWho(null);
  };
  const onSignedIn = (w: Who) => {
    setEnded(false);
    setWho(w);
  };

  if (error !== null)
    return (
      <main class="boot">
        <p role="alert">{t(locale, 'failed', { message: error })}</p>
        <button type="button" onClick={load}>
          {t(locale, 'retry')}
        </button>
      </main>
    );
  if (who === undefined) return <p class="boot">{t(locale, 'loading')}</p>;
  if (who === null)
    return (
      <SignInPage locale={locale} onLocale={setLocale} onSignedIn={onSignedIn} ended={ended} />
    );

  const page = pagesFor(who.role).find((p) => p.path === path);
  return (
    <Shell locale={locale} onLocale={setLocale} who={who} path={path} onSignOut={onSignOut}>
      {page === undefined ? (
        <p>{t(locale, 'notFound')}</p>
      ) : page.path === '/admin' ? (
        <AdminPage locale={locale} who={who} />
      ) : page.path === '/finance' ? (
        <FinancePage locale={locale} who={who} />
      ) : page.path === '/analyst' ? (
        <AnalystPage locale={locale} />
      ) : (
        <CfoPage locale={locale} />
      )}
    </Shell>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
