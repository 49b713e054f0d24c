import { useState } from 'react';
import { useT } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';
import { durationUnits, formatSimpleDuration, isIsoDuration, parseSimpleDuration, type DurationUnit } from './isoDuration';

/** "3 days" for the common cases, the ISO 8601 text (P1DT12H) for the rest; the engine stores ISO 8601. */
export function DurationEditor({ value, onChange, fieldId, invalid, input }: EditorProps) {
  const t = useT();
  const text = typeof value === 'string' ? value : '';
  const simple = text ? parseSimpleDuration(text) : null;
  const [raw, setRaw] = useState(() => text !== '' && simple === null);
  const [unit, setUnit] = useState<DurationUnit>(simple?.unit ?? 'days');
  const placeholder = typeof input.default === 'string' ? input.default : '';

  if (raw) {
    return (
      <div className="duration-editor">
        <input id={fieldId} className="code" value={text} aria-invalid={invalid || (text !== '' && !isIsoDuration(text))} placeholder={placeholder || 'P1DT12H'}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
        <button type="button" className="link-button" onClick={() => setRaw(false)} disabled={text !== '' && !parseSimpleDuration(text)}>{t('designer.durationSimple')}</button>
      </div>
    );
  }
  const shownUnit = simple?.unit ?? unit;
  return (
    <div className="duration-editor">
      <input id={fieldId} type="number" min={0} aria-invalid={invalid} value={simple ? simple.amount : ''} placeholder={placeholder}
        onChange={(e) => onChange(e.target.value === '' ? undefined : formatSimpleDuration({ amount: Number(e.target.value), unit: shownUnit }))} />
      <select value={shownUnit} aria-label={t('designer.durationUnit')}
        onChange={(e) => { const next = e.target.value as DurationUnit; setUnit(next); if (simple) onChange(formatSimpleDuration({ amount: simple.amount, unit: next })); }}>
        {durationUnits.map((u) => <option key={u} value={u}>{t(`duration.${u}`)}</option>)}
      </select>
      {text && <code className="muted small">{text}</code>}
      <button type="button" className="link-button" onClick={() => setRaw(true)}>{t('designer.durationIso')}</button>
    </div>
  );
}
