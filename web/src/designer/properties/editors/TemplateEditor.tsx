import { useRef } from 'react';
import { useT } from '../../../i18n/I18nProvider';
import { useDesigner } from '../../state/DesignerContext';
import type { EditorProps } from './editorProps';

const accountFields = ['account.name', 'account.ownerCsm', 'account.segment', 'account.renewalDate', 'account.healthScore', 'account.arr', 'event.type'];

/** Text with {{ expression }} holes: insert a field at the cursor; the holes found are listed below. */
export function TemplateEditor({ value, onChange, fieldId, invalid }: EditorProps) {
  const t = useT();
  const variables = useDesigner((s) => s.definition.variables);
  const area = useRef<HTMLTextAreaElement>(null);
  const text = typeof value === 'string' ? value : '';
  const holes = [...text.matchAll(/\{\{\s*(.*?)\s*\}\}/g)].map((m) => m[1]);

  const insert = (field: string) => {
    const element = area.current;
    const at = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? at;
    const next = `${text.slice(0, at)}{{ ${field} }}${text.slice(end)}`;
    onChange(next);
    requestAnimationFrame(() => {
      element?.focus();
      const caret = at + field.length + 6;
      element?.setSelectionRange(caret, caret);
    });
  };

  return (
    <div className="template-editor">
      <textarea ref={area} id={fieldId} rows={3} aria-invalid={invalid} value={text} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      <div className="template-toolbar">
        <select value="" aria-label={t('designer.insertField')} onChange={(e) => e.target.value && insert(e.target.value)}>
          <option value="">{t('designer.insertField')}</option>
          {accountFields.map((f) => <option key={f} value={f}>{f}</option>)}
          {variables.map((v) => <option key={v.name} value={`vars.${v.name}`}>{`vars.${v.name}`}</option>)}
        </select>
        {holes.length > 0 && <span className="muted small">{t('designer.templateHoles')}: {holes.map((h) => <code key={h} className="hole">{h}</code>)}</span>}
      </div>
    </div>
  );
}
