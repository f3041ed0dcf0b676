// The chain that ends on a public status page: an admin builds a page in
// the editor over a monitor; the monitored port is closed, so the check
// goes down, a rule fires and opens an incident; the devops user, on the
// inbox, sees the notification arrive live (list, toast, bell), then
// acknowledges and resolves
// the incident and publishes its post-mortem; an anonymous visitor sees the
// outage, then the incident in the page's history with its post-mortem.
// axe in light and dark, en and ar; no sideways scroll at 360 px;
// screenshots at 360 and 1280 px. A `user` cannot reach the editor, and
// sets their own notification preferences from a phone.
//
// Named to sort after auth.spec (node runs the files in name order).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, closePage, goto, newPage, waitForHydration, checkA11y, screenshot,
  TEST_TIMEOUT, postFrom,
} from './helpers.mjs';
import { ADMIN, account, ensureAdmin, signedIn } from './accounts.mjs';

const OPS = { email: 'status-ops@e2e.test', password: 'tafat-n-wass-2026', name: 'Status Ops' };
const USER = { email: 'status-user@e2e.test', password: 'asif-n-tala-2026', name: 'Status User' };
const PHONE = { width: 360, height: 800 };
const suffix = Date.now().toString(36);
const SLUG = `acme-${suffix}`;

async function noSidewaysScroll(page) {
  await page.waitForLoadState('networkidle');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `${page.url()} scrolls sideways by ${wide}px`);
}

