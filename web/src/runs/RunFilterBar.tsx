import { useEffect, useState } from 'react';
import type { DefinitionSummary } from '../api/engineTypes';
import { useT } from '../i18n/I18nProvider';
import { runStatuses, type RunFilters } from './runFilters';

export function RunFilterBar({ filters, playbooks, onChange }: { filters: RunFilters; playbooks: DefinitionSummary[]; onChange: (filters: RunFilters) => void }) {
  const t = useT();
  const [account, setAccount] = useState(filters.accountId);
  useEffect(() => setAccount(filters.accountId), [filters.accountId]);
  return (
    <form className="filter-bar" onSubmit={(e) => { e.preventDefault(); onChange({ ...filters, accountId: account.trim(), page: 1 }); }}>
      <label className="field field-inline"><span className="field-label">{t('runs.playbook')}</span>
        <select value={filters.definitionId} onChange={(e) => onChange({ ...filters, definitionId: e.target.value, page: 1 })} data-testid="filter-playbook">
          <option value="">{t('runs.allPlaybooks')}</option>
          {playbooks.map((p) => <option key={p.definitionId} value={p.definitionId}>{p.name}</option>)}
        </select>
      </label>
      <label className="field field-inline"><span className="field-label">{t('runs.status')}</span>
        <select value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value, page: 1 })} data-testid="filter-status">
          <option value="">{t('runs.allStatuses')}</option>
          {runStatuses.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
        </select>
      </label>
      <label className="field field-inline"><span className="field-label">{t('runs.account')}</span>
        <input value={account} placeholder={t('runs.accountPlaceholder')} onChange={(e) => setAccount(e.target.value)} onBlur={() => account.trim() !== filters.accountId && onChange({ ...filters, accountId: account.trim(), page: 1 })} data-testid="filter-account" />
      </label>
    </form>
  );
}
