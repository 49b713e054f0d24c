// Takes a screenshot of every page, in English and Japanese, for people to look at (e2e/artifacts/tour-*.png).
// Usage: node e2e/tour.mjs                          starts its own suite and seeds it
//        node e2e/tour.mjs http://127.0.0.1:8181    a running suite (run e2e/seed.mjs against it first)
import { seed } from './seed.mjs';
import { openBrowser, screenshot, signIn } from './support/browser.mjs';
import { ownerCsm } from './support/fixtures.mjs';
import { startSuite } from './support/suite.mjs';

const suite = process.argv[2] ? null : await startSuite();
if (suite) await seed(suite.url);
const baseURL = process.argv[2] ?? suite.url;
for (const [lang, locale] of [['en', 'en-GB'], ['ja', 'ja-JP']]) {
  const session = await openBrowser({ baseURL, locale });
  const { page, problems } = session;
  try {
    const visit = async (path, name, ready) => {
      await page.goto(path);
      await page.waitForSelector(ready, { timeout: 15_000 });
      await page.waitForTimeout(400);
      console.log(await screenshot(page, `tour-${lang}-${name}`));
    };
    await visit('/sign-in', 'sign-in', '[data-testid="dev-sign-in"]');
    await signIn(page, { user: 'hana.admin@example.com', role: 'admin' });
    await visit('/playbooks', 'playbooks', '[data-testid="playbooks-table"]');
    await visit('/designer/kickoff-demo', 'designer', '.react-flow__node');
    await page.click('[data-testid="node-waitKickoff"]');
    await page.waitForTimeout(300);
    console.log(await screenshot(page, `tour-${lang}-designer-selected`));
    // A broken condition: the engine's verdict shows on the node, under the field and in the problems list.
    await page.click('[data-testid="node-health"] .activity-node-name');
    await page.fill('[data-input="condition"] textarea', 'account.healthScore >=');
    await page.waitForSelector('[data-testid="node-health"] .problem-badge');
    console.log(await screenshot(page, `tour-${lang}-designer-problem`));
    await page.click('[data-testid="tab-problems"]');
    console.log(await screenshot(page, `tour-${lang}-designer-problems-list`));
    await page.click('.react-flow__pane', { position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await page.waitForSelector('[data-testid="node-health"] .problem-badge', { state: 'detached' });
    await page.click('[data-testid="tab-versions"]');
    await page.click('text=/Compare with previous|前のバージョンと比較/');
    await page.waitForSelector('[data-testid="diff-table"], .versions-panel p');
    console.log(await screenshot(page, `tour-${lang}-designer-versions`));
    await page.click('[data-testid="tab-testRun"]');
    await page.click('[data-testid="run-simulation"]');
    await page.waitForSelector('[data-testid="timeline"]');
    console.log(await screenshot(page, `tour-${lang}-designer-test-run`));
    await visit('/designer/large', 'designer-large', '.react-flow__node');
    await visit('/designer/renewal-outreach', 'designer-shipped-renewal', '.react-flow__node');
    await visit('/runs', 'runs', '[data-testid="runs-table"]');
    await page.click('[data-testid="runs-table"] tbody tr:first-child a');
    await page.waitForSelector('[data-testid="run-diagram"] .react-flow__node');
    await page.waitForTimeout(400);
    console.log(await screenshot(page, `tour-${lang}-run`));
    await visit('/dashboard', 'dashboard', '[data-testid="dashboard"] .card');
    await visit('/admin/keys', 'api-keys', '[data-testid="api-keys"]');
    await visit('/admin/audit', 'audit', '[data-testid="audit-table"]');
    await signIn(page, { user: ownerCsm, role: 'csm', team: 'enterprise-east' });
    await visit('/inbox', 'inbox', '[data-testid="inbox"]');
    if (problems.length) console.log(`${lang} page problems:\n  ${problems.join('\n  ')}`);
  } finally {
    await session.close();
  }
}
await suite?.stop();
