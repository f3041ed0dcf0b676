// Alerting end to end: a devops user writes a rule in the editor for a
// monitor whose port is closed; the alert fires and appears in the list
// live (no reload), its incident opens, it is acknowledged from the list,
// and it is in the user's inbox. A `user` cannot reach the page. axe in light and dark, en and ar;
// screenshots at 360 and 1280 px.
//
// Named to sort after auth.spec: node runs the files in name order, and the
// auth spec must be the one to spend the setup link through its form.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, closePage, goto, waitForHydration, checkA11y, screenshot,
  TEST_TIMEOUT, postFrom,
} from './helpers.mjs';
import { account, ensureAdmin, signedIn } from './accounts.mjs';

const OPS = { email: 'alert-ops@e2e.test', password: 'tagrawla-n-wass-2026', name: 'Alert Ops' };
const USER = { email: 'alert-user@e2e.test', password: 'ighil-n-tafsut-2026', name: 'Alert User' };
const PHONE = { width: 360, height: 800 };

describe('alerts', () => {
  before(launchBrowser);
  before(ensureAdmin);
  before(() => account(OPS, 'devops'));
  before(() => account(USER, 'user'));
  after(closeBrowser);

  test('a rule written in the editor fires live, opens an incident, is acknowledged', { timeout: 2 * TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS);
    try {
      await goto(page, '/app/alerts');
      await waitForHydration(page);
      await page.locator('#rules-table, #rules-table-empty').first().waitFor();
      // A TCP check of a closed port: down at its first check.
      const suffix = Date.now().toString(36);
      const monitor = await postFrom(page, '/api/monitors', {
        name: `closed-port-${suffix}`, kind: 'tcp', target: '127.0.0.1:9', interval_seconds: 10,
        timeout_seconds: 2, retries: 0,
      });
      assert.equal(monitor.status, 200, JSON.stringify(monitor.body));

      // Bad input is named under its field.
      await page.locator('#rule-form button[type=submit]').click();
      await page.locator('#rule-name[aria-invalid=true]').waitFor();
      const name = `Closed port ${suffix}`;
      await page.fill('#rule-name', name);
      await page.fill('#rule-monitor_id', String(monitor.body.id));
      await page.fill('#rule-consecutive', '1');
      await page.selectOption('#rule-severity', 'critical');
      await page.fill('#rule-labels', 'team=e2e');
      await page.check('#rule-opens_incident');
      await page.locator('#rule-form button[type=submit]').click();
      await page.locator('#rules-table button', { hasText: name }).waitFor();

      // The alert arrives over the event stream.
      const row = page.locator('#alerts-table tr, #alerts-table li', { hasText: name }).first();
      await row.waitFor({ timeout: 40_000 });
      await page.locator('#alerts-table .badge.alert-firing').first().waitFor();
      const incident = row.locator('a[href^="/app/incidents?selected="]');
      await incident.waitFor();
      await checkA11y(page, '/app/alerts (devops, light)');
      await screenshot(page, 'alerts-1280');

      // Acknowledged from the list, by keyboard.
      await row.locator('input.alert-pick').focus();
      await page.keyboard.press('Space');
      await page.locator('#alerts-ack').click();
      await page.locator('#alerts-bulk [role=status]', { hasText: /acknowledged/i }).waitFor();
      await row.locator('text=Alert Ops').waitFor();

      // The incident it opened.
      await incident.click();
      await page.locator('#incident-detail', { hasText: name }).waitFor();

      // The firing alert is in the devops user's inbox.
      await goto(page, '/app/notifications');
      await waitForHydration(page);
      await page.locator('#inbox-list', { hasText: name }).waitFor();
    } finally {
      await closePage(page);
    }
  });

  test('phone, Arabic, dark: no sideways scroll, axe clean; a user is refused', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS, { ...PHONE, colorScheme: 'dark' });
    const user = await signedIn(USER, PHONE);
    try {
      await goto(page, '/ar/app/alerts');
      await waitForHydration(page);
      await page.locator('#alerts-table, #alerts-table-empty').first().waitFor();
      await page.locator('#rules-table, #rules-table-empty').first().waitFor();
      await page.waitForLoadState('networkidle');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await checkA11y(page, '/ar/app/alerts (360, dark)');
      await screenshot(page, 'alerts-ar-360-dark');

      const res = await user.goto(new URL('/app/alerts', page.url()).origin + '/app/alerts');
      assert.equal(res.status(), 403);
      const api = await user.evaluate(async () => (await fetch('/api/alerts')).status);
      assert.equal(api, 403);
    } finally {
      await closePage(page);
      await closePage(user);
    }
  });
});
