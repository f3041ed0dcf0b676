// Identity and access in the browser: first admin through the setup link,
// sign-in and sign-out, the generic error, an admin creating a devops user,
// the friendly 403, TOTP enrolment and sign-in with a computed code, and
// axe + screenshots of every new page (English and Arabic, 360/1280 px).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  launchBrowser, closeBrowser, newPage, closePage, goto, waitForHydration, checkA11y, screenshot, url, TEST_TIMEOUT,
} from './helpers.mjs';

import { ADMIN, DEVOPS, signIn } from './accounts.mjs';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret. */
function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}

describe('identity and access', () => {
  before(launchBrowser);
  after(closeBrowser);

  test('the setup link creates the first admin, then stops working', { timeout: TEST_TIMEOUT }, async () => {
    assert.ok(process.env.SETUP_URL, 'scripts/e2e exports SETUP_URL');
    const path = new URL(process.env.SETUP_URL).pathname;
    const page = await newPage({ width: 360, height: 800 });
    try {
      await goto(page, path);
      await waitForHydration(page);
      await checkA11y(page, 'setup form');
      await screenshot(page, 'setup-360');
      await page.fill('#setup-email', ADMIN.email);
      await page.fill('#setup-display_name', ADMIN.name);
      await page.fill('#setup-password', 'short');
      await page.click('#setup-form button[type=submit]');
      await page.waitForSelector('#setup-password-error:not([hidden])');
      assert.equal(await page.getAttribute('#setup-password', 'aria-invalid'), 'true');
      await page.fill('#setup-password', ADMIN.password);
      await page.click('#setup-form button[type=submit]');
      await page.waitForURL(/\/app\/admin\/users$/);
      await page.waitForSelector('#user-table');
      assert.match(await page.textContent('#user-table'), /admin@e2e\.test/);
      // The link is spent.
      await goto(page, path);
      await page.waitForSelector('#setup-state[data-valid="false"]');
    } finally {
      await closePage(page);
    }
  });

  test('a wrong password gets the one generic message', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage();
    try {
      await signIn(page, { email: ADMIN.email, password: 'not-the-password-1' });
      const alert = page.locator('#login-form [role=alert] .notice-danger');
      await alert.waitFor();
      const wrong = (await alert.textContent()).trim();
      await page.fill('#login-email', 'nobody@e2e.test');
      await page.click('#login-form button[type=submit]');
      await page.waitForFunction((prev) => document.querySelector('#login-form [role=alert]')?.textContent.trim() === prev, wrong);
      assert.match(page.url(), /\/login$/);
      await checkA11y(page, 'login with error');
      await screenshot(page, 'login-error-1280');
    } finally {
      await closePage(page);
    }
  });

  test('admin creates a devops user; sign-out ends the session', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage();
    try {
      await signIn(page, ADMIN);
      await page.waitForURL(/\/app\/profile$/);
      await page.waitForSelector('#account-name');
      assert.equal((await page.textContent('#account-name')).trim(), ADMIN.name);
      await goto(page, '/app/admin/users');
      await waitForHydration(page);
      await page.fill('#user-email', DEVOPS.email);
      await page.fill('#user-display_name', DEVOPS.name);
      await page.selectOption('#user-role', 'devops');
      await page.fill('#user-password', DEVOPS.password);
      await page.click('#user-form button[type=submit]');
      await page.waitForFunction(() => /devops@e2e\.test/.test(document.querySelector('#user-table')?.textContent ?? ''));
      await checkA11y(page, 'admin users');
      await screenshot(page, 'admin-users-1280');
      // Ending an account's sessions asks first: Escape cancels, confirming acts.
      const endSessions = page.locator('#user-table tr', { hasText: DEVOPS.email })
        .getByRole('button', { name: 'End sessions' });
      await endSessions.click();
      await page.waitForSelector('dialog[open]');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('dialog') !== null), true,
        'focus moves into the dialog');
      await checkA11y(page, 'confirm dialog');
      await screenshot(page, 'admin-users-confirm-1280', { fullPage: false });
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog[open]', { state: 'detached' });
      assert.equal(await page.locator('.notice-success', { hasText: 'sessions of this user were ended' }).count(), 0,
        'cancelled: nothing happened');
      await endSessions.click();
      await page.click('dialog[open] button[value=ok]');
      await page.waitForSelector('.notice-success:has-text("sessions of this user were ended")');
      for (const p of ['/app/admin/roles', '/app/admin/security', '/app/admin/audit', '/app/profile']) {
        await goto(page, p);
        await waitForHydration(page);
        await page.waitForSelector('main h1');
        await checkA11y(page, p);
      }
      await goto(page, '/app/admin/roles');
      await page.waitForSelector('#permission-matrix');
      await screenshot(page, 'admin-roles-1280');
      await goto(page, '/app/admin/audit');
      await page.waitForSelector('#audit-table');
      assert.match(await page.textContent('#audit-table'), /user\.create/);
      await screenshot(page, 'admin-audit-1280');
      // Sign out from the account menu, by keyboard.
      await page.focus('#account-menu summary');
      await page.keyboard.press('Enter');
      await page.click('#sign-out');
      await page.waitForSelector('a.sign-in');
      const res = await goto(page, '/app/profile');
      assert.equal(res.status(), 401);
      await page.waitForSelector('#need-sign-in');
    } finally {
      await closePage(page);
    }
  });

  test('a devops user gets a friendly 403 on admin pages', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage({ width: 360, height: 800 });
    try {
      await signIn(page, DEVOPS);
      await page.waitForURL(/\/app\/profile$/);
      const res = await goto(page, '/app/admin/users');
      assert.equal(res.status(), 403);
      await page.waitForSelector('#forbidden');
      await checkA11y(page, 'forbidden');
      await screenshot(page, 'forbidden-360');
    } finally {
      await closePage(page);
    }
  });

  test('TOTP enrolment, then sign-in with a computed code', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage();
    try {
      await signIn(page, DEVOPS);
      await page.waitForURL(/\/app\/profile$/);
      await waitForHydration(page);
      await page.click('#twofa-start');
      const secret = (await page.locator('#twofa-secret').textContent()).trim();
      await checkA11y(page, 'profile with 2FA enrolment');
      await screenshot(page, 'profile-2fa-1280');
      await page.fill('#twofa-code', totp(secret));
      await page.click('#twofa-confirm button[type=submit]');
      await page.waitForSelector('#recovery-codes');
      assert.equal(await page.locator('#recovery-codes li').count(), 10);
      const recovery = (await page.locator('#recovery-codes li').first().textContent()).trim();
      await page.click('#account-menu summary');
      await page.click('#sign-out');
      await page.waitForSelector('a.sign-in');
      await signIn(page, DEVOPS);
      await page.waitForSelector('#login-totp').catch(async (e) => {
        await screenshot(page, 'debug-totp');
        console.error(await page.locator('#login-form').innerHTML());
        throw e;
      });
      // Codes are single use: the one that confirmed enrolment is spent,
      // so sign in with the next time step's code (accepted for clock drift).
      await page.fill('#login-totp', totp(secret, Date.now() + 30_000));
      await page.click('#login-form button[type=submit]');
      await page.waitForURL(/\/app\/profile$/);
      await page.waitForSelector('#twofa-state');
      assert.match(await page.textContent('#profile-email'), /devops@e2e\.test/);
      // Turning it off asks for the password and a code: a wrong code is
      // announced in the form, a recovery code works.
      const onText = (await page.textContent('#twofa-state')).trim();
      await page.fill('#twofa-off-password', DEVOPS.password);
      await page.fill('#twofa-off-code', '000000');
      await page.click('#twofa-disable button[type=submit]');
      await page.locator('#twofa-disable [role=alert] .notice-danger').waitFor();
      await page.fill('#twofa-off-code', recovery);
      await page.click('#twofa-disable button[type=submit]');
      await page.waitForSelector('#twofa-start');
      assert.notEqual((await page.textContent('#twofa-state')).trim(), onText);
      await checkA11y(page, 'profile after turning 2FA off');
    } finally {
      await closePage(page);
    }
  });

  test('new pages in Arabic: axe-clean, right-to-left, 360 and 1280 px, dark', { timeout: TEST_TIMEOUT }, async () => {
    for (const [width, scheme] of [[360, 'light'], [1280, 'dark']]) {
      const page = await newPage({ width, height: 800, colorScheme: scheme });
      try {
        await goto(page, '/ar/login');
        await waitForHydration(page);
        assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
        await checkA11y(page, `ar login ${width}`);
        await screenshot(page, `login-ar-${width}-${scheme}`);
        await signIn(page, ADMIN, { prefix: '/ar' });
        await page.waitForURL(/\/ar\/app\/profile$/);
        for (const p of ['/ar/app/profile', '/ar/app/admin/users', '/ar/app/admin/roles', '/ar/app/admin/audit', '/ar/app/admin/security']) {
          await goto(page, p);
          await waitForHydration(page);
          await page.waitForSelector('main h1');
          // The public "Home" link must not claim to be the current page here.
          assert.equal(await page.locator('.nav-list a[aria-current="page"]').count(), 0, `${p}: no public nav link is current`);
          await checkA11y(page, `${p} ${width} ${scheme}`);
          if (p.endsWith('/security') || p.endsWith('/profile')) {
            // The pages whose forms are the shared form pieces: look at them.
            await page.waitForSelector(p.endsWith('/security') ? '#sso-form' : '#twofa');
            await screenshot(page, `${p.split('/').pop()}-ar-${width}-${scheme}`);
          }
        }
        await goto(page, '/ar/app/admin/users');
        await page.waitForSelector('#user-table');
        await screenshot(page, `admin-users-ar-${width}-${scheme}`);
      } finally {
        await closePage(page);
      }
    }
  });
});
