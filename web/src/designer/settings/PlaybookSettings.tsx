import { EnrolmentEditor } from './EnrolmentEditor';
import { GeneralSettings } from './GeneralSettings';
import { GoalEditor } from './GoalEditor';
import { TriggersEditor } from './TriggersEditor';
import { VariablesEditor } from './VariablesEditor';

/** Everything about the playbook that is not a step: name, triggers, enrolment, goal, variables. */
export function PlaybookSettings({ readOnly }: { readOnly: boolean }) {
  return (
    <fieldset className="playbook-settings" disabled={readOnly} data-testid="playbook-settings">
      <GeneralSettings />
      <TriggersEditor />
      <EnrolmentEditor />
      <GoalEditor />
      <VariablesEditor />
    </fieldset>
  );
}
