// The designer stays smooth with a 200-step playbook: it opens within a budget, and dragging one step or typing
// into its properties re-renders that step only (memoized nodes, cached node objects, store selectors), while
// frames keep coming. Numbers are printed for the record; budgets are loose for a busy 2-core machine.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiClient } from './support/api.mjs';
import { openBrowser, screenshot, signIn } from './support/browser.mjs';
import { largePlaybook } from './support/fixtures.mjs';
import { startSuite } from './support/suite.mjs';

const steps = 200;
let suite;
let session;

before(async () => {
  suite = await startSuite();
  await apiClient(suite.url).post('/api/engine/definitions', largePlaybook('large', steps));
  session = await openBrowser({ baseURL: suite.url, storage: { 'playbooks.locale': 'en' } });
  await signIn(session.page, { user: 'mei.suzuki@example.com', role: 'cs-ops' });
});

after(async () => {
  await session?.close();
  await suite?.stop();
});

const renders = (page) => page.evaluate(() => window.__playbooksRenderCounts?.activityNode ?? 0);

/** Records the gaps between animation frames until stop() is called in the page. */
async function recordFrames(page) {
  await page.evaluate(() => {
    const gaps = [];
    let last = performance.now();
    let running = true;
    const tick = (now) => { gaps.push(now - last); last = now; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    window.__stopFrames = () => { running = false; return gaps; };
  });
  return async () => {
    const gaps = (await page.evaluate(() => window.__stopFrames())).slice(1).sort((a, b) => a - b);
    const at = (q) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))];
    return { frames: gaps.length, p50: at(0.5), p95: at(0.95) };
  };
}

test(`a ${steps}-step playbook opens in the designer within budget`, async () => {
  const { page } = session;
  await page.goto('/designer/large');
  const shownAt = await (await page.waitForFunction(() => {
    const nodes = document.querySelectorAll('.react-flow__node');
    const viewport = document.querySelector('.react-flow__viewport');
    const placed = nodes.length > 0 && [...nodes].every((n) => n.style.visibility !== 'hidden');
    return placed && viewport && viewport.style.transform !== '' ? performance.now() : false;
  }, undefined, { polling: 'raf', timeout: 30_000 })).jsonValue();
  const rendered = await page.locator('.react-flow__node').count();
  console.log(`designer: ${steps} steps, ${rendered} drawn, shown ${Math.round(shownAt)} ms after navigation`);
  assert.ok(rendered > 0);
  assert.equal(await page.locator('[data-testid="activity-count"]').textContent(), `${steps} steps`);
  assert.equal(rendered, steps, 'every step is drawn');
  assert.ok(shownAt < 10_000, `opened in ${shownAt} ms`);
  await screenshot(page, 'performance-200-steps');
});

test('dragging one step re-renders that step only, at a steady frame rate', async () => {
  const { page } = session;
  await page.getByRole('button', { name: 'Fit to view' }).click();
  // Zoom in on the middle of the chain, where a person would work.
  const canvas = await page.locator('.react-flow__pane').boundingBox();
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
  await page.waitForTimeout(400);
  const node = page.locator('.react-flow__node').nth(Math.floor((await page.locator('.react-flow__node').count()) / 2));
  const id = await node.getAttribute('data-id');
  const before = await node.boundingBox();
  const visible = await page.locator('.react-flow__node').count();

  const start = await renders(page);
  const stop = await recordFrames(page);
  const moves = 30;
  await page.mouse.move(before.x + before.width / 2, before.y + 12);
  await page.mouse.down();
  for (let i = 1; i <= moves; i++) await page.mouse.move(before.x + before.width / 2 + i * 6, before.y + 12 + i * 3);
  await page.mouse.up();
  const frames = await stop();
  const rerenders = (await renders(page)) - start;
  const after = await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
  console.log(`drag: ${moves} moves of 1 of ${visible} drawn steps → ${rerenders} node renders; frames p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms over ${frames.frames}`);

  assert.ok(after.x - before.x > 100, 'the step moved with the pointer');
  // Without memoization every drawn step would re-render on every move (≥ moves × drawn).
  assert.ok(rerenders <= moves * 2 + 10, `${rerenders} renders for ${moves} moves`);
  assert.ok(frames.p50 < 100, `median frame ${frames.p50} ms`);

  // The drag is one undo step.
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(300);
  const undone = await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
  assert.ok(Math.abs(undone.x - before.x) < 2 && Math.abs(undone.y - before.y) < 2, 'undo put the step back');
});

test("typing into a step's properties re-renders that step only", async () => {
  const { page } = session;
  // A step in view, as a person would click one.
  const id = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane').getBoundingClientRect();
    const inside = [...document.querySelectorAll('.react-flow__node')].find((n) => {
      const r = n.getBoundingClientRect();
      return r.left > pane.left && r.right < pane.right && r.top > pane.top && r.bottom < pane.bottom;
    });
    return inside.getAttribute('data-id');
  });
  await page.locator(`.react-flow__node[data-id="${id}"] .activity-node-name`).click();
  const field = page.locator('[data-testid="activity-properties"] .field', { hasText: 'Display name' }).locator('input');
  await field.fill('');
  const start = await renders(page);
  const text = 'Call the sponsor';
  await field.pressSequentially(text);
  const rerenders = (await renders(page)) - start;
  console.log(`typing: ${text.length} keystrokes → ${rerenders} node renders`);
  assert.equal(await page.locator(`.react-flow__node[data-id="${id}"] .activity-node-name`).textContent(), text);
  assert.ok(rerenders <= text.length * 2 + 10, `${rerenders} renders for ${text.length} keystrokes`);
});
