// The inventory end to end: a devops account adds a server through the
// form (keyboard only), opens it, moves it to `active` through the
// confirmation dialog, and a second browser sees the change arrive over
// server-sent events without a reload. A `user` cannot reach the page.
// axe in light and dark, en and ar; screenshots at 360 and 1280 px.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, closePage, goto, waitForHydration, checkA11y, screenshot,
  TEST_TIMEOUT,
} from './helpers.mjs';
import { account, ensureAdmin, signedIn } from './accounts.mjs';

const OPS = { email: 'inventory-ops@e2e.test', password: 'agraw-n-imudar-2026', name: 'Inventory Ops' };
const USER = { email: 'inventory-user@e2e.test', password: 'tasusmi-n-wawal-2026', name: 'Plain User' };

describe('servers inventory', () => {
  before(launchBrowser);
  before(ensureAdmin);
  before(() => account(OPS, 'devops'));
  before(() => account(USER, 'user'));
  after(closeBrowser);

  test('a devops adds a server, activates it, and another tab sees it live', { timeout: 2 * TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS);
    const watcher = await signedIn(OPS);
    try {
      await goto(watcher, '/app/servers');
      await waitForHydration(watcher);
      await watcher.locator('#server-table, #server-table-empty').first().waitFor();

      await goto(page, '/app/servers');
      await waitForHydration(page);
      const name = `web-${Date.now().toString(36)}`;
      await page.focus('#server-name');
      await page.keyboard.type(name);
      await page.keyboard.press('Tab');
      await page.keyboard.type(`${name}.example.net`);
      await page.keyboard.press('Tab');
      await page.keyboard.type('192.0.2.10 2001:db8::10');
      await page.fill('#server-tags', 'web eu');
      await page.locator('#server-form button[type=submit]').press('Enter');
      await page.locator('#server-detail', { hasText: name }).waitFor();
      // The other tab gets the new row from the event stream, no reload.
      await watcher.locator('#server-table', { hasText: name }).waitFor();

      // A bad hostname is named under its field, in words.
      await page.fill('#server-name', `${name}-bad`);
      await page.fill('#server-hostname', 'not a host');
      await page.locator('#server-form button[type=submit]').click();
      await page.locator('#server-hostname[aria-invalid=true]').waitFor();
      assert.match(await page.locator('#server-hostname-error').innerText(), /host/i);

      // planned → active, through the confirmation dialog.
      const activate = page.locator('#server-detail button', { hasText: /Active/ }).first();
      await activate.click();
      const dialog = page.locator('dialog[open]');
      await dialog.waitFor();
      await dialog.locator('button').last().click();
      await page.locator('#server-detail .badge.status-active').waitFor();
      await page.locator('#server-history', { hasText: 'server.lifecycle' }).waitFor();
      await watcher.locator('#server-table .badge.status-active').first().waitFor();
      await checkA11y(page, '/app/servers (devops, light)');
      await screenshot(page, 'servers-1280');

      // A password is typed unseen; a private key gets a textarea.
      assert.equal(await page.locator('input#server-ssh_credential[type=password]').count(), 1);
      await page.selectOption('#server-ssh_credential_kind', 'private-key');
      await page.locator('textarea#server-ssh_credential').waitFor();
    } finally {
      await closePage(page);
      await closePage(watcher);
    }
  });

  test('a saved view brings its filters back', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS);
    try {
      await goto(page, '/app/servers');
      await waitForHydration(page);
      await page.locator('#server-table, #server-table-empty').first().waitFor();
      const view = `staging db ${Date.now().toString(36)}`;
      await page.fill('#server-env-filter', 'staging');
      await page.locator('#server-env-filter').press('Tab');
      await page.selectOption('#server-status-filter', 'maintenance');
      await page.fill('#server-view-name', view);
      await page.locator('#server-view-name').press('Enter');
      await page.locator('#server-views option', { hasText: view }).waitFor({ state: 'attached' });
      // Cleared by hand, then restored by choosing the view.
      await page.fill('#server-env-filter', '');
      await page.locator('#server-env-filter').press('Tab');
      await page.selectOption('#server-status-filter', '');
      await page.selectOption('#server-view', { label: view });
      assert.equal(await page.inputValue('#server-env-filter'), 'staging');
      assert.equal(await page.inputValue('#server-status-filter'), 'maintenance');
      await checkA11y(page, '/app/servers with saved views');
    } finally {
      await closePage(page);
    }
  });

  test('phone, Arabic, dark: no sideways scroll, axe clean', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS, { width: 360, height: 800, colorScheme: 'dark' });
    try {
      await goto(page, '/ar/app/servers');
      await waitForHydration(page);
      await page.locator('#server-table, #server-table-empty').first().waitFor();
      await page.waitForLoadState('networkidle');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await checkA11y(page, '/ar/app/servers (360, dark)');
      await screenshot(page, 'servers-ar-360-dark');
    } finally {
      await closePage(page);
    }
  });

  test('a user cannot reach the inventory', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(USER);
    try {
      const res = await goto(page, '/app/servers');
      assert.equal(res.status(), 403);
      await waitForHydration(page);
      assert.equal(await page.locator('#server-table').count(), 0);
      const api = await page.evaluate(async () => (await fetch('/api/servers')).status);
      assert.equal(api, 403);
      // Nor does any link on the user's own page lead there.
      await goto(page, '/app/profile');
      await waitForHydration(page);
      const nav = await page.locator('a[href$="/app/servers"]').count();
      assert.equal(nav, 0, 'the navigation offers the page to a user');
    } finally {
      await closePage(page);
    }
  });
});
