import { useEffect, useState } from 'react';
import { useT } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';

const show = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

/** JSON objects and arrays (assignee rule, recipients, Switch cases): the value changes only when the text parses. */
export function JsonEditor({ value, onChange, fieldId, invalid, input }: EditorProps) {
  const t = useT();
  const [text, setText] = useState(() => show(value));
  const [parseError, setParseError] = useState<string | null>(null);

  // Follow outside changes (undo, another editor) unless the person is mid-edit with text that does not parse.
  useEffect(() => {
    setText((current) => {
      try {
        if (current.trim() !== '' && JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        return current;
      }
      return show(value);
    });
  }, [value]);

  const change = (next: string) => {
    setText(next);
    if (next.trim() === '') { setParseError(null); onChange(undefined); return; }
    try {
      onChange(JSON.parse(next));
      setParseError(null);
    } catch (e) {
      setParseError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <>
      <textarea
        id={fieldId} className="code" rows={Math.min(12, Math.max(3, text.split('\n').length))} spellCheck={false}
        aria-invalid={invalid || !!parseError} value={text} placeholder={input.default !== null && input.default !== undefined ? show(input.default) : ''}
        onChange={(e) => change(e.target.value)}
      />
      {parseError && <span className="field-problem">{t('designer.jsonInvalid', { error: parseError })}</span>}
    </>
  );
}
