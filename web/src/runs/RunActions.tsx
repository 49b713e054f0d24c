import { useState } from 'react';
import { engineApi } from '../api/engineApi';
import type { InstanceView } from '../api/engineTypes';
import { ErrorBanner } from '../common/ErrorBanner';
import { useT } from '../i18n/I18nProvider';

/** Cancel a running instance (its open tasks are cancelled too) or retry a faulted one from the failed step. */
export function RunActions({ instance, onChanged }: { instance: InstanceView; onChanged: (instance: InstanceView) => void }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (action: () => Promise<InstanceView>) => {
    setBusy(true);
    setError(null);
    try { onChanged(await action()); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const cancel = () => {
    const reason = window.prompt(t('runs.cancelReason'), t('runs.cancelDefaultReason'));
    if (reason !== null) void act(() => engineApi.cancelInstance(instance.id, reason));
  };
  return (
    <div className="run-actions">
      {instance.status === 'running' && <button type="button" className="danger" disabled={busy} onClick={cancel} data-testid="cancel-run">{t('runs.cancel')}</button>}
      {instance.status === 'faulted' && <button type="button" className="primary" disabled={busy} onClick={() => act(() => engineApi.retryInstance(instance.id))} data-testid="retry-run">{t('runs.retry')}</button>}
      <ErrorBanner error={error} />
    </div>
  );
}
