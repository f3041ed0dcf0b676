// Full-page screenshots for visual review and the README, written to
// end2end/screenshots/<page>-<locale>-<width>-<theme>.png.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile, stat } from 'node:fs/promises';
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

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.toString('ascii', 1, 4), 'PNG', 'a PNG file');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

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
        // What a reviewer looks at must be the page as a visitor sees it:
        // no sideways scroll, the theme asked for, and content (a blank or
        // failed render compresses to a few kilobytes).
        const shown = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          theme: document.documentElement.dataset.theme ?? '',
          lang: document.documentElement.lang,
          text: document.body.innerText.trim().length,
        }));
        assert.ok(shown.scroll <= width, `${p} scrolls sideways at ${width} px (${shown.scroll})`);
        assert.equal(shown.theme, theme);
        assert.equal(shown.lang, locale);
        assert.ok(shown.text > 200, `${p} shows almost no text`);
        const file = await screenshot(page, name);
        const bytes = await readFile(file);
        const size = pngSize(bytes);
        assert.equal(size.width, width, `${file} is ${size.width} px wide`);
        assert.ok(size.height >= (width <= 480 ? 740 : 800), `${file} is shorter than the viewport`);
        assert.ok(bytes.length > 20_000, `${file} is ${bytes.length} bytes: nearly blank`);
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
