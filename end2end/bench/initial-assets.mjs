// make bench helper: load a page in Chromium, wait until it has hydrated, and
// print (one per line) the site-relative paths of every JS and WASM file the
// browser fetched. With split WASM, lazily loaded page chunks that this page
// does not need are not fetched, so they are not counted.
//
// usage: node end2end/bench/initial-assets.mjs http://127.0.0.1:PORT/
import { chromium } from 'playwright-core';

const url = process.argv[2];
if (!url) {
  console.error('usage: initial-assets.mjs URL');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  const fetched = new Set();
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    if (/\.(js|wasm)$/.test(path) && res.ok()) fetched.add(path);
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
  await page.waitForLoadState('networkidle', { timeout: 30_000 });
  for (const p of [...fetched].sort()) console.log(p);
} finally {
  await browser.close();
}
