// Shared helpers for the Dihya Ops browser tests.
//
// The suite runs on Node's built-in test runner with playwright-core driving
// the Debian Chromium (no browser downloads) and axe-core for accessibility.
// `scripts/e2e` starts the server and exports BASE_URL.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

/** Origin of the server under test, without a trailing slash. */
export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');

/** Default timeout for navigations and waits (ms). */
export const TIMEOUT = 30_000;

/** Per-test timeout to hand to node:test (`test(name, { timeout: TEST_TIMEOUT }, fn)`). */
export const TEST_TIMEOUT = 90_000;

/** Every locale the app serves, by URL prefix ("" is English at the root). */
export const LOCALE_PREFIXES = ['', '/fr', '/ar', '/ar-DZ', '/kab', '/zgh'];

/** Directory for screenshots: end2end/screenshots/. */
export const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser shared by the current test file (one per file). */
let browser = null;

/** Launch (or reuse) the headless Debian Chromium. */
export async function launchBrowser() {
  if (browser) return browser;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: TIMEOUT,
  });
  return browser;
}

/** Close the shared browser (safe to call twice). */
export async function closeBrowser() {
  const b = browser;
  browser = null;
  if (b) await b.close();
}

/** Absolute URL for an app path ("/fr/docs" -> "http://127.0.0.1:PORT/fr/docs"). */
export function url(p = '/') {
  return BASE_URL + (p.startsWith('/') ? p : `/${p}`);
}

/**
 * Join a locale prefix and a public path: ("", "/") -> "/", ("/fr", "/") -> "/fr",
 * ("/fr", "/docs") -> "/fr/docs".
 */
export function localized(prefix, p) {
  if (!prefix) return p;
  return p === '/' ? prefix : `${prefix}${p}`;
}

/** True when `pathname` lies under the locale prefix ("/ar" matches "/ar" and "/ar/x", not "/ar-DZ"). */
export function inLocale(pathname, prefix) {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * Open a page in a fresh, isolated browser context.
 *
 * @param {object} [opts]
 * @param {number} [opts.width=1280]            viewport width
 * @param {number} [opts.height=800]            viewport height
 * @param {boolean} [opts.javaScriptEnabled=true]
 * @param {'light'|'dark'|'no-preference'} [opts.colorScheme='light'] prefers-color-scheme
 * @param {Array<{name: string, value: string}>} [opts.cookies=[]] cookies set on BASE_URL before any navigation
 * @returns {Promise<import('playwright-core').Page>} close it with closePage(page)
 */
export async function newPage({
  width = 1280,
  height = 800,
  javaScriptEnabled = true,
  colorScheme = 'light',
  cookies = [],
} = {}) {
  const b = await launchBrowser();
  const context = await b.newContext({
    viewport: { width, height },
    javaScriptEnabled,
    colorScheme,
    locale: 'en-US',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  if (cookies.length) {
    await context.addCookies(
      // Playwright wants either `url` or `domain`+`path`; default to BASE_URL.
      cookies.map((c) => (c.domain ? { path: '/', sameSite: 'Lax', ...c } : { url: BASE_URL, sameSite: 'Lax', ...c })),
    );
  }
  const page = await context.newPage();
  // Surface uncaught page errors (e.g. hydration panics) in the test log.
  page.on('pageerror', (err) => console.error(`[pageerror] ${page.url()}: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`[console] ${page.url()}: ${m.text()}`);
  });
  return page;
}

/** Close a page together with its private context. */
export async function closePage(page) {
  if (page) await page.context().close();
}

/** Navigate to an app path, waiting for the load event. Returns the main response. */
export async function goto(page, p) {
  return page.goto(url(p), { waitUntil: 'load', timeout: TIMEOUT });
}

/** Wait until the WASM client has hydrated (the app sets <html data-hydrated="true">). */
export async function waitForHydration(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: TIMEOUT });
}

/** Value of a cookie for BASE_URL in the page's context, or undefined. */
export async function cookieValue(page, name) {
  const all = await page.context().cookies(BASE_URL);
  return all.find((c) => c.name === name)?.value;
}

/** WCAG tags checked by axe. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

/**
 * Run axe-core on the current page and assert there are no violations.
 * On failure the assertion message lists each violation's id, help text and
 * offending nodes (CSS targets plus axe's failure summary).
 */
export async function checkA11y(page, label = page.url()) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const { violations } = results;
  if (violations.length === 0) return results;

  const lines = [`${violations.length} axe violation(s) on ${label}:`];
  for (const v of violations) {
    lines.push(`  - [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes) {
      lines.push(`      target: ${node.target.join(' ')}`);
      if (node.failureSummary) {
        for (const s of node.failureSummary.split('\n')) lines.push(`        ${s}`);
      }
    }
  }
  const message = lines.join('\n');
  console.error(message);
  assert.fail(message);
}

/**
 * Save a screenshot to end2end/screenshots/<name>.png (the directory is created
 * on demand). Waits for web fonts first and freezes animations for stable output.
 * @returns {Promise<string>} the file path
 */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.evaluate(() => (document.fonts ? document.fonts.ready.then(() => true) : true)).catch(() => {});
  await page.screenshot({ path: file, fullPage, animations: 'disabled', timeout: TIMEOUT });
  return file;
}

/** POSTs JSON with the page's own session (same origin). */
export function postFrom(page, path, body) {
  return page.evaluate(async ([p, b]) => {
    const res = await fetch(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, [path, body]);
}
