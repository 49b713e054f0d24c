// What a person does on the designer's canvas, as Playwright steps.

/** Drags an activity type from the palette and drops it at (x, y) relative to the canvas's top-left corner. */
export async function dragFromPalette(page, type, x, y) {
  const before = await page.locator('.react-flow__node').count();
  await page.dragAndDrop(`.palette-item[data-activity-type="${type}"]`, '[data-testid="designer-canvas"] .react-flow__pane', { targetPosition: { x, y } });
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length > n, before);
}

/** The centre of an element on screen. */
async function centre(locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from an outcome port of one step to the input of another, as a person connects them. */
export async function connect(page, fromId, outcome, toId) {
  const from = await centre(page.locator(`[data-testid="node-${fromId}"] .react-flow__handle.source[data-handleid="${outcome}"]`));
  const to = await centre(page.locator(`[data-testid="node-${toId}"] .react-flow__handle.target`));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await page.locator(`.react-flow__edge[data-id="${fromId}\u2192${outcome}\u2192${toId}"]`).waitFor({ state: 'attached' });
}

export async function selectNode(page, id) {
  await page.locator(`[data-testid="node-${id}"] .activity-node-name`).click();
  await page.locator('[data-testid="activity-properties"]').waitFor();
}

/** Ids of the steps on the canvas, in the order React Flow draws them. */
export const nodeIds = (page) => page.$$eval('.react-flow__node', (nodes) => nodes.map((n) => n.getAttribute('data-id')));
