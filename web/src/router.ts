// A small router over the History API: each page is a path the server answers with the same
// index.html (server/http/routes/web). Links are real links: they work with a middle click.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<(path: string) => void>();

/** Goes to `path` without reloading the page. */
export function navigate(path: string, opts: { readonly replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const l of listeners) l(location.pathname);
}

/** The current path, following navigation and the back and forward buttons. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    listeners.add(setPath);
    addEventListener('popstate', onPop);
    return () => {
      listeners.delete(setPath);
      removeEventListener('popstate', onPop);
    };
  }, []);
  return path;
}

/** A click on an in-app link: handled here unless the reader asked for a new tab or window. */
export function onLinkClick(e: MouseEvent, path: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
    return;
  e.preventDefault();
  navigate(path);
}
