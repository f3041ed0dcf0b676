// The `system` slice end to end: the About page shows what GET /api/system
// reports, hashed build assets are cached for a year, the setup page is private.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, closeBrowser, newPage, closePage, goto, waitForHydration, url } from './helpers.mjs';

describe('system slice', () => {
  before(launchBrowser);
  after(closeBrowser);

  test('About page shows the facts of GET /api/system', async () => {
    const api = await (await fetch(url('/api/system'))).json();
    const page = await newPage({ width: 1280, height: 800 });
    try {
      await goto(page, '/about');
      await waitForHydration(page);
      assert.equal((await page.textContent('#system-version'))?.trim(), api.version);
      assert.equal((await page.textContent('#system-database'))?.trim(), api.database);
      const modules = await page.locator('.module-badges li').count();
      assert.equal(modules, api.modules.length);
    } finally {
      await closePage(page);
    }
  });

  test('guide pages moved to inside the app fetch their HTML (it is not in the WASM)', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    try {
      const asked = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname === '/api/docs/guide') asked.push(new URL(r.url()).searchParams.get('slug'));
      });
      await goto(page, '/docs/getting-started');
      await waitForHydration(page);
      assert.match(await page.locator('article.prose').innerText(), /setup/i);
      // Hydrating keeps the server's HTML: nothing is fetched for it.
      assert.deepEqual(asked, []);
      await page.locator('.docs-nav a[href="/docs/configuration"]').first().click();
      await page.waitForURL(/\/docs\/configuration$/);
      await page.locator('article.prose', { hasText: 'DIHYA_DATABASE_URL' }).waitFor();
      assert.deepEqual(asked, ['configuration']);
      // Each move fetches the next page's HTML.
      await page.locator('.docs-nav a[href="/docs/api"]').first().click();
      await page.locator('article.prose', { hasText: '/api/docs/guide' }).waitFor();
      assert.deepEqual(asked, ['configuration', 'api']);
    } finally {
      await closePage(page);
    }
  });

  test('hashed JS, WASM and CSS are immutable for a year, split pages included', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    try {
      const seen = [];
      page.on('response', (r) => {
        if (new URL(r.url()).pathname.startsWith('/pkg/')) seen.push(r);
      });
      await goto(page, '/');
      await waitForHydration(page);
      const initial = seen.length;
      // The About page's code is split out of the main WASM: moving there in
      // the app fetches its own file, which must be cached the same way.
      await page.locator('.nav-list a[href="/about"]').first().click();
      await page.locator('#system-facts').waitFor();
      const split = seen.slice(initial).filter((r) => new URL(r.url()).pathname.endsWith('.wasm'));
      assert.ok(split.length >= 1, 'no split WASM fetched for the About page');
      const kinds = new Set(seen.map((r) => new URL(r.url()).pathname.split('.').pop()));
      for (const ext of ['js', 'wasm', 'css']) assert.ok(kinds.has(ext), `no /pkg/*.${ext} loaded`);
      for (const r of seen) {
        const cc = (await r.allHeaders())['cache-control'] ?? '';
        assert.match(cc, /max-age=31536000/, `${r.url()}: ${cc}`);
        assert.match(cc, /immutable/, `${r.url()}: ${cc}`);
        // <name>.<22-character content hash>.<ext>
        assert.match(new URL(r.url()).pathname, /^\/pkg\/[\w.-]+\.[\w-]{22}\.(js|wasm|css|json)$/);
      }
    } finally {
      await closePage(page);
    }
  });

  test('no CSP violation while the page hydrates', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    try {
      const violations = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
      });
      await goto(page, '/docs');
      await waitForHydration(page);
      assert.deepEqual(violations, []);
    } finally {
      await closePage(page);
    }
  });
});
