// Accounts and playbooks the browser tests create through the API.

export const ownerCsm = 'aiko.tanaka@example.com';

export function account(id, overrides = {}) {
  return {
    id, name: `Account ${id}`, ownerCsm, csmManager: 'kenji.sato@example.com', team: 'enterprise-east', segment: 'enterprise',
    arr: 120000, renewalDate: '2027-03-31', healthScore: 72, lifecycleStage: 'onboarding', timeZone: 'Asia/Tokyo',
    contacts: [{ name: 'Mika Ito', email: 'mika.ito@customer.example', role: 'admin' }],
    ...overrides,
  };
}

/** A playbook of `count` activities in a chain of task → wait → branch steps, for the designer's performance check. */
export function largePlaybook(definitionId, count) {
  const activities = [{ id: 'start', type: 'Start', inputs: {} }];
  const connections = [];
  let previous = { id: 'start', outcome: 'Done' };
  let lastTask = null;
  for (let i = 1; activities.length < count - 1; i++) {
    let step;
    if (i % 3 === 1) {
      step = { id: `task${i}`, type: 'CreateTask', displayName: `Call the customer (${i})`, inputs: { title: `Call {{ account.name }} (${i})`, outcomes: ['reached', 'no-answer'], dueIn: 'P2D' } };
      lastTask = step.id;
    } else if (i % 3 === 2) {
      step = { id: `wait${i}`, type: 'WaitForTask', inputs: { task: lastTask } };
    } else {
      step = { id: `check${i}`, type: 'If', inputs: { condition: `account.healthScore > ${i % 100}` } };
    }
    activities.push(step);
    connections.push({ from: previous.id, outcome: previous.outcome, to: step.id });
    previous = { id: step.id, outcome: step.type === 'CreateTask' ? 'Done' : step.type === 'WaitForTask' ? 'reached' : 'True' };
  }
  activities.push({ id: 'end', type: 'End', inputs: {} });
  connections.push({ from: previous.id, outcome: previous.outcome, to: 'end' });
  return {
    definitionId, name: `Large playbook (${activities.length} steps)`, tags: ['load-test'], triggers: [{ kind: 'manual' }],
    enrolment: { maxActivePerAccount: 1, exitOn: [] }, variables: [], activities, connections,
  };
}
