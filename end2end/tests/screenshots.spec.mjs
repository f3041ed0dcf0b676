// Full-page screenshots for visual review and the README, written to
// end2end/screenshots/<page>-<locale>-<width>-<theme>.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  launchBrowser, closeBrowser, newPage, closePage, goto, waitForHydration,
  screenshot, SCREENSHOT_DIR, TEST_TIMEOUT,
} from './helpers.mjs';

/** [name prefix, path, locale tag, width, theme] */
const SHOTS = [];
for (const width of [360, 1280]) {
  for (const theme of ['light', 'dark']) {
    SHOTS.push(['landing', '/', 'en', width, theme]);
    SHOTS.push(['landing', '/ar', 'ar', width, theme]);
  }
}
SHOTS.push(['landing', '/zgh', 'zgh', 1280, 'light']);
SHOTS.push(['docs-getting-started', '/docs/getting-started', 'en', 1280, 'light']);
SHOTS.push(['about', '/about', 'en', 360, 'dark']);

/** Copies for the project README: [source, destination]. */
const README_COPIES = [
  ['landing-en-1280-light.png', 'readme-desktop.png'],
  ['landing-ar-360-dark.png', 'readme-phone-ar.png'],
];

describe('screenshots', () => {
  before(launchBrowser);
  after(closeBrowser);

  for (const [prefix, p, locale, width, theme] of SHOTS) {
    const name = `${prefix}-${locale}-${width}-${theme}`;
    test(name, { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage({
        width,
        height: width <= 480 ? 740 : 800,
        colorScheme: theme,
        cookies: [{ name: 'dihya_theme', value: theme }],
      });
      try {
        const response = await goto(page, p);
        assert.equal(response.status(), 200, `GET ${p} returned ${response.status()}`);
        await waitForHydration(page);
        const file = await screenshot(page, name);
        assert.ok((await stat(file)).size > 0, `${file} is empty`);
      } finally {
        await closePage(page);
      }
    });
  }

  // Runs last (tests in a describe run in order). The README images are
  // committed; refresh them with UPDATE_README_SCREENSHOTS=1 so an ordinary
  // test run leaves the work tree clean.
  test('README copies', async () => {
    for (const [from, to] of README_COPIES) {
      const dest = path.join(SCREENSHOT_DIR, to);
      if (process.env.UPDATE_README_SCREENSHOTS === '1') {
        await copyFile(path.join(SCREENSHOT_DIR, from), dest);
      }
      assert.ok((await stat(dest)).size > 0, `${dest} is missing`);
    }
  });
});
