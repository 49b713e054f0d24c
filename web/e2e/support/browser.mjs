// Debian's Chromium driven by playwright-core: no browser is ever downloaded. Each session gets a fresh profile.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { webRoot } from './suite.mjs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = resolve(webRoot, 'e2e/artifacts');

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/**
 * A browser session as a person would have it: a laptop-sized window, a language, a time zone, and whatever the app
 * keeps in localStorage (`storage`). Its profile (the --user-data-dir) is a fresh temporary folder, removed on close().
 */
export async function openBrowser({ baseURL, locale = 'en-GB', timezoneId = 'Asia/Tokyo', storage = {} } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'playbooks-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, args: chromiumArgs, headless: true,
    baseURL, locale, timezoneId, viewport: { width: 1440, height: 900 },
  });
  if (Object.keys(storage).length) {
    await context.addInitScript((entries) => {
      try {
        for (const [k, v] of Object.entries(entries)) if (localStorage.getItem(k) === null) localStorage.setItem(k, v);
      } catch {
        // Error pages (the server went away) have no storage.
      }
    }, storage);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  return {
    page, context, problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Signs in through the app's sign-in page with the embedded dev sign-in, as a person would, and waits for the app to
 * show who is signed in. Signing in while signed in replaces the session (how the tests change person).
 */
export async function signIn(page, { user, role, team } = {}) {
  await page.goto('/sign-in');
  await page.locator('[data-testid="dev-sign-in-note"]').waitFor();
  await page.locator('[data-testid="sign-in-user"]').fill(user);
  await page.locator('[data-testid="sign-in-role"]').selectOption(role);
  await page.locator('[data-testid="sign-in-team"]').fill(team ?? '');
  await page.locator('[data-testid="sign-in-submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  await page.locator('[data-testid="user-menu"]').waitFor();
}

/** Signs out through the "signed in as" menu. */
export async function signOut(page) {
  await page.locator('[data-testid="user-menu"] summary').click();
  await page.locator('[data-testid="sign-out"]').click();
  await page.locator('[data-testid="dev-sign-in"]').waitFor();
}
