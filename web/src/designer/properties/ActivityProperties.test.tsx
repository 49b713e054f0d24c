// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivityDescriptor, PlaybookDefinition } from '../../api/engineTypes';
import { I18nProvider } from '../../i18n/I18nProvider';
import activities from '../../test/activities.json';
import { DesignerContext } from '../state/DesignerContext';
import { createDesignerStore } from '../state/designerStore';
import { ActivityProperties } from './ActivityProperties';

const descriptors = new Map((activities as ActivityDescriptor[]).map((d) => [d.type, d]));

function renderPanel(definition: PlaybookDefinition, activityId: string, locale: 'en' | 'ja' = 'en') {
  const store = createDesignerStore(definition, descriptors);
  render(
    <I18nProvider locale={locale}>
      <DesignerContext.Provider value={store}>
        <ActivityProperties activityId={activityId} readOnly={false} />
      </DesignerContext.Provider>
    </I18nProvider>,
  );
  return store;
}

const playbook: PlaybookDefinition = {
  definitionId: 'kickoff', name: 'Kickoff', tags: [], triggers: [], variables: [],
  activities: [
    { id: 'start', type: 'Start', inputs: {} },
    { id: 'kickoff', type: 'CreateTask', inputs: { title: 'Hold kickoff with {{ account.name }}', outcomes: ['held', 'no-show'], dueIn: 'P2D' } },
    { id: 'wait', type: 'WaitForTask', inputs: { task: 'kickoff' } },
    { id: 'check', type: 'If', inputs: { condition: 'account.healthScore < 60' } },
  ],
  connections: [],
};

afterEach(cleanup);

describe('ActivityProperties, generated from the descriptor', () => {
  it("gives each of CreateTask's inputs the editor its uiHint asks for", () => {
    renderPanel(playbook, 'kickoff');
    const field = (name: string) => document.querySelector(`[data-input="${name}"]`)!;
    expect(field('title').querySelector('textarea')!.value).toBe('Hold kickoff with {{ account.name }}');
    expect(field('title').textContent).toContain('account.name');
    expect(field('priority').querySelector('select')!.textContent).toContain('Urgent');
    expect(field('dueIn').querySelector('input[type="number"]')).toHaveProperty('value', '2');
    expect(field('dueInBusinessDays').querySelector('input[type="number"]')).not.toBeNull();
    expect([...field('outcomes').querySelectorAll('.string-list-item input')].map((i) => (i as HTMLInputElement).value)).toEqual(['held', 'no-show']);
    expect((field('assignee').querySelector('select') as HTMLSelectElement).value).toBe('owner');
  });

  it('edits an assignee rule and Switch cases as forms, not JSON', () => {
    const store = renderPanel({ ...playbook, activities: [...playbook.activities, { id: 'segment', type: 'Switch', inputs: {} }] }, 'kickoff');
    fireEvent.change(document.querySelector('[data-input="assignee"] select')!, { target: { value: 'queue' } });
    fireEvent.change(document.querySelector('[data-input="assignee"] input')!, { target: { value: 'enterprise-east' } });
    expect(store.getState().definition.activities[1].inputs.assignee).toEqual({ kind: 'queue', queue: 'enterprise-east', strategy: 'round-robin' });
    cleanup();
    const switchStore = renderPanel({ ...playbook, activities: [...playbook.activities, { id: 'segment', type: 'Switch', inputs: {} }] }, 'segment');
    fireEvent.click(screen.getByText('Add case'));
    expect(switchStore.getState().definition.activities[4].inputs.cases).toEqual([{ name: 'Case 1', condition: 'true' }]);
    expect([...document.querySelectorAll('.outcome-list code')].map((c) => c.textContent)).toEqual(['Case 1', 'Default']);
  });

  it('edits the definition, one undo step per field', () => {
    const store = renderPanel(playbook, 'kickoff');
    const title = document.querySelector('[data-input="title"] textarea')!;
    fireEvent.change(title, { target: { value: 'Call' } });
    fireEvent.change(title, { target: { value: 'Call them' } });
    expect(store.getState().definition.activities[1].inputs.title).toBe('Call them');
    store.undo();
    expect(store.getState().definition.activities[1].inputs.title).toBe('Hold kickoff with {{ account.name }}');
  });

  it("lists a WaitForTask's ports from the task it waits on, and offers the playbook's tasks to pick", () => {
    renderPanel(playbook, 'wait');
    expect([...document.querySelectorAll('.outcome-list code')].map((c) => c.textContent)).toEqual(['held', 'no-show', 'Overdue', 'Timeout']);
    const picker = document.querySelector('[data-input="task"] select') as HTMLSelectElement;
    expect(picker.value).toBe('kickoff');
  });

  it('switches an input to a JavaScript expression with ƒx', () => {
    const store = renderPanel(playbook, 'kickoff');
    fireEvent.click(document.querySelector('[data-input="priority"] .fx-toggle')!);
    expect(store.getState().definition.activities[1].inputs.priority).toEqual({ js: '' });
    fireEvent.change(document.querySelector('[data-input="priority"] textarea')!, { target: { value: "account.segment == 'enterprise' ? 'high' : 'normal'" } });
    expect(store.getState().definition.activities[1].inputs.priority).toEqual({ js: "account.segment == 'enterprise' ? 'high' : 'normal'" });
  });

  it('shows the engine\'s problem under the field it is about', () => {
    const store = renderPanel(playbook, 'check');
    act(() => store.setProblems([{ path: '$.activities[3].inputs.condition', message: 'Line 1: Unexpected token' }], playbook, 1));
    expect(screen.getByRole('alert').textContent).toBe('Line 1: Unexpected token');
  });

  it('speaks Japanese', () => {
    renderPanel(playbook, 'kickoff', 'ja');
    expect(screen.getByText('タスク作成')).toBeTruthy();
    expect(screen.getByText('件名')).toBeTruthy();
  });
});
