// Single sign-on in the browser against a real OpenID Provider (npm
// oidc-provider, started by scripts/e2e): an admin configures it on the
// security page, then a new user signs in through the provider.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, closeBrowser, newPage, closePage, goto, waitForHydration, checkA11y, screenshot, TEST_TIMEOUT } from './helpers.mjs';
import { ADMIN, ensureAdmin, signIn } from './accounts.mjs';

describe('single sign-on (OpenID Connect)', () => {
  before(launchBrowser);
  before(ensureAdmin);
  after(closeBrowser);

  test('admin configures SSO; a user signs in through the provider', { timeout: TEST_TIMEOUT }, async () => {
    assert.ok(process.env.OIDC_ISSUER, 'scripts/e2e starts the provider');
    const admin = await newPage();
    try {
      await signIn(admin, ADMIN);
      await admin.waitForURL(/\/app\/profile$/);
      await goto(admin, '/app/admin/security');
      await waitForHydration(admin);
      await admin.waitForSelector('#sso-form');
      await admin.check('#sso-enabled');
      await admin.fill('#sso-issuer', process.env.OIDC_ISSUER);
      await admin.fill('#sso-client_id', 'dihya');
      await admin.fill('#sso-client_secret', process.env.OIDC_CLIENT_SECRET);
      await admin.fill('#sso-button_label', 'Company account');
      await admin.fill('#sso-group_roles', 'dihya-devops=devops\ndihya-admins=admin');
      // Changing SSO asks for the admin's password again.
      await admin.fill('#sso-current_password', ADMIN.password);
      await admin.click('#sso-form button[type=submit]');
      await admin.waitForSelector('#sso-form [role=status] .notice-success');
      await checkA11y(admin, 'security page');
      await screenshot(admin, 'admin-security-1280');
    } finally {
      await closePage(admin);
    }

    const page = await newPage({ width: 360, height: 800 });
    try {
      await goto(page, '/login');
      await waitForHydration(page);
      const button = page.locator('#sso-sign-in');
      await button.waitFor();
      assert.equal((await button.textContent()).trim(), 'Company account');
      await checkA11y(page, 'login with SSO');
      await button.click();
      // The provider's own login page.
      await page.waitForURL((u) => u.href.startsWith(process.env.OIDC_ISSUER));
      await page.fill('input[name=login]', 'alice');
      await page.click('button[type=submit]');
      await page.waitForURL(/\/app\/profile$/);
      await waitForHydration(page);
      await page.waitForSelector('#profile-email');
      assert.equal((await page.textContent('#profile-email')).trim(), 'alice@idp.test');
      assert.equal((await page.textContent('#profile-role')).trim(), 'devops');
    } finally {
      await closePage(page);
    }
  });
});
