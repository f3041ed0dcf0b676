// Incidents end to end: a `user` reports a problem from a phone (keyboard
// only) and follows it; a devops account sees the ticket arrive live,
// takes it and acknowledges it; the reporter's page shows the new status
// and the timeline without a reload. axe in light and dark, en and ar;
// screenshots at 360 and 1280 px.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, closePage, goto, waitForHydration, checkA11y, screenshot,
  TEST_TIMEOUT, postFrom,
} from './helpers.mjs';
import { account, ensureAdmin, signedIn } from './accounts.mjs';

const OPS = { email: 'incident-ops@e2e.test', password: 'tamsalt-n-wussan-2026', name: 'Incident Ops' };
const USER = { email: 'incident-user@e2e.test', password: 'amezruy-n-tudert-2026', name: 'Reporting User' };
const PHONE = { width: 360, height: 800 };

describe('incidents', () => {
  before(launchBrowser);
  before(ensureAdmin);
  before(() => account(OPS, 'devops'));
  before(() => account(USER, 'user'));
  after(closeBrowser);

  test('a user reports from a phone; devops takes it live; the user sees it move', { timeout: 2 * TEST_TIMEOUT }, async () => {
    const phone = await signedIn(USER, PHONE);
    const ops = await signedIn(OPS);
    try {
      await goto(ops, '/app/incidents');
      await waitForHydration(ops);
      await ops.locator('#incident-table, #incident-table-empty').first().waitFor();

      await goto(phone, '/app/incidents');
      await waitForHydration(phone);
      // A user has no list of every ticket, only their own.
      assert.equal(await phone.locator('#incident-table').count(), 0);
      const title = `VPN drops every hour ${Date.now().toString(36)}`;
      // An empty title is named under its field, nothing is sent.
      await phone.locator('#report-form button[type=submit]').click();
      await phone.locator('#report-title[aria-invalid=true]').waitFor();
      await phone.focus('#report-title');
      await phone.keyboard.type(title);
      await phone.keyboard.press('Tab');
      await phone.keyboard.press('ArrowDown'); // medium → low
      await phone.keyboard.press('Tab');
      await phone.keyboard.type('Since this morning, from the office network.');
      await phone.keyboard.press('Tab');
      await phone.keyboard.press('Enter');
      await phone.locator('#incident-detail', { hasText: title }).waitFor();
      await phone.locator('#my-incident-table', { hasText: title }).waitFor();
      const wide = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
      await checkA11y(phone, '/app/incidents (user, 360)');
      await screenshot(phone, 'incidents-user-360');

      // The devops page gets the ticket over the event stream, no reload.
      const row = ops.locator('#incident-table button', { hasText: title });
      await row.waitFor();
      await row.click();
      await ops.locator('#incident-detail', { hasText: title }).waitFor();
      await ops.locator('#incident-take').click();
      await ops.locator('#incident-assignee', { hasText: OPS.name }).waitFor();
      await ops.locator('#incident-actions button', { hasText: /Acknowledged/ }).click();
      await ops.locator('#incident-detail .badge.incident-acknowledged').waitFor();
      await ops.fill('#comment-body', 'Looking at the VPN concentrator.');
      await ops.locator('#comment-form button[type=submit]').click();
      await ops.locator('#incident-timeline', { hasText: 'Looking at the VPN concentrator.' }).waitFor();
      // The post-mortem starts as a draft assembled from the ticket.
      const draft = ops.locator('#postmortem-body');
      await ops.waitForFunction(() => (document.querySelector('#postmortem-body')?.value || '').startsWith('# Post-mortem:'));
      assert.match(await draft.inputValue(), /Looking at the VPN concentrator\./);
      await draft.fill(`${await draft.inputValue()}\nThe concentrator's certificate had expired.`);
      await ops.locator('#postmortem-form button[type=submit]').click();
      await ops.locator('#postmortem-form [role=status]', { hasText: /saved/i }).waitFor();
      await checkA11y(ops, '/app/incidents (devops, light)');
      await screenshot(ops, 'incidents-1280');

      // The reporter's page follows, no reload: the new status and the comment.
      await phone.locator('#my-incident-table .badge.incident-acknowledged').waitFor();
      await phone.locator('#my-incident-table button', { hasText: title }).click();
      await phone.locator('#incident-timeline', { hasText: 'Looking at the VPN concentrator.' }).waitFor();
      assert.equal(await phone.locator('#incident-actions').count(), 0, 'a user gets no manager actions');

      // The devops inbox has the new ticket; marking the page read empties the count.
      await goto(ops, '/app/notifications');
      await waitForHydration(ops);
      await ops.locator('#inbox-list', { hasText: title }).waitFor();
      await checkA11y(ops, '/app/notifications (devops)');
      await ops.locator('#inbox-mark-all').click();
      await ops.locator('#inbox-unread', { hasText: /^0 / }).waitFor();
      await screenshot(ops, 'notifications-1280');
    } finally {
      await closePage(phone);
      await closePage(ops);
    }
  });

  test('the SLA timers count down live and stop when the deadline is met', { timeout: TEST_TIMEOUT }, async () => {
    const ops = await signedIn(OPS);
    try {
      await goto(ops, '/app/incidents');
      await waitForHydration(ops);
      // A critical ticket must be acknowledged within 15 minutes.
      const title = `Database primary unreachable ${Date.now().toString(36)}`;
      const made = await postFrom(ops, '/api/incidents', { title, description: 'From every app server.', severity: 'critical' });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      const row = ops.locator('#incident-table button', { hasText: title });
      await row.waitFor();
      await row.click();
      await ops.locator('#incident-detail', { hasText: title }).waitFor();
      const ack = ops.locator('#sla-ack');
      await ops.locator('#sla-ack', { hasText: /^due in 1[45] min \d\d s$/ }).waitFor();
      // The seconds move without a reload or a request.
      const first = await ack.textContent();
      await ops.waitForFunction((was) => document.querySelector('#sla-ack')?.textContent !== was, first);
      assert.match(await ops.locator('#sla-resolve').textContent(), /^due in [34] h \d\d min$/);
      await ops.locator('#incident-actions button', { hasText: /Acknowledged/ }).click();
      await ops.locator('#sla-ack', { hasText: /^met$/ }).waitFor();
      assert.match(await ops.locator('#sla-resolve').textContent(), /^due in/);
      await checkA11y(ops, '/app/incidents (SLA timers)');
    } finally {
      await closePage(ops);
    }
  });

  test('phone, Arabic, dark: no sideways scroll, axe clean', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS, { ...PHONE, colorScheme: 'dark' });
    try {
      await goto(page, '/ar/app/incidents');
      await waitForHydration(page);
      await page.locator('#incident-table, #incident-table-empty').first().waitFor();
      const first = page.locator('#incident-table button').first();
      if (await first.count()) {
        await first.click();
        await page.locator('#incident-detail').waitFor();
      }
      await page.waitForLoadState('networkidle');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await checkA11y(page, '/ar/app/incidents (360, dark)');
      await screenshot(page, 'incidents-ar-360-dark');
    } finally {
      await closePage(page);
    }
  });
});
