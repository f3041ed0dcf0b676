// SLA policies and the maintenance calendar end to end. An administrator
// gives a severity business hours, submitted with Enter (a bad closing
// time is named under its field first); a devops account reads the
// policies but has no form. A weekly maintenance window appears on its
// days in the calendar, which moves a week at a time, in Arabic at 360 px,
// dark, with no sideways scroll and no axe violation.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, closePage, goto, waitForHydration, checkA11y, screenshot,
  TEST_TIMEOUT, postFrom,
} from './helpers.mjs';
import { ADMIN, account, ensureAdmin, signedIn } from './accounts.mjs';

const OPS = { email: 'sla-ops@e2e.test', password: 'tasalt-n-uxeddim-2026', name: 'SLA Ops' };
const PHONE = { width: 360, height: 800 };

async function noSidewaysScroll(page) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
}

describe('SLA policies and the maintenance calendar', () => {
  before(launchBrowser);
  before(ensureAdmin);
  before(() => account(OPS, 'devops'));
  after(closeBrowser);

  test('an administrator sets business hours, submitted by keyboard; devops only reads them', { timeout: TEST_TIMEOUT }, async () => {
    const admin = await signedIn(ADMIN);
    const ops = await signedIn(OPS);
    try {
      await goto(admin, '/app/incidents');
      await waitForHydration(admin);
      const low = admin.locator('#sla-table tbody tr', { hasText: 'Low' });
      await low.waitFor();
      assert.equal(await admin.locator('#sla-table tbody tr').count(), 5);

      // Choosing a severity fills the form with its policy.
      await admin.focus('#sla-severity');
      await admin.selectOption('#sla-severity', 'low');
      await admin.waitForFunction(() => document.querySelector('#sla-acknowledge_minutes').value === '1440');
      await admin.fill('#sla-acknowledge_minutes', '120');
      await admin.fill('#sla-business_days', 'mon,tue,wed,thu,fri');
      await admin.fill('#sla-day_start', '09:00');
      await admin.fill('#sla-day_end', '09:10');
      await admin.fill('#sla-time_zone', 'Africa/Algiers');
      await admin.focus('#sla-time_zone');
      await admin.keyboard.press('Enter');
      // Opening hours under 30 minutes: named under the closing time.
      await admin.locator('#sla-day_end[aria-invalid=true]').waitFor();
      await admin.fill('#sla-day_end', '17:00');
      await admin.focus('#sla-time_zone');
      await admin.keyboard.press('Enter');
      await admin.locator('#sla-form .notice-success').waitFor();
      await admin.locator('#sla-table tbody tr', { hasText: '2 h' }).filter({ hasText: 'Africa/Algiers' }).waitFor();
      await checkA11y(admin, '/app/incidents (admin, SLA)');
      await screenshot(admin, 'sla-admin-1280');

      await goto(ops, '/app/incidents');
      await waitForHydration(ops);
      await ops.locator('#sla-table tbody tr', { hasText: 'Africa/Algiers' }).waitFor();
      assert.equal(await ops.locator('#sla-form').count(), 0, 'devops has no form');
      const tried = await postFrom(ops, '/api/incidents/sla', { severity: 'low', acknowledge_minutes: 40320, time_zone: 'UTC' });
      assert.equal(tried.status, 403);
    } finally {
      await closePage(admin);
      await closePage(ops);
    }
  });

  test('a weekly window shows on its days; Arabic, phone, dark', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS, { ...PHONE, colorScheme: 'dark' });
    try {
      await goto(page, '/ar/app/alerts');
      await waitForHydration(page);
      const title = `Backups ${Date.now().toString(36)}`;
      const saved = await postFrom(page, '/api/alerts/maintenance', {
        title, tags: ['db'], kind: 'weekly', weekdays: ['wed'], start_time: '23:00',
        duration_minutes: 120, time_zone: 'UTC',
      });
      assert.equal(saved.status, 200);
      await goto(page, '/ar/app/alerts');
      await waitForHydration(page);
      // Two weeks: a Wednesday in each, the window running into Thursday.
      const items = page.locator('#maintenance-calendar .calendar-item', { hasText: title });
      await items.first().waitFor();
      assert.equal(await items.count(), 4);
      assert.equal(await page.locator('#maintenance-calendar .calendar-day').count(), 14);
      const range = await page.locator('.calendar-nav p').textContent();
      await page.focus('#calendar-later');
      await page.keyboard.press('Enter');
      await page.waitForFunction((r) => document.querySelector('.calendar-nav p').textContent !== r, range);
      await items.first().waitFor();
      await page.waitForLoadState('networkidle');
      await noSidewaysScroll(page);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await checkA11y(page, '/ar/app/alerts calendar (360, dark)');
      await screenshot(page, 'alerts-calendar-ar-360-dark');
    } finally {
      await closePage(page);
    }
  });
});
