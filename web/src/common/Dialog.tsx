import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider';

interface DialogProps {
  title: string;
  submitLabel: string;
  busy?: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** A modal form on the native <dialog>: Escape and Cancel close it, Enter submits. */
export function Dialog({ title, submitLabel, busy = false, onSubmit, onClose, children }: DialogProps) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <dialog ref={ref} className="dialog" onCancel={(event) => { event.preventDefault(); onClose(); }} aria-label={title}>
      <form onSubmit={submit}>
        <h2>{title}</h2>
        <div className="dialog-body">{children}</div>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="primary" disabled={busy}>{submitLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
