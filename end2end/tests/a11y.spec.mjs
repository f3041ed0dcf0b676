// Accessibility: axe-core (WCAG 2.0 A/AA, 2.1 AA, 2.2 AA) must report zero
// violations on every public page, in every locale, in light and dark themes,
// plus the 404 page. The theme is forced with the dihya_theme cookie, which
// the server reads to render <html data-theme="...">.
//
// One browser for the whole file, one fresh context per check; checks run two
// at a time to keep the 86 page loads reasonably fast on a small machine.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, newPage, closePage, goto, waitForHydration,
  checkA11y, localized, LOCALE_PREFIXES, TEST_TIMEOUT,
} from './helpers.mjs';

const PUBLIC_PATHS = [
  '/',
  '/docs',
  '/docs/getting-started',
  '/docs/configuration',
  '/docs/servers',
  '/docs/monitoring',
  '/docs/incidents',
  '/docs/api',
  '/about',
  '/accessibility',
];
const THEMES = ['light', 'dark'];

/** Load `p` with the given theme, wait for hydration and run axe. */
async function audit(p, theme, expectedStatus = 200) {
  const page = await newPage({
    width: 1280,
    colorScheme: theme,
    cookies: [{ name: 'dihya_theme', value: theme }],
  });
  try {
    const response = await goto(page, p);
    assert.equal(response.status(), expectedStatus, `GET ${p} returned ${response.status()}`);
    await waitForHydration(page);
    assert.equal(await page.getAttribute('html', 'data-theme'), theme,
      `dihya_theme=${theme} cookie was not applied on ${p}`);
    await checkA11y(page, `${p} (${theme})`);
  } finally {
    await closePage(page);
  }
}

describe('accessibility (axe)', { concurrency: 2 }, () => {
  before(launchBrowser);
  after(closeBrowser);

  for (const prefix of LOCALE_PREFIXES) {
    for (const p of PUBLIC_PATHS) {
      const target = localized(prefix, p);
      for (const theme of THEMES) {
        test(`${target} [${theme}]`, { timeout: TEST_TIMEOUT }, () => audit(target, theme));
      }
    }
  }

  for (const target of ['/does-not-exist', '/ar/does-not-exist']) {
    for (const theme of THEMES) {
      test(`404 ${target} [${theme}]`, { timeout: TEST_TIMEOUT }, () => audit(target, theme, 404));
    }
  }
});
