// make bench helper: sign in, then time navigation to the monitoring
// overview until its data is visible (the summary counts and the first
// table rows, rendered from the server's answer). Prints the median of
// five navigations in milliseconds.
//
// usage: node end2end/bench/overview-visible.mjs http://127.0.0.1:PORT EMAIL PASSWORD
import { chromium } from 'playwright-core';

const [base, email, password] = process.argv.slice(2);
if (!password) {
  console.error('usage: overview-visible.mjs BASE EMAIL PASSWORD');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/login`, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.press('#login-password', 'Enter');
  await page.waitForURL(/\/app\/profile$/, { timeout: 30_000 });
  const times = [];
  for (let i = 0; i < 5; i += 1) {
    const started = Date.now();
    await page.goto(`${base}/app/monitoring`, { waitUntil: 'commit', timeout: 30_000 });
    await page.waitForSelector('#monitor-table tbody tr', { timeout: 30_000 });
    await page.waitForSelector('[data-count="up"]', { timeout: 30_000 });
    times.push(Date.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(times[2]);
} finally {
  await browser.close();
}
