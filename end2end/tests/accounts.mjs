// Accounts shared by the identity specs (auth.spec.mjs creates them).
import { goto, waitForHydration } from './helpers.mjs';

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
