import { useState } from 'react';
import { engineApi } from '../api/engineApi';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { Field } from '../common/Field';
import { useT } from '../i18n/I18nProvider';
import { newPlaybook } from './newPlaybook';
import { playbookIdPattern, suggestPlaybookId } from './playbookIds';

export function CreatePlaybookDialog({ onCreated, onClose }: { onCreated: (definitionId: string) => void; onClose: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const definitionId = idTouched ? id : suggestPlaybookId(name);
  const idProblem = definitionId && !playbookIdPattern.test(definitionId) ? t('playbooks.idRule') : undefined;

  const create = async () => {
    if (!name.trim() || idProblem) return;
    setBusy(true);
    setError(null);
    try {
      await engineApi.createDefinition(newPlaybook(definitionId, name.trim(), description.trim()));
      onCreated(definitionId);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('playbooks.createTitle')} submitLabel={t('playbooks.create')} busy={busy || !name.trim() || !!idProblem} onSubmit={create} onClose={onClose}>
      <ErrorBanner error={error} />
      <Field label={t('playbooks.name')}>
        <input autoFocus required value={name} onChange={(e) => setName(e.target.value)} name="name" />
      </Field>
      <Field label={t('playbooks.id')} hint={t('playbooks.idHint')} problem={idProblem}>
        <input value={definitionId} onChange={(e) => { setIdTouched(true); setId(e.target.value); }} name="definitionId" />
      </Field>
      <Field label={t('playbooks.description')}>
        <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
    </Dialog>
  );
}
