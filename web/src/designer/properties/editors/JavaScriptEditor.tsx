import { useT } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';

/** A JavaScript expression; the server compiles it (POST /api/engine/definitions/validate) and the field shows the verdict. */
export function JavaScriptEditor({ value, onChange, fieldId, invalid }: EditorProps) {
  const t = useT();
  const text = typeof value === 'string' ? value : '';
  return (
    <>
      <textarea
        id={fieldId} className="code" rows={Math.min(8, Math.max(2, text.split('\n').length))} spellCheck={false} aria-invalid={invalid}
        value={text} placeholder="account.healthScore < 60" onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
      <span className="field-hint">{t('designer.expressionScope')}</span>
    </>
  );
}
