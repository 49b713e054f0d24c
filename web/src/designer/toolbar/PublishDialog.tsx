import { useState } from 'react';
import { Dialog } from '../../common/Dialog';
import { Field } from '../../common/Field';
import { useT } from '../../i18n/I18nProvider';

/** Publishing makes a new immutable version; the note says what changed, for the version history. */
export function PublishDialog({ onPublish, onClose, busy }: { onPublish: (note: string) => void; onClose: () => void; busy: boolean }) {
  const t = useT();
  const [note, setNote] = useState('');
  return (
    <Dialog title={t('designer.publishTitle')} submitLabel={t('designer.publish')} busy={busy} onSubmit={() => onPublish(note.trim())} onClose={onClose}>
      <p className="muted small">{t('designer.publishExplain')}</p>
      <Field label={t('designer.publishNote')}>
        <textarea autoFocus rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="publish-note" />
      </Field>
    </Dialog>
  );
}
