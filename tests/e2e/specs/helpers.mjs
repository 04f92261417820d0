// What several specs do: fill a field, keep a screenshot, set up a site, sign in, open the app
// on another database, answer the system's file dialog.
import { browser, $, expect } from '@wdio/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const ADMIN = { username: 'ada', password: 'correct horse battery staple' };

const BRIDGER = path.resolve(import.meta.dirname, '..', '..', '..', 'target', 'debug', 'bridger');

/** A demo site with a year of history made with the CLI, in a folder of its own: the demo
 * coordinator's login, and an auditor who has already chosen a password. */
export function demoSite(name, participants, seed) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bridger-e2e-${name}-`));
  const db = path.join(dir, 'demo.db');
  const peer = { username: 'demo', password: 'peer-recovery-2026' };
  const auditor = { username: 'aud', password: 'auditor chooses this one' };
  const file = (file, text) => {
    const p = path.join(dir, file);
    fs.writeFileSync(p, `${text}\n`);
    return p;
  };
  const password = file('password', peer.password);
  execFileSync(BRIDGER, ['--db', db, 'demo', '--participants', String(participants), '--seed', String(seed), '--admin', peer.username, '--admin-name', 'Demo Coordinator', '--password-file', password]);
  const as = (user, pw) => ['--db', db, '--user', user, '--password-file', pw];
  execFileSync(BRIDGER, [...as(peer.username, password), 'accounts', 'add', auditor.username, '--name', 'Audrey Auditor', '--roles', 'auditor', '--new-password-file', file('temporary', 'a temporary one')]);
  execFileSync(BRIDGER, [...as(auditor.username, path.join(dir, 'temporary')), 'accounts', 'passwd', '--new-password-file', file('chosen', auditor.password)]);
  return { dir, db, peer, auditor };
}

/** Runs the command-line tool on a demo site as its coordinator, and gives back what it printed. */
export function asCoordinator(site, args) {
  return execFileSync(BRIDGER, ['--db', site.db, '--user', site.peer.username, '--password-file', path.join(site.dir, 'password'), ...args], { encoding: 'utf8' });
}

// axe-core, sent to the window as a WebDriver script: the page's own policy allows no scripts
// from elsewhere, and the app never loads it.
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Fails with every WCAG 2.2 AA violation axe-core finds in the window as it is now. */
export async function expectAccessible(where) {
  if (!(await browser.execute(() => typeof window.axe === 'object'))) await browser.execute(AXE);
  const found = await browser.executeAsync((tags, done) => {
    window.axe
      .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
      .then((r) => done(r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`)))
      .catch((e) => done([`axe-core could not run: ${e}`]));
  }, WCAG_22_AA);
  if (found.length > 0) throw new Error(`${found.length} accessibility violation(s) on ${where}:\n${found.join('\n')}`);
}

/** Keeps a picture of a state worth looking at (screenshots/ is ignored by git), after
 * checking it with axe-core: every state a spec keeps is a screen or dialog a person meets. */
export async function shot(name) {
  await expectAccessible(name);
  return browser.saveScreenshot(path.join(import.meta.dirname, '..', 'screenshots', `${name}.png`));
}

export async function fill(id, value) {
  const input = await $(`#${id}`);
  await input.clearValue();
  await input.setValue(value);
}

/** First run: the site, its first facility and administrator, then past the recovery key. */
export async function setUpSite(siteName = 'E2E Peer Office') {
  await $('#site_name').waitForDisplayed();
  await expectAccessible('first-run setup');
  await fill('site_name', siteName);
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
  await expect(key).toHaveText(expect.stringMatching(/^([0-9A-Z]{4}-){14}[0-9A-Z]{2}$/));
  await shot('state-recovery-key');
  await $('label*=I have printed').click();
  await $('button=Continue').click();
  await toScreen('Participants', '#roster-search');
}

/** Everyone lands on Today after signing in; this goes on to another screen by its tab and
 * waits for `ready` there. */
export async function toScreen(name, ready) {
  await $('h1*=Today').waitForDisplayed();
  await $('nav[aria-label="Main"]').$(`button=${name}`).click();
  await $(ready).waitForDisplayed();
}

/** Counts the keys pressed through `press` and `tabTo`, for the tests that hold a task to a
 * number of key presses. */
export const presses = { keys: 0, tabs: 0 };

/** Presses one key (a WebDriver key name such as 'Enter', one character, or a chord such as
 * ['Control', 's']), counting it. */
export async function press(key) {
  presses.keys += 1;
  await browser.keys(key);
}

/** Types `text` into the focused field, counting one press per character. */
export async function typeKeys(text) {
  presses.keys += text.length;
  await browser.keys(text);
}

/** Opens a person's page by typing into the roster's search and choosing them. */
export async function openFromSearch(text, name) {
  await fill('roster-search', text);
  const row = await $(`[role="option"]*=${name}`);
  await row.waitForDisplayed();
  await row.click();
  await expect($('h1')).toHaveText(expect.stringContaining(name));
}

/**
 * Presses Tab until the element matching `selector` has the focus, as a person at the keyboard
 * would; fails after `most` presses.
 */
export async function tabTo(selector, most = 30) {
  for (let n = 0; n < most; n++) {
    if (await browser.execute((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await browser.keys('Tab');
    presses.keys += 1;
    presses.tabs += 1;
  }
  throw new Error(`${most} presses of Tab did not reach ${selector}`);
}

/** As `tabTo`, backwards with Shift+Tab; each press counts as a Tab. */
export async function tabBackTo(selector, most = 30) {
  for (let n = 0; n < most; n++) {
    if (await browser.execute((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await browser.keys(['Shift', 'Tab']);
    presses.keys += 1;
    presses.tabs += 1;
  }
  throw new Error(`${most} presses of Shift+Tab did not reach ${selector}`);
}

export async function signIn(username, password) {
  await $('#username').waitForDisplayed();
  await expectAccessible('sign-in');
  await fill('username', username);
  await fill('password', password);
  await $('button=Sign in').click();
}

export async function signOut() {
  await $('button[aria-controls="user-menu"]').click();
  await $('button=Sign out').click();
  await $('#username').waitForDisplayed();
}

const application = path.resolve(import.meta.dirname, '..', '..', '..', 'target', 'debug', 'bridger-desktop');

/** Closes the app and starts it again on the database `db`, as a second workstation would. */
export function openApp(db) {
  return browser.reloadSession({
    'tauri:options': { application, args: ['--db', db] },
    'wdio:enforceWebDriverClassic': true,
  });
}

/**
 * Answers the system's (GTK) file dialog titled `title` the way a person at the keyboard can:
 * WebDriver cannot reach native dialogs, so this types into it through the X server. Ctrl+L
 * opens the location field of an Open dialog; in a Save dialog the name field has the focus
 * and accepts a whole path.
 */
export function answerFileDialog(title, file, { save }) {
  const xdotool = (...args) => execFileSync('xdotool', args, { stdio: ['ignore', 'pipe', 'inherit'], timeout: 20000 }).toString().trim();
  const window = xdotool('search', '--sync', '--onlyvisible', '--name', `^${title}$`).split('\n')[0];
  xdotool('windowfocus', '--sync', window);
  if (!save) xdotool('key', '--clearmodifiers', 'ctrl+l');
  xdotool('key', '--clearmodifiers', 'ctrl+a');
  xdotool('type', '--delay', '15', file);
  // GTK completes the typed path from the folder it is still reading; Enter before that is lost.
  xdotool('sleep', '1', 'key', '--clearmodifiers', 'Return');
}
