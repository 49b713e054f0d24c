import type { EditorProps } from './editorProps';

export function TextEditor({ value, onChange, fieldId, invalid, input }: EditorProps) {
  return (
    <input
      id={fieldId} type="text" aria-invalid={invalid} value={typeof value === 'string' ? value : ''}
      placeholder={typeof input.default === 'string' ? input.default : ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    />
  );
}
