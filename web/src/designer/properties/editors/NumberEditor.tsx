import type { EditorProps } from './editorProps';

export function NumberEditor({ value, onChange, fieldId, invalid, input }: EditorProps) {
  return (
    <input
      id={fieldId} type="number" aria-invalid={invalid} value={typeof value === 'number' ? value : ''}
      placeholder={typeof input.default === 'number' ? String(input.default) : ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
    />
  );
}
