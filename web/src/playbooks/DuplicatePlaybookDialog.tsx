import { useState } from 'react';
import { engineApi } from '../api/engineApi';
import type { DefinitionSummary } from '../api/engineTypes';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { Field } from '../common/Field';
import { useT } from '../i18n/I18nProvider';
import { playbookIdPattern } from './playbookIds';

export function DuplicatePlaybookDialog({ source, onDuplicated, onClose }: { source: DefinitionSummary; onDuplicated: (definitionId: string) => void; onClose: () => void }) {
  const t = useT();
  const [name, setName] = useState(t('playbooks.copyName', { name: source.name }));
  const [id, setId] = useState(`${source.definitionId}-copy`.slice(0, 64));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const idProblem = !playbookIdPattern.test(id) ? t('playbooks.idRule') : undefined;

  const duplicate = async () => {
    if (idProblem) return;
    setBusy(true);
    setError(null);
    try {
      await engineApi.duplicate(source.definitionId, id, name.trim());
      onDuplicated(id);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('playbooks.duplicateTitle', { name: source.name })} submitLabel={t('playbooks.duplicate')} busy={busy || !!idProblem} onSubmit={duplicate} onClose={onClose}>
      <ErrorBanner error={error} />
      <Field label={t('playbooks.name')}><input autoFocus value={name} onChange={(e) => setName(e.target.value)} /></Field>
      <Field label={t('playbooks.id')} hint={t('playbooks.idHint')} problem={idProblem}><input value={id} onChange={(e) => setId(e.target.value)} /></Field>
    </Dialog>
  );
}
