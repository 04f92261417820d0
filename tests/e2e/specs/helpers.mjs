// What several specs do: fill a field, keep a screenshot, set up a site, sign in.
import { browser, $, expect } from '@wdio/globals';
import path from 'node:path';

export const ADMIN = { username: 'ada', password: 'correct horse battery staple' };

/** Keeps a picture of a state worth looking at (screenshots/ is ignored by git). */
export function shot(name) {
  return browser.saveScreenshot(path.join(import.meta.dirname, '..', 'screenshots', `${name}.png`));
}

export async function fill(id, value) {
  const input = await $(`#${id}`);
  await input.clearValue();
  await input.setValue(value);
}

/** First run: the site, its first facility and administrator, then past the recovery key. */
export async function setUpSite() {
  await $('#site_name').waitForDisplayed();
  await fill('site_name', 'E2E Peer Office');
  await fill('facility_name', 'Riverside County Jail');
  await fill('code', 'RCJ');
  await fill('units', 'A-North, B-East');
  await fill('rooms', 'Program Room 1');
  await fill('username', ADMIN.username);
  await fill('display_name', 'Ada Admin');
  await fill('password', ADMIN.password);
  await fill('confirm', ADMIN.password);
  await $('button=Create site').click();
  const key = await $('[aria-label="Recovery key"]');
  await key.waitForDisplayed({ timeout: 20000 });
  await expect(key).toHaveText(expect.stringMatching(/^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/));
  await shot('state-recovery-key');
  await $('label*=I have printed').click();
  await $('button=Continue').click();
  await $('#roster-search').waitForDisplayed();
}

export async function signIn(username, password) {
  await $('#username').waitForDisplayed();
  await fill('username', username);
  await fill('password', password);
  await $('button=Sign in').click();
}

export async function signOut() {
  await $('button=Sign out').click();
  await $('#username').waitForDisplayed();
}
