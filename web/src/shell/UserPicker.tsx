import { useEffect, useState } from 'react';
import { engineApi } from '../api/engineApi';
import { useT } from '../i18n/I18nProvider';
import { useSession } from '../session/SessionProvider';

/** Who the person acts as (sent as X-User): a CSM's email, suggested from the accounts' owners. */
export function UserPicker() {
  const t = useT();
  const { user, setUser } = useSession();
  const [draft, setDraft] = useState(user);
  const [known, setKnown] = useState<string[]>([]);

  useEffect(() => setDraft(user), [user]);
  useEffect(() => {
    engineApi.accounts({ take: 500 }).then(
      (page) => setKnown([...new Set(page.items.flatMap((a) => [a.ownerCsm, a.csmManager]).filter((u): u is string => !!u))].sort()),
      () => setKnown([]),
    );
  }, []);

  const commit = () => { if (draft.trim() !== user) setUser(draft); };
  return (
    <label className="header-control">
      <span>{t('session.user')}</span>
      <input
        list="known-users" value={draft} placeholder={t('session.userPlaceholder')} data-testid="user-picker"
        onChange={(e) => setDraft(e.target.value)} onBlur={commit}
        onKeyDown={(e) => { if (e.key === 'Enter') commit(); }}
      />
      <datalist id="known-users">{known.map((u) => <option key={u} value={u} />)}</datalist>
    </label>
  );
}
