import type { EditorProps } from './editorProps';

export function CheckboxEditor({ value, onChange, fieldId, input }: EditorProps) {
  const checked = typeof value === 'boolean' ? value : input.default === true;
  return <input id={fieldId} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />;
}
