import { useState } from 'react';
import { useT } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';

/** A list of strings (task outcomes, Fork branches, checklist items): add, rename, reorder, remove. */
export function StringListEditor({ value, onChange, fieldId, input }: EditorProps) {
  const t = useT();
  const items = Array.isArray(value) ? value.map(String) : Array.isArray(input.default) ? input.default.map(String) : [];
  const [draft, setDraft] = useState('');
  const update = (next: string[]) => onChange(next);
  const add = () => {
    const text = draft.trim();
    if (!text) return;
    update([...items, text]);
    setDraft('');
  };
  const move = (index: number, by: number) => {
    const next = items.slice();
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item);
    update(next);
  };
  return (
    <div className="string-list" id={fieldId}>
      {items.map((item, index) => (
        <div key={index} className="string-list-item">
          <input value={item} aria-label={t('designer.listItem', { index: index + 1 })} onChange={(e) => update(items.map((v, i) => (i === index ? e.target.value : v)))} />
          <button type="button" className="icon-button" disabled={index === 0} onClick={() => move(index, -1)} aria-label={t('designer.moveUp')}>↑</button>
          <button type="button" className="icon-button" disabled={index === items.length - 1} onClick={() => move(index, 1)} aria-label={t('designer.moveDown')}>↓</button>
          <button type="button" className="icon-button" onClick={() => update(items.filter((_, i) => i !== index))} aria-label={t('designer.removeItem')}>×</button>
        </div>
      ))}
      <div className="string-list-add">
        <input
          value={draft} placeholder={t('designer.addItemPlaceholder')} aria-label={t('designer.addItem')}
          onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }}
        />
        <button type="button" onClick={add} disabled={!draft.trim()}>{t('designer.addItem')}</button>
      </div>
    </div>
  );
}