describe('status pages', () => {
  before(launchBrowser);
  before(ensureAdmin);
  before(() => account(OPS, 'devops'));
  before(() => account(USER, 'user'));
  after(closeBrowser);

  test('an outage reaches the public page; the resolved incident stays in its history', { timeout: 3 * TEST_TIMEOUT }, async () => {
    const ops = await signedIn(OPS);
    const admin = await signedIn(ADMIN);
    const visitor = await newPage();
    try {
      // A TCP check of a closed port: down at its first check.
      const monitorName = `shop-${suffix}`;
      const monitor = await postFrom(ops, '/api/monitors', {
        name: monitorName, kind: 'tcp', target: '127.0.0.1:9', interval_seconds: 10, timeout_seconds: 2, retries: 0,
      });
      assert.equal(monitor.status, 200, JSON.stringify(monitor.body));

      // The admin builds the page in the editor: bad input first.
      await goto(admin, '/app/status-pages');
      await waitForHydration(admin);
      await admin.locator('#status-pages-table, #status-pages-table-empty').first().waitFor();
      await admin.locator('#status-form button[type=submit]').click();
      await admin.locator('#status-slug[aria-invalid=true]').waitFor();
      await admin.fill('#status-slug', SLUG);
      await admin.fill('#status-title', 'Acme Shop');
      await admin.fill('#status-description', 'The shop and its checkout.');
      await admin.locator('.part-name').first().fill('Checkout');
      await admin.locator('.status-part-monitors label', { hasText: monitorName }).locator('input').check();
      await admin.locator('#status-form button[type=submit]').click();
      await admin.locator('#status-pages-table a', { hasText: `/status/${SLUG}` }).waitFor();
      await checkA11y(admin, '/app/status-pages (admin, light)');
      await screenshot(admin, 'status-editor-1280');

      // The devops user waits on the inbox; the rule that will fire is written now.
      await goto(ops, '/app/notifications');
      await waitForHydration(ops);
      await ops.locator('#inbox-list, #inbox-empty').first().waitFor();
      const ruleName = `Shop down ${suffix}`;
      const rule = await postFrom(ops, '/api/alerts/rules', {
        name: ruleName, condition: 'down', monitor_id: monitor.body.id, consecutive: 1,
        severity: 'critical', opens_incident: true, enabled: true,
      });
      assert.equal(rule.status, 200, JSON.stringify(rule.body));
      // The notification arrives over the event stream, no reload: in the
      // list, as a toast, and in the bell's count.
      await ops.locator('#inbox-live', { hasText: /.+/ }).waitFor({ timeout: 40_000 });
      await ops.locator('#inbox-list', { hasText: ruleName }).waitFor();
      await ops.locator('#toasts .toast', { hasText: ruleName }).waitFor();
      await ops.locator('#bell-count:not([hidden])').waitFor();
      const unread = Number(await ops.locator('#bell-count').textContent());
      assert.ok(unread >= 1, `bell shows ${unread}`);
      await checkA11y(ops, '/app/notifications with a toast (light)');
      await screenshot(ops, 'notifications-toast-1280', { fullPage: false });
      // Marking everything read empties the bell.
      await ops.locator('#inbox-mark-all').click();
      await ops.locator('#bell-count[hidden]').waitFor({ state: 'attached' });
      // The toast goes by its button.
      if (await ops.locator('#toasts .toast').count()) {
        await ops.locator('#toasts .toast button').first().click();
        await ops.locator('#toasts .toast').waitFor({ state: 'detached' });
      }

      // Anyone sees the outage and the incident in progress.
      await goto(visitor, `/status/${SLUG}`);
      await visitor.locator('#status-active', { hasText: ruleName }).waitFor({ timeout: 10_000 });
      await visitor.locator('#status-overall.health-outage').waitFor();
      // All of it is in the HTML: the split WASM files of its route are not
      // preloaded (only the main one is), and it still hydrates.
      assert.equal(await visitor.locator('link[rel=preload][href$=".wasm"]').count(), 1);
      await waitForHydration(visitor);
      await checkA11y(visitor, `/status/${SLUG} (outage, light)`);
      await screenshot(visitor, 'status-outage-1280');

      // Acknowledged and resolved from the incident's page, post-mortem published.
      const alerts = await ops.evaluate(async (n) => (await (await fetch(`/api/alerts?q=${encodeURIComponent(n)}`)).json()), ruleName);
      const incidentId = alerts.items[0].incident_id;
      assert.ok(incidentId, JSON.stringify(alerts));
      await goto(ops, `/app/incidents?selected=${incidentId}`);
      await waitForHydration(ops);
      await ops.locator('#incident-actions button', { hasText: /Acknowledged/ }).click();
      await ops.locator('#incident-detail .badge.incident-acknowledged').waitFor();
      await ops.locator('#incident-actions button', { hasText: /Resolved/ }).click();
      await ops.locator('#incident-detail .badge.incident-resolved').waitFor();
      const draft = ops.locator('#postmortem-body');
      await ops.waitForFunction(() => (document.querySelector('#postmortem-body')?.value || '').startsWith('# Post-mortem:'));
      await draft.fill(`${await draft.inputValue()}\nThe payment provider's port was closed by a firewall change.`);
      await ops.locator('#postmortem-form button[type=submit]').click();
      await ops.locator('#postmortem-form [role=status]', { hasText: /saved/i }).waitFor();
      await ops.locator('#postmortem-publish:not([disabled])').click();
      await ops.locator('#postmortem-publish[aria-pressed=true]').waitFor();

      // The visitor's page: the incident in its history, with its post-mortem.
      await goto(visitor, `/status/${SLUG}`);
      const past = visitor.locator('#status-history-list', { hasText: ruleName });
      await past.waitFor({ timeout: 10_000 });
      await past.locator('.status-postmortem summary').first().click();
      await past.locator('.status-postmortem', { hasText: 'firewall change' }).waitFor();
      await checkA11y(visitor, `/status/${SLUG} (history, light)`);
      await screenshot(visitor, 'status-history-1280');
      const feed = await visitor.evaluate(async (s) => (await fetch(`/status/${s}/feed.atom`)).text(), SLUG);
      assert.match(feed, new RegExp(ruleName));
    } finally {
      await closePage(ops);
      await closePage(admin);
      await closePage(visitor);
    }
  });

  test('phone, Arabic, dark: no sideways scroll, axe clean; a user is refused the editor', { timeout: TEST_TIMEOUT }, async () => {
    const visitor = await newPage({ ...PHONE, colorScheme: 'dark' });
    const admin = await signedIn(ADMIN, { ...PHONE, colorScheme: 'dark' });
    const user = await signedIn(USER, PHONE);
    try {
      await goto(visitor, `/ar/status/${SLUG}`);
      await visitor.locator('#status-overall').waitFor();
      assert.equal(await visitor.getAttribute('html', 'dir'), 'rtl');
      await noSidewaysScroll(visitor);
      await checkA11y(visitor, `/ar/status/${SLUG} (360, dark)`);
      await screenshot(visitor, 'status-ar-360-dark');
      await goto(visitor, `/status/${SLUG}`);
      await visitor.locator('#status-overall').waitFor();
      await noSidewaysScroll(visitor);
      await screenshot(visitor, 'status-360-dark');

      await goto(admin, '/ar/app/status-pages');
      await waitForHydration(admin);
      await admin.locator('#status-pages-table').waitFor();
      await noSidewaysScroll(admin);
      await checkA11y(admin, '/ar/app/status-pages (360, dark)');
      await screenshot(admin, 'status-editor-ar-360-dark');

      // The user's own notification preferences, on a phone: a bad time
      // zone is named under its field, a good one is saved.
      await goto(user, '/app/notifications');
      await waitForHydration(user);
      await user.locator('#prefs-form').waitFor();
      await user.selectOption('#prefs-inbox_min', 'high');
      await user.fill('#prefs-quiet_from', '22:00');
      await user.fill('#prefs-quiet_to', '07:00');
      await user.fill('#prefs-time_zone', 'Mars/Olympus');
      await user.locator('#prefs-form button[type=submit]').click();
      await user.locator('#prefs-time_zone[aria-invalid=true]').waitFor();
      await user.fill('#prefs-time_zone', 'Africa/Algiers');
      await user.locator('#prefs-form button[type=submit]').click();
      await user.locator('#prefs-form [role=status]', { hasText: /saved/i }).waitFor();
      const prefs = await user.evaluate(async () => (await fetch('/api/notifications/preferences')).json());
      assert.equal(prefs.inbox_min, 'high');
      assert.equal(prefs.quiet_from, '22:00');
      assert.equal(prefs.time_zone, 'Africa/Algiers');
      await noSidewaysScroll(user);
      await checkA11y(user, '/app/notifications with preferences (360)');
      await screenshot(user, 'notifications-prefs-360');

      const res = await user.goto(new URL('/app/status-pages', user.url()).href);
      assert.equal(res.status(), 403);
      const api = await user.evaluate(async () => (await fetch('/api/status-pages')).status);
      assert.equal(api, 403);
    } finally {
      await closePage(visitor);
      await closePage(admin);
      await closePage(user);
    }
  });
});
