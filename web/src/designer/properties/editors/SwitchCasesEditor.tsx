import { useT } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';

interface SwitchCase {
  name: string;
  condition: string;
}

const casesOf = (value: unknown): SwitchCase[] =>
  Array.isArray(value)
    ? value.map((c) => ({ name: typeof c?.name === 'string' ? c.name : '', condition: typeof c?.condition === 'string' ? c.condition : '' }))
    : [];

/** Switch's cases as rows (name → port, condition → JavaScript); the first case whose condition holds wins. */
export function SwitchCasesEditor({ value, onChange, fieldId }: EditorProps) {
  const t = useT();
  const cases = casesOf(value);
  const set = (next: SwitchCase[]) => onChange(next);
  return (
    <div className="cases-editor" id={fieldId}>
      {cases.map((c, index) => (
        <div key={index} className="case-row">
          <input value={c.name} placeholder="Enterprise" aria-label={t('designer.caseName')} onChange={(e) => set(cases.map((x, i) => (i === index ? { ...x, name: e.target.value } : x)))} />
          <input className="code" value={c.condition} placeholder="account.segment == 'enterprise'" aria-label={t('designer.caseCondition')}
            onChange={(e) => set(cases.map((x, i) => (i === index ? { ...x, condition: e.target.value } : x)))} />
          <button type="button" className="icon-button" aria-label={t('designer.removeItem')} onClick={() => set(cases.filter((_, i) => i !== index))}>×</button>
        </div>
      ))}
      <button type="button" onClick={() => set([...cases, { name: `Case ${cases.length + 1}`, condition: 'true' }])}>{t('designer.addCase')}</button>
      <span className="field-hint">{t('designer.casesHint')}</span>
    </div>
  );
}
