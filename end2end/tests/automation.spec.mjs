// Automation end to end: a devops user saves a script (a bad parameter
// line named first), picks it, runs it on this instance and watches its
// output arrive live, stderr and colours marked; a `user` is refused the
// page. axe in light and dark, en and ar; screenshots at 360 and 1280 px.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, closePage, goto, waitForHydration, checkA11y, screenshot,
  TEST_TIMEOUT,
} from './helpers.mjs';
import { account, ensureAdmin, signedIn } from './accounts.mjs';

const OPS = { email: 'automation-ops@e2e.test', password: 'tazrawt-n-iselkimen-2026', name: 'Automation Ops' };
const USER = { email: 'automation-user@e2e.test', password: 'amdan-war-isekripten-2026', name: 'Plain User' };
const PHONE = { width: 360, height: 800 };

describe('automation', () => {
  before(launchBrowser);
  before(ensureAdmin);
  before(() => account(OPS, 'devops'));
  before(() => account(USER, 'user'));
  after(closeBrowser);

  test('devops saves a script, runs it locally and watches the output live', { timeout: 2 * TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS);
    try {
      await goto(page, '/app/automation');
      await waitForHydration(page);
      await page.locator('#script-table, #script-table-empty').first().waitFor();
      const name = `count-${Date.now().toString(36)}`;
      await page.fill('#script-name', name);
      await page.selectOption('#script-language', 'bash');
      await page.fill('#script-body', 'for i in 1 2 3; do echo "line $i $greeting"; sleep 1; done\necho oops >&2\nprintf "\\033[32mgreen\\033[0m\\n"');
      // A parameter line that does not read is named under its field.
      await page.fill('#script-parameters', 'greeting has no type');
      await page.locator('#script-form button[type=submit]').click();
      await page.locator('#script-parameters[aria-invalid=true]').waitFor();
      await page.fill('#script-parameters', 'greeting:string=hi # What to say');
      await page.locator('#script-form button[type=submit]').click();
      await page.locator('#script-form [role=status]', { hasText: /version 1/ }).waitFor();
      await page.locator('#script-table button', { hasText: name }).waitFor();
      await page.locator('#script-versions li').first().waitFor();

      // The run form takes the chosen script and its parameter.
      await page.locator('#run-script', { hasText: name }).waitFor();
      await page.fill('#run-param-greeting', 'azul');
      await page.check('#run-target-local');
      await page.locator('#run-form button[type=submit]').click();
      const log = page.locator('#run-log');
      // The first line arrives while the script is still running.
      await log.locator('.log-line', { hasText: 'line 1 azul' }).waitFor();
      assert.equal(await log.locator('.log-line', { hasText: 'line 3 azul' }).count(), 0, 'the output arrives as it is written');
      await log.locator('.log-line', { hasText: 'line 3 azul' }).waitFor();
      await page.locator('#run-panel h2 .badge.run-succeeded').waitFor();
      await log.locator('.log-stderr', { hasText: 'oops' }).waitFor();
      await log.locator('.ansi-2', { hasText: 'green' }).waitFor();
      await log.locator('.log-system', { hasText: 'exit status 0' }).waitFor();
      await page.locator('#run-table button', { hasText: name }).waitFor();
      await checkA11y(page, '/app/automation (devops, light)');
      await screenshot(page, 'automation-1280');
    } finally {
      await closePage(page);
    }
  });

  test('phone, Arabic, dark: no sideways scroll, axe clean; a user is refused', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS, { ...PHONE, colorScheme: 'dark' });
    const user = await signedIn(USER, PHONE);
    try {
      await goto(page, '/ar/app/automation');
      await waitForHydration(page);
      await page.locator('#script-table, #script-table-empty').first().waitFor();
      const last = page.locator('#run-table button').first();
      if (await last.count()) {
        await last.click();
        await page.locator('#run-log .log-line').first().waitFor();
      }
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await checkA11y(page, '/ar/app/automation (360, dark)');
      await screenshot(page, 'automation-ar-360-dark');

      await goto(user, '/app/automation');
      await waitForHydration(user);
      await user.waitForSelector('#forbidden');
      assert.equal(await user.locator('#script-table').count(), 0);
    } finally {
      await closePage(page);
      await closePage(user);
    }
  });
});
