import { useI18n } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';

export function DropdownEditor({ value, onChange, fieldId, invalid, input }: EditorProps) {
  const { t, tOr } = useI18n();
  const fallback = typeof input.default === 'string' ? input.default : null;
  return (
    <select id={fieldId} aria-invalid={invalid} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="">{fallback ? t('designer.defaultOption', { value: tOr(`option.${fallback}`, fallback) }) : t('designer.chooseOption')}</option>
      {(input.options ?? []).map((option) => <option key={option} value={option}>{tOr(`option.${option}`, option)}</option>)}
    </select>
  );
}
