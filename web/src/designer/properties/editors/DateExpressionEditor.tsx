import { useState } from 'react';
import { useT } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';

const isoDate = /^\d{4}-\d{2}-\d{2}/;

const presets = [
  { key: 'designer.datePreset.renewal90', expression: 'addDays(account.renewalDate, -90)' },
  { key: 'designer.datePreset.renewal30', expression: 'addDays(account.renewalDate, -30)' },
  { key: 'designer.datePreset.inAWeek', expression: 'addDays(now, 7)' },
] as const;

/** A fixed calendar date, or a JavaScript expression for one (the engine tells them apart the same way). */
export function DateExpressionEditor({ value, onChange, fieldId, invalid }: EditorProps) {
  const t = useT();
  const text = typeof value === 'string' ? value : '';
  const [mode, setMode] = useState<'date' | 'expression'>(text && isoDate.test(text) ? 'date' : 'expression');
  return (
    <div className="date-expression-editor">
      <div className="segmented" role="radiogroup">
        <button type="button" role="radio" aria-checked={mode === 'date'} className={mode === 'date' ? 'active' : ''} onClick={() => setMode('date')}>{t('designer.dateFixed')}</button>
        <button type="button" role="radio" aria-checked={mode === 'expression'} className={mode === 'expression' ? 'active' : ''} onClick={() => setMode('expression')}>{t('designer.dateExpression')}</button>
      </div>
      {mode === 'date' ? (
        <input id={fieldId} type="date" aria-invalid={invalid} value={isoDate.test(text) ? text.slice(0, 10) : ''} onChange={(e) => onChange(e.target.value || undefined)} />
      ) : (
        <>
          <input id={fieldId} className="code" aria-invalid={invalid} value={isoDate.test(text) ? '' : text} placeholder="addDays(account.renewalDate, -90)"
            onChange={(e) => onChange(e.target.value || undefined)} />
          <select value="" aria-label={t('designer.datePresets')} onChange={(e) => e.target.value && onChange(e.target.value)}>
            <option value="">{t('designer.datePresets')}</option>
            {presets.map((p) => <option key={p.key} value={p.expression}>{t(p.key)}</option>)}
          </select>
        </>
      )}
    </div>
  );
}
