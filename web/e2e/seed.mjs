// Puts realistic data into a running suite for looking at the pages: accounts, a kickoff playbook (published) with
// runs, and a 200-step playbook. Usage: node e2e/seed.mjs http://127.0.0.1:8181
import { apiClient } from './support/api.mjs';
import { account, largePlaybook } from './support/fixtures.mjs';

export const kickoff = {
  definitionId: 'kickoff-demo',
  name: 'Kickoff after signature (demo)',
  description: 'Book the kickoff call within five business days of the contract.',
  tags: ['onboarding'],
  triggers: [{ kind: 'manual' }],
  enrolment: { maxActivePerAccount: 1, exitOn: [{ eventType: 'contract.cancelled' }] },
  goal: { eventType: 'kickoff.held', withinDays: 7 },
  variables: [{ name: 'maxReschedules', type: 'number', default: 2 }],
  activities: [
    { id: 'start', type: 'Start', inputs: {} },
    { id: 'welcome', type: 'SendNotification', displayName: 'Welcome email', inputs: { channel: 'email', template: 'welcome-email', recipients: [{ kind: 'contacts', role: 'admin' }] } },
    { id: 'kickoff', type: 'CreateTask', displayName: 'Hold the kickoff', inputs: { title: 'Hold kickoff with {{ account.name }}', outcomes: ['held', 'rescheduled', 'no-show'], dueInBusinessDays: 5, calendar: 'jp', priority: 'high' } },
    { id: 'waitKickoff', type: 'WaitForTask', inputs: { task: 'kickoff', timeout: 'P14D' } },
    { id: 'escalate', type: 'Escalate', inputs: { task: 'kickoff', reason: 'Kickoff with {{ account.name }} is overdue' } },
    { id: 'health', type: 'If', displayName: 'Healthy?', inputs: { condition: 'account.healthScore >= 60' } },
    { id: 'done', type: 'End', inputs: {} },
  ],
  connections: [
    { from: 'start', outcome: 'Done', to: 'welcome' },
    { from: 'welcome', outcome: 'Done', to: 'kickoff' },
    { from: 'kickoff', outcome: 'Done', to: 'waitKickoff' },
    { from: 'waitKickoff', outcome: 'held', to: 'health' },
    { from: 'waitKickoff', outcome: 'rescheduled', to: 'kickoff' },
    { from: 'waitKickoff', outcome: 'no-show', to: 'escalate' },
    { from: 'waitKickoff', outcome: 'Overdue', to: 'escalate' },
    { from: 'waitKickoff', outcome: 'Timeout', to: 'done' },
    { from: 'escalate', outcome: 'Done', to: 'done' },
    { from: 'health', outcome: 'True', to: 'done' },
    { from: 'health', outcome: 'False', to: 'done' },
  ],
};

export async function seed(baseUrl) {
  const api = apiClient(baseUrl, { user: 'seed-admin@example.com', role: 'admin' });
  await api.post('/api/engine/accounts', [
    account('acme', { name: 'Acme Corporation', healthScore: 82 }),
    account('globex', { name: 'Globex Japan', healthScore: 55, segment: 'mid-market', renewalDate: '2027-01-15' }),
    account('initech', { name: 'Initech', healthScore: 91, ownerCsm: 'ben.clark@example.com' }),
  ]);
  const existing = await api.get('/api/engine/definitions?includeArchived=true');
  const id = kickoff.definitionId;
  if (!existing.some((d) => d.definitionId === id)) {
    await api.post('/api/engine/definitions', kickoff);
    await api.post(`/api/engine/definitions/${id}/publish`, { note: 'First version: welcome email, kickoff task, escalation.' });
    await api.put(`/api/engine/definitions/${id}`, { ...kickoff, description: 'Book the kickoff call within five business days.' });
    await api.post(`/api/engine/definitions/${id}/publish`, { note: 'Shorter description.' });
    for (const accountId of ['acme', 'globex']) await api.post('/api/engine/instances', { definitionId: id, accountId });
    // Signatures start the shipped playbooks that listen for them (workflows/kickoff.json) where the suite has event intake.
    if (await api.exists('POST', '/api/engine/events', [])) {
      await api.post('/api/engine/events', ['acme', 'initech'].map((accountId) => ({
        id: `seed-contract-${accountId}`, type: 'contract.signed', accountId, occurredAt: new Date().toISOString(), data: { plan: 'enterprise' },
      })));
    }
  }
  if (!existing.some((d) => d.definitionId === 'large')) await api.post('/api/engine/definitions', largePlaybook('large', 200));
}

if (process.argv[1]?.endsWith('seed.mjs')) {
  await seed(process.argv[2] ?? 'http://127.0.0.1:8080');
  console.log('seeded');
}
