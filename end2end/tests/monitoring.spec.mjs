// Monitoring end to end, against the real engine and real intervals: a
// devops account activates a server and its template checks appear on the
// monitoring page without a reload; a monitor made through the form (with
// "Test now") goes down within one interval when its target stops, seen
// live. A `user` cannot reach the page. axe in light and dark, en and ar;
// screenshots at 360 and 1280 px.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import {
  launchBrowser, closeBrowser, closePage, goto, waitForHydration, checkA11y, screenshot, url, BASE_URL,
  TEST_TIMEOUT, postFrom,
} from './helpers.mjs';
import { account, ensureAdmin, signedIn } from './accounts.mjs';

const OPS = { email: 'monitoring-ops@e2e.test', password: 'asmussu-n-tfukt-2026', name: 'Monitoring Ops' };
const USER = { email: 'monitoring-user@e2e.test', password: 'tasusmi-n-tmeddit-2026', name: 'Plain User' };

/** A loopback HTTP target answering 200 "ok", until closed. */
function httpTarget() {
  return new Promise((resolve) => {
    const server = http.createServer((_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** A free loopback port. */
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Debian's node_exporter on a loopback port, answering once ready. */
async function nodeExporter() {
  const port = await freePort();
  const child = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.ok, () => false);
    if (ok) return { child, url: `http://127.0.0.1:${port}/metrics` };
    if (Date.now() > deadline) throw new Error('node_exporter never answered');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('monitoring', () => {
  before(launchBrowser);
  before(ensureAdmin);
  before(() => account(OPS, 'devops'));
  before(() => account(USER, 'user'));
  after(closeBrowser);

  test('an active server gets its checks, shown live', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS);
    try {
      await goto(page, '/app/monitoring');
      await waitForHydration(page);
      await page.locator('#monitor-table, #monitor-table-empty').first().waitFor();
      // The SSH template check targets the server's SSH port: here the
      // app's own port, which is open.
      const port = Number(new URL(BASE_URL).port || 80);
      const name = `db-${Date.now().toString(36)}`;
      const made = await postFrom(page, '/api/servers', {
        name, hostname: '127.0.0.1', kind: 'vm', environment: 'production', ssh_port: port,
      });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      const moved = await postFrom(page, '/api/servers/lifecycle', { id: made.body.id, to: 'active' });
      assert.equal(moved.status, 200);
      const row = page.locator('#monitor-table tr', { hasText: `${name} · SSH` });
      await row.waitFor({ timeout: 20_000 });
      await row.locator('.badge.status-up').waitFor({ timeout: 45_000 });
    } finally {
      await closePage(page);
    }
  });

  test('a target stops: down within one interval, without a reload', { timeout: 2 * TEST_TIMEOUT }, async () => {
    const target = await httpTarget();
    const targetUrl = `http://127.0.0.1:${target.address().port}/health`;
    const page = await signedIn(OPS);
    try {
      await goto(page, '/app/monitoring');
      await waitForHydration(page);
      const name = `api-${Date.now().toString(36)}`;
      // By keyboard: name, kind (kept: HTTP), target, interval, timeout, failures.
      await page.focus('#monitor-name');
      await page.keyboard.type(name);
      await page.fill('#monitor-target', targetUrl);
      await page.fill('#monitor-interval_seconds', '10');
      await page.fill('#monitor-timeout_seconds', '3');
      await page.fill('#monitor-retries', '0');
      await page.locator('#monitor-test').click();
      await page.locator('#monitor-form [role=status]', { hasText: /status 200/ }).waitFor();
      // A bad interval is named under its field.
      await page.fill('#monitor-interval_seconds', '5');
      await page.locator('#monitor-form button[type=submit]').click();
      await page.locator('#monitor-interval_seconds[aria-invalid=true]').waitFor();
      assert.match(await page.locator('#monitor-interval_seconds-error').innerText(), /10/);
      await page.fill('#monitor-interval_seconds', '10');
      await page.locator('#monitor-form button[type=submit]').press('Enter');
      await page.locator('#monitor-detail', { hasText: name }).waitFor();
      const row = page.locator('#monitor-table tr', { hasText: name });
      await row.locator('.badge.status-up').waitFor({ timeout: 30_000 });
      await checkA11y(page, '/app/monitoring (devops, light)');
      await screenshot(page, 'monitoring-1280');

      const stopped = Date.now();
      await new Promise((resolve) => { target.close(resolve); target.closeAllConnections(); });
      await row.locator('.badge.status-down').waitFor({ timeout: 25_000 });
      const took = (Date.now() - stopped) / 1000;
      assert.ok(took <= 21, `down after ${took} s (interval 10 s, plus the check and the page)`);
      assert.match(await row.innerText(), /connection/i);
      // The fall is among the recent changes, and the day's worst.
      await page.locator('#monitor-changes tr', { hasText: name }).waitFor({ timeout: 10_000 });
      await page.locator('#monitor-worst tr', { hasText: name }).waitFor();
    } finally {
      target.close();
      await closePage(page);
    }
  });

  test('editing in the form keeps every setting made through the API', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS);
    try {
      await goto(page, '/app/monitoring');
      await waitForHydration(page);
      const name = `full-${Date.now().toString(36)}`;
      const made = await postFrom(page, '/api/monitors', {
        name, kind: 'http', target: 'https://127.0.0.1:9/health', interval_seconds: 60, timeout_seconds: 5,
        retries: 1, paused: true, method: 'HEAD', headers: { 'X-Probe': 'dihya' }, regex: '^ok$',
        expected_status: '200,204', tls_days: 10, ignore_tls_errors: true, max_bytes: 2048,
      });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      await page.locator('#monitor-table button', { hasText: name }).click();
      await page.locator('#monitor-detail button', { hasText: /^Edit$/ }).click();
      assert.equal(await page.inputValue('#monitor-method'), 'HEAD');
      assert.equal(await page.inputValue('#monitor-headers'), 'X-Probe: dihya');
      assert.equal(await page.inputValue('#monitor-regex'), '^ok$');
      assert.equal(await page.inputValue('#monitor-tls_days'), '10');
      assert.ok(await page.isChecked('#monitor-ignore_tls_errors'));
      await page.fill('#monitor-name', `${name}-2`);
      await page.fill('#monitor-headers', 'X-Probe: dihya\nno colon here');
      await page.locator('#monitor-form button[type=submit]').click();
      await page.locator('#monitor-headers[aria-invalid=true]').waitFor();
      await page.fill('#monitor-headers', 'X-Probe: dihya\nAccept: text/plain');
      await page.locator('#monitor-form button[type=submit]').click();
      await page.locator('#monitor-detail', { hasText: `${name}-2` }).waitFor();
      const detail = await page.evaluate(async (id) => (await fetch(`/api/monitors/detail?id=${id}`)).json(), made.body.id);
      const s = detail.settings;
      assert.deepEqual(
        { method: s.method, headers: s.headers, regex: s.regex, expected_status: s.expected_status,
          tls_days: s.tls_days, ignore_tls_errors: s.ignore_tls_errors, max_bytes: s.max_bytes },
        { method: 'HEAD', headers: { 'X-Probe': 'dihya', Accept: 'text/plain' }, regex: '^ok$', expected_status: '200,204',
          tls_days: 10, ignore_tls_errors: true, max_bytes: 2048 },
      );
      await checkA11y(page, '/app/monitoring (editing an HTTP monitor)');
    } finally {
      await closePage(page);
    }
  });

  test('phone, Arabic, dark: no sideways scroll, axe clean', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(OPS, { width: 360, height: 800, colorScheme: 'dark' });
    try {
      await goto(page, '/ar/app/monitoring');
      await waitForHydration(page);
      await page.locator('#monitor-table, #monitor-table-empty').first().waitFor();
      await page.waitForLoadState('networkidle');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await checkA11y(page, '/ar/app/monitoring (360, dark)');
      await screenshot(page, 'monitoring-ar-360-dark');
    } finally {
      await closePage(page);
    }
  });

  test("a server's health: CPU, memory and disk charts from its node_exporter", { timeout: 2 * TEST_TIMEOUT }, async () => {
    const exporter = await nodeExporter();
    const page = await signedIn(OPS);
    try {
      await goto(page, '/app/monitoring');
      await waitForHydration(page);
      const name = `host-${Date.now().toString(36)}`;
      const made = await postFrom(page, '/api/servers', { name, hostname: '127.0.0.1', kind: 'vm', environment: 'staging' });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      const check = await postFrom(page, '/api/monitors', {
        name: `${name} exporter`, kind: 'node-exporter', target: exporter.url, server_id: made.body.id,
        interval_seconds: 10, timeout_seconds: 5, retries: 0,
      });
      assert.equal(check.status, 200, JSON.stringify(check.body));
      // CPU needs two scrapes: about one interval after the first.
      await goto(page, `/app/monitoring?server=${made.body.id}`);
      await waitForHydration(page);
      await page.locator('#server-health h2', { hasText: name }).waitFor();
      await page.locator('#host-hours td', { hasText: /^\d+\.\d %$/ }).first().waitFor({ timeout: 45_000 });
      const cpu = page.locator('#host-cpu .chart-bar rect:not(.chart-hit)[height]:not([height="0"])');
      await cpu.first().waitFor({ timeout: 30_000 });
      // Only this server's checks are listed below.
      await page.locator('#monitor-table tr', { hasText: `${name} exporter` }).waitFor();
      await checkA11y(page, '/app/monitoring?server (light)');
      await screenshot(page, 'server-health-1280');
      await page.setViewportSize({ width: 360, height: 800 });
      await page.emulateMedia({ colorScheme: 'dark' });
      await goto(page, `/ar/app/monitoring?server=${made.body.id}`);
      await waitForHydration(page);
      await page.locator('#host-hours').waitFor();
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
      await checkA11y(page, '/ar/app/monitoring?server (360, dark)');
      await screenshot(page, 'server-health-ar-360-dark');
    } finally {
      exporter.child.kill();
      await closePage(page);
    }
  });

  test('a user cannot reach monitoring', { timeout: TEST_TIMEOUT }, async () => {
    const page = await signedIn(USER);
    try {
      const res = await goto(page, '/app/monitoring');
      assert.equal(res.status(), 403);
      await waitForHydration(page);
      assert.equal(await page.locator('#monitor-table').count(), 0);
      const api = await page.evaluate(async () => (await fetch('/api/monitoring')).status);
      assert.equal(api, 403);
      // Nor does any link on the user's own page lead there (the language
      // links of the refused page itself end in its path).
      await goto(page, '/app/profile');
      await waitForHydration(page);
      const nav = await page.locator('a[href$="/app/monitoring"]').count();
      assert.equal(nav, 0, 'the navigation offers the page to a user');
    } finally {
      await closePage(page);
    }
  });
});
