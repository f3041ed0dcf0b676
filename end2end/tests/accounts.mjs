// Accounts shared by the identity specs (auth.spec.mjs creates them).
import assert from 'node:assert/strict';
import { goto, newPage, url, waitForHydration } from './helpers.mjs';

export const ADMIN = { email: 'admin@e2e.test', password: 'tafsut-imazighen-2026', name: 'Dihya Admin' };
export const DEVOPS = { email: 'devops@e2e.test', password: 'asif-n-tmazight-2026', name: 'Tiziri Ops' };

/** Signs in through the form, by keyboard only. */
export async function signIn(page, who, { prefix = '' } = {}) {
  await goto(page, `${prefix}/login`);
  await waitForHydration(page);
  await page.focus('#login-email');
  await page.keyboard.type(who.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.password);
  await page.keyboard.press('Enter');
}

/**
 * Makes sure ADMIN exists, so that a spec can run alone: signs in through
 * the API, and when that fails, spends the setup link on ADMIN (the auth
 * spec, run first in the full suite, creates it through the form instead).
 */
export async function ensureAdmin() {
  const post = (path, body) => fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const signedIn = await post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
  if (signedIn.status === 200) return;
  const token = new URL(process.env.SETUP_URL ?? 'http://x/setup/').pathname.split('/').pop();
  const made = await post('/api/setup/complete', {
    token, email: ADMIN.email, display_name: ADMIN.name, password: ADMIN.password,
  });
  if (made.status === 200) return;
  // Another spec running at the same time may have used the link first.
  const again = await post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
  if (again.status !== 200) {
    throw new Error(`no admin: sign-in answered ${again.status}, setup ${made.status}`);
  }
}

/** Creates an account as the admin (already there is fine). */
export async function account(who, role) {
  const post = async (path, body, cookie) => fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const login = await post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const made = await fetch(url('/api/users'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url('').replace(/\/$/, ''), cookie },
    body: JSON.stringify({ email: who.email, display_name: who.name, role, password: who.password }),
  });
  assert.ok(made.status === 200 || made.status === 422, `creating ${who.email}: ${made.status}`);
}

/** A new page signed in as `who`, on their profile. */
export async function signedIn(who, opts = {}) {
  const page = await newPage(opts);
  await signIn(page, who);
  await page.waitForURL(/\/app\/profile$/);
  return page;
}
