// The Keys page, for admins: the API keys listed (GET /v1/keys), a key created for a person
// with a role (POST /v1/keys; its secret shown this once, with a copy button), a key revoked
// after a confirmation (DELETE /v1/keys/:id; the API ends its browser sessions with it), and
// what each role may do.
import './admin.css';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, type Role, type Who } from '../api.ts';
import { count, type Locale, shortDate, t } from '../i18n.ts';
import { type AdminKey, tk } from './AdminText.ts';

/** GET /v1/keys: one key, never its secret. */
interface KeyInfo {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  /** To within a minute; null when never used. */
  readonly lastUsedAt: string | null;
}
/** POST /v1/keys: the new key and its secret, in this answer only. */
interface NewKey extends KeyInfo {
  readonly key: string;
}

const ROLES: readonly Role[] = ['viewer', 'analyst', 'finance', 'admin'];
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function AdminPage(props: { readonly locale: Locale; readonly who: Who }) {
  const { locale, who } = props;
  const title = tk(locale, 'title');
  useEffect(() => {
    document.title = `${title} — costcast`;
  }, [title]);
  const [keys, setKeys] = useState<readonly KeyInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setKeys((await api<{ items: KeyInfo[] }>('GET', '/v1/keys')).items);
      setError(null);
    } catch (e) {
      setError(message(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section class="admin-page">
      <h1>{title}</h1>
      <p class="intro">{tk(locale, 'intro')}</p>
      {error !== null && (
        <p role="alert" class="error">
          {tk(locale, 'failed', { message: error })}
        </p>
      )}
      <div class="admin-top">
        <CreateKey locale={locale} onCreated={load} />
        <section class="card roles" aria-labelledby="roles-title">
          <h2 id="roles-title">{tk(locale, 'rolesTitle')}</h2>
          <dl>
            {ROLES.map((r) => (
              <div key={r} data-role={r}>
                <dt>{t(locale, `role.${r}`)}</dt>
                <dd>{tk(locale, `roleHelp.${r}` as AdminKey)}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
      <KeyList locale={locale} who={who} keys={keys} onRevoked={load} />
    </section>
  );
}

function CreateKey(props: { readonly locale: Locale; readonly onCreated: () => Promise<void> }) {
  const { locale } = props;
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<NewKey | null>(null);
  const [copied, setCopied] = useState<'copied' | 'copyFailed' | null>(null);
  const secret = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLElement>(null);

  // The secret's panel takes the focus when it appears, so that a screen reader reads it.
  useEffect(() => {
    if (created) panel.current?.focus();
  }, [created]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    setCopied(null);
    if (name.trim() === '') {
      setFailure(tk(locale, 'needsName'));
      return;
    }
    setBusy(true);
    try {
      const key = await api<NewKey>('POST', '/v1/keys', { body: { name: name.trim(), role } });
      setCreated(key);
      setName('');
      await props.onCreated();
    } catch (err) {
      setFailure(tk(locale, 'createFailed', { message: message(err) }));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('copied');
    } catch {
      // No clipboard (an insecure origin, or refused): the key is selected for a manual copy.
      secret.current?.select();
      setCopied('copyFailed');
    }
  };

  return (
    <section class="card create-key" aria-labelledby="create-title">
      <h2 id="create-title">{tk(locale, 'createTitle')}</h2>
      <form onSubmit={submit} class="fields">
        <label for="key-name">
          {tk(locale, 'name')}
          <input
            id="key-name"
            name="name"
            maxLength={100}
            aria-describedby="key-name-hint"
            value={name}
            onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <div class="field">
          <label for="key-role">{tk(locale, 'role')}</label>
          <select
            id="key-role"
            name="role"
            value={role}
            onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(locale, `role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy}>
          {tk(locale, busy ? 'creating' : 'create')}
        </button>
      </form>
      <p id="key-name-hint" class="muted small">
        {tk(locale, 'nameHint')}
      </p>
      {failure !== null && (
        <p role="alert" class="error">
          {failure}
        </p>
      )}
      {created && (
        <section
          class="secret"
          id="new-key"
          ref={panel}
          tabIndex={-1}
          aria-labelledby="new-key-title"
        >
          <h3 id="new-key-title">
            {tk(locale, 'secretTitle', {
              name: created.name,
              role: t(locale, `role.${created.role}`),
            })}
          </h3>
          <p class="warning" id="new-key-warning">
            {tk(locale, 'secretWarning')}
          </p>
          <label for="new-key-secret">{tk(locale, 'secretLabel')}</label>
          <div class="secret-row">
            <input
              id="new-key-secret"
              ref={secret}
              readOnly
              value={created.key}
              spellcheck={false}
              autocomplete="off"
              aria-describedby="new-key-warning"
              onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
            />
            <button type="button" onClick={copy}>
              {tk(locale, 'copy')}
            </button>
          </div>
          {copied && (
            <p role="status" class={copied === 'copied' ? 'ok' : 'error'}>
              {tk(locale, copied)}
            </p>
          )}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setCreated(null);
              setCopied(null);
            }}
          >
            {tk(locale, 'secretDone')}
          </button>
        </section>
      )}
    </section>
  );
}

function KeyList(props: {
  readonly locale: Locale;
  readonly who: Who;
  readonly keys: readonly KeyInfo[] | null;
  readonly onRevoked: () => Promise<void>;
}) {
  const { locale, who, keys } = props;
  const [asking, setAsking] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ id: string; text: string; bad: boolean } | null>(null);
  // The confirmation takes the focus from the Revoke button it replaces (on its Cancel).
  useEffect(() => {
    if (asking !== null) document.getElementById(`cancel-${asking}`)?.focus();
  }, [asking]);

  const revoke = async (k: KeyInfo) => {
    try {
      await api<void>('DELETE', `/v1/keys/${encodeURIComponent(k.id)}`);
      setAsking(null);
      setOutcome({ id: k.id, text: tk(locale, 'revoked', { name: k.name }), bad: false });
      await props.onRevoked();
    } catch (e) {
      setAsking(null);
      setOutcome({
        id: k.id,
        text: tk(locale, 'revokeFailed', { message: message(e) }),
        bad: true,
      });
    }
  };

  const active = keys?.filter((k) => k.revokedAt === null).length ?? 0;
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">{tk(locale, 'listTitle')}</h2>
      {outcome && (
        <p role={outcome.bad ? 'alert' : 'status'} class={outcome.bad ? 'error' : 'ok'}>
          {outcome.text}
        </p>
      )}
      {keys !== null && keys.length === 0 && <p>{tk(locale, 'noKeys')}</p>}
      {keys !== null && keys.length > 0 && (
        <div class="scroll">
          <table class="numbers keys" id="keys">
            <caption>
              {tk(locale, 'listCaption', {
                active: count(locale, active),
                revoked: count(locale, keys.length - active),
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tk(locale, 'colName')}</th>
                <th scope="col" class="label">
                  {tk(locale, 'colRole')}
                </th>
                <th scope="col" class="label">
                  {tk(locale, 'colPrefix')}
                </th>
                <th scope="col" class="label">
                  {tk(locale, 'colCreated')}
                </th>
                <th scope="col" class="label">
                  {tk(locale, 'colLastUsed')}
                </th>
                <th scope="col" class="label">
                  {tk(locale, 'colState')}
                </th>
                <th scope="col" class="label">
                  {tk(locale, 'colActions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const yours = k.id === who.keyId;
                return (
                  <tr
                    key={k.id}
                    data-key={k.id}
                    data-name={k.name}
                    class={k.revokedAt ? 'revoked' : undefined}
                  >
                    <th scope="row">
                      {k.name}
                      {yours && <span class="badge you">{tk(locale, 'you')}</span>}
                    </th>
                    <td class="label">{t(locale, `role.${k.role}`)}</td>
                    {k.prefix ? (
                      <td class="label mono">{`${k.prefix}…`}</td>
                    ) : (
                      <td class="label env muted">{tk(locale, 'envKey')}</td>
                    )}
                    <td class="label small">
                      {shortDate(locale, k.createdAt)}
                      {k.createdBy && (
                        <>
                          <br />
                          <span class="muted">{tk(locale, 'createdBy', { by: k.createdBy })}</span>
                        </>
                      )}
                    </td>
                    <td class="label small used">
                      {k.lastUsedAt === null ? (
                        <span class="muted">{tk(locale, 'neverUsed')}</span>
                      ) : (
                        shortDate(locale, k.lastUsedAt)
                      )}
                    </td>
                    <td class="label state">
                      {k.revokedAt === null ? (
                        <span class="badge">{tk(locale, 'active')}</span>
                      ) : (
                        <span class="badge bad">
                          {tk(locale, 'revokedOn', { date: shortDate(locale, k.revokedAt) })}
                        </span>
                      )}
                    </td>
                    <td class="label actions">
                      {k.revokedAt === null && asking !== k.id && (
                        <button
                          type="button"
                          aria-label={tk(locale, 'revokeOf', { name: k.name })}
                          onClick={() => {
                            setOutcome(null);
                            setAsking(k.id);
                          }}
                        >
                          {tk(locale, 'revoke')}
                        </button>
                      )}
                      {asking === k.id && (
                        <fieldset class="confirm">
                          <legend>
                            {yours
                              ? tk(locale, 'confirmRevokeYours')
                              : tk(locale, 'confirmRevoke', { name: k.name })}
                          </legend>
                          <button type="button" class="danger" onClick={() => revoke(k)}>
                            {tk(locale, 'confirmYes')}
                          </button>
                          <button
                            type="button"
                            id={`cancel-${k.id}`}
                            class="secondary"
                            onClick={() => setAsking(null)}
                          >
                            {tk(locale, 'cancel')}
                          </button>
                        </fieldset>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
