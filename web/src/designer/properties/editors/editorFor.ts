import type { ComponentType } from 'react';
import type { InputDescriptor, UiHint } from '../../../api/engineTypes';
import { AssigneeEditor } from './AssigneeEditor';
import { CheckboxEditor } from './CheckboxEditor';
import { DateExpressionEditor } from './DateExpressionEditor';
import { DropdownEditor } from './DropdownEditor';
import { DurationEditor } from './DurationEditor';
import type { EditorProps } from './editorProps';
import { JavaScriptEditor } from './JavaScriptEditor';
import { JsonEditor } from './JsonEditor';
import { NumberEditor } from './NumberEditor';
import { RecipientsEditor } from './RecipientsEditor';
import { StringListEditor } from './StringListEditor';
import { SwitchCasesEditor } from './SwitchCasesEditor';
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

/** JSON inputs whose shape the designer knows get a form instead of a JSON text box. */
const byInput: Record<string, ComponentType<EditorProps>> = {
  'WaitForTask.task': TaskReferenceEditor,
  'Escalate.task': TaskReferenceEditor,
  'Switch.cases': SwitchCasesEditor,
  'CreateTask.assignee': AssigneeEditor,
  'SendNotification.recipients': RecipientsEditor,
};

/** The editor for an input: a domain form where the designer knows the input, else what the descriptor's uiHint asks for. */
export function editorFor(activityType: string, input: InputDescriptor): ComponentType<EditorProps> {
  return byInput[`${activityType}.${input.name}`] ?? byHint[input.uiHint] ?? JsonEditor;
}
