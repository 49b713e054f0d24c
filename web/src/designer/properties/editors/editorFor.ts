import type { ComponentType } from 'react';
import type { InputDescriptor, UiHint } from '../../../api/engineTypes';
import { CheckboxEditor } from './CheckboxEditor';
import { DateExpressionEditor } from './DateExpressionEditor';
import { DropdownEditor } from './DropdownEditor';
import { DurationEditor } from './DurationEditor';
import type { EditorProps } from './editorProps';
import { JavaScriptEditor } from './JavaScriptEditor';
import { JsonEditor } from './JsonEditor';
import { NumberEditor } from './NumberEditor';
import { StringListEditor } from './StringListEditor';
import { TaskReferenceEditor } from './TaskReferenceEditor';
import { TemplateEditor } from './TemplateEditor';
import { TextEditor } from './TextEditor';

const byHint: Record<UiHint, ComponentType<EditorProps>> = {
  text: TextEditor,
  template: TemplateEditor,
  number: NumberEditor,
  checkbox: CheckboxEditor,
  duration: DurationEditor,
  'date-expression': DateExpressionEditor,
  javascript: JavaScriptEditor,
  dropdown: DropdownEditor,
  'string-list': StringListEditor,
  json: JsonEditor,
};

/** The editor the descriptor's uiHint asks for; a `task` reference gets a picker of the playbook's CreateTask steps. */
export function editorFor(activityType: string, input: InputDescriptor): ComponentType<EditorProps> {
  if (input.name === 'task' && (activityType === 'WaitForTask' || activityType === 'Escalate')) return TaskReferenceEditor;
  return byHint[input.uiHint] ?? JsonEditor;
}
