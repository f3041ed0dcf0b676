// Accounts shared by the identity specs (auth.spec.mjs creates them).
import { goto, url, waitForHydration } from './helpers.mjs';

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
