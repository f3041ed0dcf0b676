// Server-side rendering: with JavaScript disabled every page must be complete,
// localized and carry its security headers and SEO metadata.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, closeBrowser, newPage, closePage, goto, TEST_TIMEOUT,
} from './helpers.mjs';

const EXPECTED_HREFLANGS = ['ar', 'ar-DZ', 'en', 'fr', 'kab', 'x-default', 'zgh'];

describe('SSR without JavaScript', { timeout: 5 * TEST_TIMEOUT }, () => {
  before(launchBrowser);
  after(closeBrowser);

  describe('landing page /', () => {
    let page;
    let response;

    before(async () => {
      page = await newPage({ javaScriptEnabled: false });
      response = await goto(page, '/');
    });
    after(() => closePage(page));

    test('responds 200 with lang="en"', async () => {
      assert.equal(response.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
    });

    test('renders a non-empty <main> h1', async () => {
      const h1 = (await page.textContent('main h1')) ?? '';
      assert.ok(h1.trim().length > 0, 'main h1 is empty');
    });

    test('#modules lists at least 9 modules', async () => {
      const count = await page.locator('#modules li').count();
      assert.ok(count >= 9, `expected >= 9 items in #modules, found ${count}`);
    });

    test('sends a nonce-based CSP that allows WASM', async () => {
      const csp = (await response.allHeaders())['content-security-policy'];
      assert.ok(csp, 'content-security-policy header missing');
      assert.match(csp, /nonce-/, `CSP has no nonce: ${csp}`);
      assert.ok(csp.includes("'wasm-unsafe-eval'"), `CSP lacks 'wasm-unsafe-eval': ${csp}`);
    });

    test('has description, canonical and og:title', async () => {
      const description = await page.getAttribute('meta[name="description"]', 'content');
      assert.ok(description?.trim(), 'meta description missing or empty');
      const canonical = await page.getAttribute('link[rel="canonical"]', 'href');
      assert.ok(canonical?.trim(), 'link rel=canonical missing or empty');
      const ogTitle = await page.getAttribute('meta[property="og:title"]', 'content');
      assert.ok(ogTitle?.trim(), 'og:title missing or empty');
    });

    test('lists the 7 hreflang alternates', async () => {
      const langs = await page.$$eval('link[rel="alternate"][hreflang]', (links) =>
        links.map((l) => l.getAttribute('hreflang')));
      assert.deepEqual([...langs].sort(), [...EXPECTED_HREFLANGS].sort());
    });

    test('embeds SoftwareApplication JSON-LD', async () => {
      const blocks = await page.$$eval('script[type="application/ld+json"]', (s) =>
        s.map((el) => el.textContent ?? ''));
      assert.ok(blocks.length > 0, 'no JSON-LD script');
      assert.ok(blocks.some((b) => b.includes('SoftwareApplication')),
        'no JSON-LD block mentions SoftwareApplication');
      for (const b of blocks) JSON.parse(b); // each block must be valid JSON
    });
  });

  test('unknown path returns a rendered 404', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    try {
      const response = await goto(page, '/does-not-exist');
      assert.equal(response.status(), 404);
      const h1 = (await page.textContent('main h1')) ?? '';
      assert.ok(h1.trim().length > 0, '404 page has no main h1 text');
    } finally {
      await closePage(page);
    }
  });

  test('/ar is right-to-left Arabic', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    try {
      const response = await goto(page, '/ar');
      assert.equal(response.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'ar');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    } finally {
      await closePage(page);
    }
  });

  test('/zgh (Tifinagh) is left-to-right', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    try {
      const response = await goto(page, '/zgh');
      assert.equal(response.status(), 200);
      assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
      const lang = (await page.getAttribute('html', 'lang')) ?? '';
      assert.ok(lang.startsWith('zgh'), `expected lang zgh*, got "${lang}"`);
    } finally {
      await closePage(page);
    }
  });
});
