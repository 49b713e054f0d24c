import { useT } from '../../../i18n/I18nProvider';
import { useDesigner } from '../../state/DesignerContext';
import type { EditorProps } from './editorProps';

/** WaitForTask and Escalate name a CreateTask activity of this playbook: pick it from the canvas's tasks. */
export function TaskReferenceEditor({ value, onChange, fieldId, invalid }: EditorProps) {
  const t = useT();
  const tasks = useDesigner((s) => s.definition.activities).filter((a) => a.type === 'CreateTask');
  const current = typeof value === 'string' ? value : '';
  return (
    <select id={fieldId} aria-invalid={invalid} value={current} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{t('designer.chooseTask')}</option>
      {current && !tasks.some((task) => task.id === current) && <option value={current}>{current}</option>}
      {tasks.map((task) => <option key={task.id} value={task.id}>{task.displayName ? `${task.displayName} (${task.id})` : task.id}</option>)}
    </select>
  );
}
