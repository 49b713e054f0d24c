import type { ChecklistItem } from '../api/tasksTypes';
import { useT } from '../i18n/I18nProvider';

export function TaskChecklist({ items, disabled, onTick }: { items: ChecklistItem[]; disabled: boolean; onTick: (item: number, done: boolean) => void }) {
  const t = useT();
  if (items.length === 0) return null;
  return (
    <section className="task-checklist">
      <h3>{t('inbox.checklist')}</h3>
      <ul>
        {items.map((item) => (
          <li key={item.item}>
            <label className="checkbox-label"><input type="checkbox" checked={item.done} disabled={disabled} onChange={(e) => onTick(item.item, e.target.checked)} />{item.text}</label>
          </li>
        ))}
      </ul>
    </section>
  );
}
