import { useT } from '../../i18n/I18nProvider';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';
import { ProblemMessages } from './ProblemMessages';
import { usePlaybookProblems } from './usePlaybookProblems';

export function GeneralSettings() {
  const t = useT();
  const store = useDesignerStore();
  const name = useDesigner((s) => s.definition.name);
  const description = useDesigner((s) => s.definition.description);
  const tags = useDesigner((s) => s.definition.tags);
  const nameProblems = usePlaybookProblems('$.name');
  return (
    <section className="settings-section">
      <h3>{t('settings.general')}</h3>
      <label className={`field${nameProblems.length ? ' field-invalid' : ''}`}>
        <span className="field-label">{t('playbooks.name')}</span>
        <input value={name} onChange={(e) => store.edit((d) => ({ ...d, name: e.target.value }), 'settings:name')} />
        <ProblemMessages messages={nameProblems} />
      </label>
      <label className="field">
        <span className="field-label">{t('playbooks.description')}</span>
        <textarea rows={2} value={description ?? ''} onChange={(e) => store.edit((d) => ({ ...d, description: e.target.value || null }), 'settings:description')} />
      </label>
      <label className="field">
        <span className="field-label">{t('settings.tags')}</span>
        <input
          value={tags.join(', ')} placeholder={t('settings.tagsHint')}
          onChange={(e) => store.edit((d) => ({ ...d, tags: e.target.value.split(',').map((x) => x.trim()).filter(Boolean) }), 'settings:tags')}
        />
      </label>
    </section>
  );
}
