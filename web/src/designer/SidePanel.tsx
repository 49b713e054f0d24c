import { useEffect, useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/en';
import { VersionsPanel } from './history/VersionsPanel';
import { ProblemsPanel } from './panels/ProblemsPanel';
import { ActivityProperties } from './properties/ActivityProperties';
import { PlaybookSettings } from './settings/PlaybookSettings';
import { useDesigner } from './state/DesignerContext';
import { TestRunPanel } from './testrun/TestRunPanel';

type Tab = 'properties' | 'playbook' | 'problems' | 'versions' | 'testRun';
const tabs: { id: Tab; label: MessageKey }[] = [
  { id: 'properties', label: 'designer.tab.properties' },
  { id: 'playbook', label: 'designer.tab.playbook' },
  { id: 'problems', label: 'designer.tab.problems' },
  { id: 'versions', label: 'designer.tab.versions' },
  { id: 'testRun', label: 'designer.tab.testRun' },
];

/** The right-hand panel: the selected step's properties, the playbook's settings, problems, versions and the test run. */
export function SidePanel({ definitionId, readOnly, versionsKey }: { definitionId: string; readOnly: boolean; versionsKey: number }) {
  const t = useT();
  const [tab, setTab] = useState<Tab>('playbook');
  const selected = useDesigner((s) => (s.selectedNodes.size === 1 ? [...s.selectedNodes][0] : null));
  const problemCount = useDesigner((s) => s.problems.all.length);

  // Selecting one step shows its properties; that is nearly always what the person wants next.
  useEffect(() => { if (selected) setTab('properties'); }, [selected]);

  return (
    <aside className="side-panel" aria-label={t('designer.sidePanel')}>
      <div className="tabs" role="tablist">
        {tabs.map((item) => (
          <button key={item.id} type="button" role="tab" aria-selected={tab === item.id} className={tab === item.id ? 'tab active' : 'tab'} onClick={() => setTab(item.id)} data-testid={`tab-${item.id}`}>
            {t(item.label)}
            {item.id === 'problems' && problemCount > 0 && <span className="count-badge">{problemCount}</span>}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {tab === 'properties' && (selected ? <ActivityProperties activityId={selected} readOnly={readOnly} /> : <p className="muted">{t('designer.selectHint')}</p>)}
        {tab === 'playbook' && <PlaybookSettings readOnly={readOnly} />}
        {tab === 'problems' && <ProblemsPanel onShowSettings={() => setTab('playbook')} />}
        {tab === 'versions' && <VersionsPanel definitionId={definitionId} refreshKey={versionsKey} readOnly={readOnly} />}
        {tab === 'testRun' && <TestRunPanel definitionId={definitionId} />}
      </div>
    </aside>
  );
}
