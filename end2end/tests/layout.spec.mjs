// Layout and keyboard: no horizontal scrolling on a 360 px phone (LTR and
// RTL), a working skip link with visible focus, and a usable collapsed nav.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, newPage, closePage, goto, waitForHydration,
  localized, TIMEOUT, TEST_TIMEOUT,
} from './helpers.mjs';
import { ADMIN, ensureAdmin, signIn } from './accounts.mjs';

const PHONE = { width: 360, height: 740 };

/** Describe document.activeElement for assertion messages. */
const describeFocus = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el) return '(none)';
  const id = el.id ? `#${el.id}` : '';
  const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
  return `<${el.tagName.toLowerCase()}${id}${cls}>`;
});

/** Fails when the page is wider than the viewport, naming what sticks out. */
async function assertNoSideScroll(page, target) {
  const m = await page.evaluate(() => {
    const vw = window.innerWidth;
    // For the failure message: the first few elements sticking out.
    // Only the side that scrolls: the end side (right in LTR, left in RTL).
    const rtl = document.documentElement.dir === 'rtl';
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      const out = rtl ? r.left < -0.5 : r.right > vw + 0.5;
      if (r.width > 0 && out && getComputedStyle(el).visibility !== 'hidden') {
        const id = el.id ? `#${el.id}` : '';
        const cls = el.classList.length ? `.${[...el.classList].slice(0, 3).join('.')}` : '';
        culprits.push(`${el.tagName.toLowerCase()}${id}${cls} [${Math.round(r.left)}..${Math.round(r.right)}]`);
        if (culprits.length >= 8) break;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, culprits };
  });
  assert.ok(
    m.scrollWidth <= m.innerWidth,
    `scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth} on ${target}; overflowing: ${m.culprits.join(', ') || '?'}`,
  );
}

/** An admin with a long email and an API token: the widest private pages. */
const LONG = {
  email: 'a.really-long-mailbox-name-for-layout@operations.subdomain.e2e.test',
  password: 'tamurt-n-yidurar-2026-x',
};

describe('layout and keyboard', () => {
  before(launchBrowser);
  before(ensureAdmin);
  after(closeBrowser);

  describe('no horizontal scroll at 360 px', () => {
    for (const prefix of ['', '/ar']) {
      for (const p of ['/', '/docs/getting-started', '/about']) {
        const target = localized(prefix, p);
        test(target, { timeout: TEST_TIMEOUT }, async () => {
          const page = await newPage(PHONE);
          try {
            await goto(page, target);
            await waitForHydration(page);
            await assertNoSideScroll(page, target);
          } finally {
            await closePage(page);
          }
        });
      }
    }
  });

  test('private pages do not scroll sideways at 360 px (en, ar)', { timeout: 4 * TEST_TIMEOUT }, async () => {
    const page = await newPage(PHONE);
    try {
      await signIn(page, ADMIN);
      await page.waitForURL(/\/app\/profile$/);
      await waitForHydration(page);
      const made = await page.evaluate(async (who) => {
        const res = await fetch('/api/users', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: who.email, display_name: 'Long Address Admin', role: 'admin', password: who.password }),
        });
        return res.status;
      }, LONG);
      assert.ok(made === 200 || made === 422, `creating the long-email admin: ${made}`);
      const out = await page.evaluate(async () => (await fetch('/api/auth/logout', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
      })).status);
      assert.equal(out, 200);
      await signIn(page, LONG);
      await page.waitForURL(/\/app\/profile$/);
      await waitForHydration(page);
      const token = await page.evaluate(async () => (await fetch('/api/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a token with a rather long descriptive name', scopes: ['profile:manage', 'servers:read'], expires_in_days: 30 }),
      })).status);
      assert.equal(token, 200);
      for (const prefix of ['', '/ar']) {
        for (const p of ['/app/profile', '/app/admin/users', '/app/admin/roles', '/app/admin/security', '/app/admin/audit', '/app/servers', '/app/monitoring', '/app/alerts', '/app/incidents', '/app/notifications', '/app/status-pages', '/app/automation']) {
          const target = localized(prefix, p);
          await goto(page, target);
          await waitForHydration(page);
          await page.waitForLoadState('networkidle');
          await assertNoSideScroll(page, target);
        }
      }
    } finally {
      await closePage(page);
    }
  });

  test('skip link, focus move to #main and visible focus', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage({ width: 1280, height: 800 });
    try {
      await goto(page, '/');
      await waitForHydration(page);

      // 1. First Tab lands on the skip link, which becomes visible on focus.
      await page.keyboard.press('Tab');
      assert.ok(
        await page.evaluate(() => document.activeElement?.matches('a.skip-link') ?? false),
        `first Tab focused ${await describeFocus(page)}, expected a.skip-link`,
      );
      // Allow a short reveal transition before measuring.
      await page.waitForFunction(() => {
        const r = document.activeElement.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
          && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
      }, null, { timeout: 2_000 }).catch(() => {});
      const box = await page.evaluate(() => {
        const r = document.activeElement.getBoundingClientRect();
        const cs = getComputedStyle(document.activeElement);
        return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width, height: r.height,
          vw: window.innerWidth, vh: window.innerHeight, visibility: cs.visibility, opacity: Number(cs.opacity) };
      });
      assert.ok(box.width > 0 && box.height > 0, `skip link has no size: ${JSON.stringify(box)}`);
      assert.ok(box.top >= 0 && box.left >= 0 && box.bottom <= box.vh && box.right <= box.vw,
        `focused skip link is outside the viewport: ${JSON.stringify(box)}`);
      assert.ok(box.visibility === 'visible' && box.opacity > 0,
        `focused skip link is invisible: ${JSON.stringify(box)}`);

      // 2. Enter moves focus to (or into) #main.
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.closest('#main') != null, null, { timeout: 5_000 })
        .catch(() => {});
      assert.ok(
        await page.evaluate(() => document.activeElement?.closest('#main') != null),
        `after Enter focus is on ${await describeFocus(page)}, expected #main or inside it`,
      );

      // 3. The next Tab reaches an element with a visible focus indicator.
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const cs = getComputedStyle(el);
        return {
          outlineStyle: cs.outlineStyle,
          outlineWidth: parseFloat(cs.outlineWidth) || 0,
          boxShadow: cs.boxShadow,
        };
      });
      assert.ok(focus, 'Tab after the skip link left focus on <body>');
      const hasOutline = focus.outlineStyle !== 'none' && focus.outlineWidth > 0;
      const hasShadow = focus.boxShadow && focus.boxShadow !== 'none';
      assert.ok(hasOutline || hasShadow,
        `no visible focus indicator on ${await describeFocus(page)}: ${JSON.stringify(focus)}`);
    } finally {
      await closePage(page);
    }
  });

  test('collapsed nav menu works at 360 px', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(PHONE);
    try {
      await goto(page, '/');
      await waitForHydration(page);
      const summary = page.locator('#nav-menu summary');
      assert.ok(await summary.isVisible(), '#nav-menu summary is not visible at 360 px');

      await summary.click();
      const links = page.locator('#nav-menu a');
      await links.first().waitFor({ state: 'visible', timeout: TIMEOUT });
      const count = await links.count();
      assert.ok(count >= 1, 'the open nav menu has no links');
      for (let i = 0; i < count; i++) {
        const link = links.nth(i);
        assert.ok(await link.isVisible(), `nav link ${i} (${await link.getAttribute('href')}) is hidden`);
      }
    } finally {
      await closePage(page);
    }
  });
});
