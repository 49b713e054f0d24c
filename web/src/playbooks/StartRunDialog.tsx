import { useState } from 'react';
import { engineApi } from '../api/engineApi';
import type { DefinitionSummary } from '../api/engineTypes';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { Field } from '../common/Field';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';

/** A person starts the published playbook for one account (the manual trigger); enrolment rules still apply. */
export function StartRunDialog({ playbook, onStarted, onClose }: { playbook: DefinitionSummary; onStarted: (instanceId: string) => void; onClose: () => void }) {
  const t = useT();
  const accounts = useAsync(() => engineApi.accounts({ take: 500 }), []);
  const [accountId, setAccountId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const chosen = accountId || accounts.data?.items[0]?.id || '';

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      onStarted((await engineApi.startInstance(playbook.definitionId, chosen)).id);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('playbooks.startTitle', { name: playbook.name })} submitLabel={t('playbooks.start')} busy={busy || !chosen} onSubmit={start} onClose={onClose}>
      <ErrorBanner error={error ?? accounts.error} />
      <Field label={t('testRun.account')} hint={t('playbooks.startHint')}>
        <select autoFocus value={chosen} onChange={(e) => setAccountId(e.target.value)}>
          {accounts.data?.items.length === 0 && <option value="">{t('testRun.noAccounts')}</option>}
          {accounts.data?.items.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.id})</option>)}
        </select>
      </Field>
    </Dialog>
  );
}
