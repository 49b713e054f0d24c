// Roles and the admin pages in a real browser (issue 11): a CSM sees only the inbox and is told plainly that an admin
// page is not for their role; an admin creates an API key (shown once, copied), a machine caller uses it, the admin
// revokes it and the caller is refused; the audit log shows who published a playbook and who created and revoked the
// key, with the playbook's before and after. Screenshots go to e2e/artifacts/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiClient, eventually } from './support/api.mjs';
import { openBrowser, screenshot, signIn, signOut } from './support/browser.mjs';
import { account, ownerCsm } from './support/fixtures.mjs';
import { startSuite } from './support/suite.mjs';

let suite;
let session;
let admin;
const adminUser = 'hana.admin@example.com';
let createdKey;

before(async () => {
  suite = await startSuite();
  admin = apiClient(suite.url, { user: adminUser, role: 'admin' });
  session = await openBrowser({ baseURL: suite.url, storage: { 'playbooks.locale': 'en' } });
  // Something for the audit log: a playbook saved and published by CS Ops.
  const csOps = apiClient(suite.url, { user: 'mei.suzuki@example.com', role: 'cs-ops' });
  await csOps.post('/api/engine/definitions', {
    definitionId: 'audit-me', name: 'Audit me', tags: [], triggers: [{ kind: 'manual' }], enrolment: { maxActivePerAccount: 1, exitOn: [] }, variables: [],
    activities: [{ id: 'start', type: 'Start', inputs: {} }, { id: 'end', type: 'End', inputs: {} }],
    connections: [{ from: 'start', outcome: 'Done', to: 'end' }],
  });
  await csOps.post('/api/engine/definitions/audit-me/publish', { note: 'For the audit log' });
  await admin.post('/api/engine/accounts', account('e2e-keys', { name: 'Keys Inc (e2e)' }));
});

after(async () => {
  if (session) {
    const unexpected = session.problems.filter((p) => !/status of (401|403|404)/.test(p));
    if (unexpected.length) console.log(`browser problems:\n  ${unexpected.join('\n  ')}`);
    await session.close();
  }
  await suite?.stop();
});

test('the API refuses anonymous callers and roles that may not act', async () => {
  const anonymous = await fetch(`${suite.url}/api/engine/definitions`);
  assert.equal(anonymous.status, 401);
  const csm = apiClient(suite.url, { user: ownerCsm, role: 'csm', team: 'enterprise-east' });
  const publish = await csm.send('POST', '/api/engine/definitions/audit-me/publish', { note: 'not mine to publish' });
  assert.equal(publish.status, 403);
});

test('a CSM sees only the inbox, and an admin page says their role cannot open it', async () => {
  const { page } = session;
  await signIn(page, { user: ownerCsm, role: 'csm', team: 'enterprise-east' });
  assert.deepEqual(await page.locator('.navigation .nav-link').allTextContents(), ['Inbox']);
  await page.goto('/admin/keys');
  assert.match(await page.locator('[data-testid="no-access"]').textContent(), /Your role \(CSM\) can’t open this page/);
  await screenshot(page, 'roles-csm-no-access');
  await signOut(page);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
});

test('an admin creates an API key, sees it once and copies it', async () => {
  const { page, context } = session;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.url });
  await signIn(page, { user: adminUser, role: 'admin' });
  assert.deepEqual(await page.locator('.navigation .nav-link').allTextContents(),
    ['Playbooks', 'Designer', 'Runs', 'Inbox', 'Dashboard', 'API keys', 'Audit log']);
  await page.locator('.navigation .nav-link', { hasText: 'API keys' }).click();
  await page.locator('[data-testid="api-keys"]').waitFor();
  await page.locator('[data-testid="new-key"]').click();
  await page.locator('[data-testid="key-name"]').fill('CRM (e2e)');
  assert.equal(await page.locator('[data-testid="key-role"]').inputValue(), 'integration');
  await page.locator('dialog button[type="submit"]').click();
  await page.locator('[data-testid="created-key"]').waitFor();
  createdKey = await page.locator('[data-testid="created-key-value"]').inputValue();
  assert.ok(createdKey.length >= 16, `a key: ${createdKey}`);
  await page.locator('[data-testid="copy-key"]').click();
  await page.locator('[data-testid="copy-key"]', { hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), createdKey);
  const row = page.locator('[data-testid="keys-table"] tbody tr', { hasText: 'CRM (e2e)' });
  await row.waitFor();
  assert.ok(!(await page.locator('[data-testid="keys-table"]').textContent()).includes(createdKey), 'the list never shows the whole key');
  await screenshot(page, 'admin-key-created');
  await page.locator('[data-testid="created-key-done"]').click();
  await page.reload();
  await row.waitFor();
  assert.equal(await page.locator('[data-testid="created-key"]').count(), 0, 'the key is not shown again');
});

test('the key works for a machine caller until the admin revokes it', async () => {
  const crm = apiClient(suite.url, { apiKey: createdKey });
  const event = (n) => ({ id: `e2e-key-${n}-${Date.now()}`, type: 'usage.reported', accountId: 'e2e-keys', occurredAt: new Date().toISOString(), data: {} });
  const accepted = await crm.send('POST', '/api/engine/events', event(1));
  assert.ok(accepted.ok, `the CRM's event was accepted: ${accepted.status} ${await accepted.text()}`);

  const { page } = session;
  const row = page.locator('[data-testid="keys-table"] tbody tr', { hasText: 'CRM (e2e)' });
  await row.locator('[data-testid="revoke-key"]').click();
  await page.locator('dialog', { hasText: 'Revoke “CRM (e2e)”?' }).locator('button[type="submit"]').click();
  await row.locator('[data-testid="key-revoked"]').waitFor();
  await screenshot(page, 'admin-key-revoked');
  const refused = await eventually(async () => {
    const response = await crm.send('POST', '/api/engine/events', event(2));
    return response.status === 401 ? response : null;
  }, { timeoutMs: 10_000, message: 'the revoked key to be refused' });
  assert.equal(refused.status, 401);
});

test('the audit log shows the publish and the key changes, with what changed', async () => {
  const { page } = session;
  await page.locator('.navigation .nav-link', { hasText: 'Audit log' }).click();
  await page.locator('[data-testid="audit-table"]').waitFor();
  for (const action of ['definition.published', 'apikey.created', 'apikey.revoked']) {
    await page.locator(`[data-testid="audit-table"] tr[data-action="${action}"]`).first().waitFor();
  }
  // Only the key changes, by the admin.
  await page.locator('[data-testid="audit-action"]').fill('apikey.created');
  await page.locator('[data-testid="audit-actor"]').fill(adminUser);
  await page.locator('[data-testid="audit-apply"]').click();
  await eventually(async () => {
    const actions = await page.locator('[data-testid="audit-table"] tbody tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    return actions.length === 1 && actions[0] === 'apikey.created';
  }, { message: 'the filtered audit log to show only the key creation' });
  assert.match(await page.locator('[data-testid="audit-table"] tbody tr[data-action]').textContent(), new RegExp(adminUser.replace('.', '\\.')));

  // The publish, opened: what it changed.
  await page.getByRole('button', { name: 'Clear' }).click();
  const publish = page.locator('[data-testid="audit-table"] tr[data-action="definition.published"]').first();
  await publish.waitFor();
  if (await publish.locator('[data-testid="audit-toggle"]').count()) {
    await publish.locator('[data-testid="audit-toggle"]').click();
    await page.locator('[data-testid="audit-changes"]').waitFor();
  }
  await screenshot(page, 'admin-audit-log');
});
