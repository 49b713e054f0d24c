import type { VariableDefinition } from '../../api/engineTypes';
import { useT } from '../../i18n/I18nProvider';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';
import { ProblemMessages } from './ProblemMessages';
import { usePlaybookProblems } from './usePlaybookProblems';

export const variableTypes = ['string', 'number', 'boolean', 'date', 'list', 'object'] as const;

/** Reads the default as typed: numbers and booleans as such, lists and objects as JSON, the rest as text. */
export function parseDefault(type: string, text: string): unknown {
  if (text.trim() === '') return undefined;
  if (type === 'number') return Number(text);
  if (type === 'boolean') return text === 'true';
  if (type === 'list' || type === 'object') {
    try { return JSON.parse(text); } catch { return text; }
  }
  return text;
}

const showDefault = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** Values a run keeps (`vars.name` in expressions); teams tune timings through these. */
export function VariablesEditor() {
  const t = useT();
  const store = useDesignerStore();
  const variables = useDesigner((s) => s.definition.variables);
  const problems = usePlaybookProblems('$.variables');
  const change = (index: number, patch: Partial<VariableDefinition>, key: string) =>
    store.edit((d) => ({ ...d, variables: d.variables.map((v, i) => (i === index ? { ...v, ...patch } : v)) }), `var:${index}:${key}`);

  return (
    <section className="settings-section">
      <h3>{t('settings.variables')}</h3>
      {variables.length > 0 && (
        <table className="compact-table">
          <thead><tr><th>{t('settings.variableName')}</th><th>{t('settings.variableType')}</th><th>{t('settings.variableDefault')}</th><th /></tr></thead>
          <tbody>
            {variables.map((variable, index) => (
              <tr key={index}>
                <td><input className="code" value={variable.name} aria-label={t('settings.variableName')} onChange={(e) => change(index, { name: e.target.value }, 'name')} /></td>
                <td>
                  <select value={variable.type} aria-label={t('settings.variableType')} onChange={(e) => change(index, { type: e.target.value, default: undefined }, 'type')}>
                    {variableTypes.map((type) => <option key={type} value={type}>{t(`variableType.${type}`)}</option>)}
                  </select>
                </td>
                <td>
                  {variable.type === 'boolean' ? (
                    <select value={showDefault(variable.default)} aria-label={t('settings.variableDefault')} onChange={(e) => change(index, { default: parseDefault('boolean', e.target.value) }, 'default')}>
                      <option value="">—</option><option value="true">{t('common.true')}</option><option value="false">{t('common.false')}</option>
                    </select>
                  ) : (
                    <input value={showDefault(variable.default)} type={variable.type === 'number' ? 'number' : variable.type === 'date' ? 'date' : 'text'} aria-label={t('settings.variableDefault')}
                      onChange={(e) => change(index, { default: parseDefault(variable.type, e.target.value) }, 'default')} />
                  )}
                </td>
                <td><button type="button" className="icon-button" aria-label={t('settings.removeVariable')} onClick={() => store.edit((d) => ({ ...d, variables: d.variables.filter((_, i) => i !== index) }))}>×</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={() => store.edit((d) => ({ ...d, variables: [...d.variables, { name: `variable${d.variables.length + 1}`, type: 'string' }] }))}>
        {t('settings.addVariable')}
      </button>
      <ProblemMessages messages={problems} />
    </section>
  );
}
