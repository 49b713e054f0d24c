import { memo, useCallback } from 'react';
import type { InputDescriptor } from '../../api/engineTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { setInput } from '../model/definitionEdits';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';
import { editorFor } from './editors/editorFor';
import { JavaScriptEditor } from './editors/JavaScriptEditor';
import { isScript } from './expressionValue';

interface InputFieldProps {
  activityId: string;
  activityType: string;
  input: InputDescriptor;
  value: unknown;
}

const noProblems: string[] = [];

/** One input of the selected activity: its editor, the ƒx switch to an expression, and the server's verdict on it. */
export const InputField = memo(function InputField({ activityId, activityType, input, value }: InputFieldProps) {
  const { t, tOr } = useI18n();
  const store = useDesignerStore();
  const problems = useDesigner((s) => s.problems.byInput.get(`${activityId}.${input.name}`) ?? noProblems);
  const checking = useDesigner((s) => s.validatedRevision < s.structureRevision);
  const onChange = useCallback(
    (next: unknown) => store.edit((d) => setInput(d, activityId, input.name, next), `input:${activityId}:${input.name}`),
    [store, activityId, input.name],
  );
  const scripted = isScript(value);
  const Editor = editorFor(activityType, input);
  const fieldId = `input-${activityId}-${input.name}`;
  const isCode = input.uiHint === 'javascript' || scripted;
  const label = tOr(`input.${activityType}.${input.name}`, input.displayName);

  return (
    <div className={`field${problems.length ? ' field-invalid' : ''}`} data-input={input.name}>
      <div className="field-label-row">
        <label htmlFor={fieldId} className="field-label">
          {label}
          {input.required && <span className="required" title={t('designer.required')}>*</span>}
        </label>
        {input.expressionCapable && (
          <button
            type="button" className={`fx-toggle${scripted ? ' active' : ''}`} aria-pressed={scripted} title={t('designer.useExpression')}
            onClick={() => onChange(scripted ? undefined : { js: '' })}
          >
            ƒx
          </button>
        )}
      </div>
      {scripted ? (
        <JavaScriptEditor input={input} value={value.js} fieldId={fieldId} invalid={problems.length > 0} onChange={(js) => onChange({ js: typeof js === 'string' ? js : '' })} />
      ) : (
        <Editor input={input} value={value} onChange={onChange} fieldId={fieldId} invalid={problems.length > 0} />
      )}
      {input.description && <span className="field-hint">{tOr(`inputHelp.${activityType}.${input.name}`, input.description)}</span>}
      {problems.map((p) => <span key={p} className="field-problem" role="alert">{p}</span>)}
      {isCode && problems.length === 0 && (scripted ? value.js : value) ? (
        <span className={checking ? 'field-status muted' : 'field-status ok'}>{checking ? t('designer.checking') : t('designer.expressionValid')}</span>
      ) : null}
    </div>
  );
});
