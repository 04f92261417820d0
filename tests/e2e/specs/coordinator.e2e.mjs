import { browser, $, $$, expect } from '@wdio/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectAccessible, openApp, press, presses, shot, signIn, tabTo } from './helpers.mjs';

// A coordinator's morning on the demo site, keyboard first and counted: today's roll call for
// the 24 people of the morning circle, reached from sign-in and saved; leaving unsaved marks
// asks first; the header fits a small laptop's window and text at twice its size; `?` lists
// the keys.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridger-e2e-coordinator-'));
const bridger = path.resolve(import.meta.dirname, '..', '..', '..', 'target', 'debug', 'bridger');
const db = path.join(dir, 'demo.db');
const COORDINATOR = { username: 'demo', password: 'peer-recovery-2026' };
// The most key presses the issue allows for reaching today's roll call and saving it.
const MOST_KEYS = 40;

function demoSite() {
  const password = path.join(dir, 'password');
  fs.writeFileSync(password, `${COORDINATOR.password}\n`);
  execFileSync(bridger, ['--db', db, 'demo', '--participants', '200', '--seed', '4', '--admin', COORDINATOR.username, '--admin-name', 'Demo Coordinator', '--password-file', password]);
}

/** The controls of the header that are not wholly inside the window. */
const headerOverflow = () =>
  browser.execute(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('header button, header .site, header .brand')]
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => el.getBoundingClientRect().right > width + 1 || el.getBoundingClientRect().left < -1)
      .map((el) => el.textContent?.trim());
  });

const headerHeight = () => browser.execute(() => document.querySelector('header')?.getBoundingClientRect().height ?? 0);

describe("a coordinator's day in the real app", () => {
  it("reaches today's roll call for 24 people from sign-in and saves it in at most 40 key presses", async () => {
    demoSite();
    await openApp(db);
    await browser.setWindowSize(1280, 820);
    await signIn(COORDINATOR.username, COORDINATOR.password);
    const heading = await $('h1*=Today');
    await heading.waitForDisplayed();
    // The screen opens with the focus on its heading, so the count starts where a person would.
    expect(await browser.execute(() => document.activeElement?.tagName)).toBe('H1');
    await shot('today');
    presses.keys = 0;

    await tabTo('button[aria-label^="Take roll call: Morning Recovery Circle"]');
    await press('Enter');
    await $('#roll-find').waitForDisplayed();
    await expect($('#roll-find')).toBeFocused();
    await expect($('p.counts')).toHaveText(expect.stringContaining('Not marked 24'));
    // Enter goes to the first person; one key marks each exception and moves on.
    await press('Enter');
    await press('a');
    await press('e');
    await tabTo('#mark-rest');
    await press('Enter');
    await expect($('p.counts')).toHaveText('Present 22 · Absent 1 · Excused 1 · Refused 0 · Not marked 0');
    await expect($('p.unsaved')).toHaveText('Not saved yet');
    await press(['Control', 's']);
    await expect($('.roll .saved')).toHaveText('Saved: 22 present of 24.');
    console.log(`today's roll call for 24 people: ${presses.keys} key presses from sign-in`);
    expect(presses.keys).toBeLessThanOrEqual(MOST_KEYS);

    // A dozen people or more in view at 1280×820, with no list scrolling inside the page.
    const visible = await browser.execute(() => {
      const bottom = window.innerHeight;
      return [...document.querySelectorAll('table.list tr[id^="roll-"]')].filter((tr) => {
        const r = tr.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= bottom;
      }).length;
    });
    await browser.execute(() => document.querySelector('#roll-title')?.scrollIntoView());
    await shot('roll-call-saved');
    expect(visible).toBeGreaterThanOrEqual(12);
  });

  it('asks before leaving a roll call with marks not saved, then the day shows it taken', async () => {
    await $('table.list tr[id^="roll-"] td.who').click();
    await press('r');
    await expect($('p.unsaved')).toBeDisplayed();
    await press('Escape');
    const asking = await $('[role="dialog"]*=This roll call has changes that are not saved.');
    await asking.waitForDisplayed();
    await shot('roll-call-leaving');
    await $('button=Go back without saving').click();
    await $('h1*=Today').waitForDisplayed();
    await expect($('#today-groups')).toHaveText(expect.stringContaining('Roll call taken · 22 present of 24'));
  });

  it('keeps the whole header in a 1024×700 window', async () => {
    await browser.setWindowSize(1024, 700);
    await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) <= 1024);
    await shot('header-1024');
    expect(await headerOverflow()).toEqual([]);
    await expect($('button[aria-controls="user-menu"]')).toBeDisplayed();
  });

  it('takes text at twice its size from Ctrl+=, keeps it for the account, and the header still fits', async () => {
    for (const size of [125, 150, 175, 200]) {
      await press(['Control', '=']);
      await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.style.fontSize)) === `${size}%`);
    }
    await expect($('.toasts')).toHaveText(expect.stringContaining('Text size: 200%'));
    // The screens go behind one Menu button rather than filling half the window.
    await expect($('button[aria-controls="screens-menu"]')).toBeDisplayed();
    expect(await headerOverflow()).toEqual([]);
    expect(await headerHeight()).toBeLessThanOrEqual(0.2 * (await browser.execute(() => window.innerHeight)));
    await shot('header-1024-text-200');
    await $('button[aria-controls="screens-menu"]').click();
    await $('#screens-menu').$('button=Groups').click();
    await $('#groups-facility').waitForDisplayed();
    await shot('groups-text-200');
    // Kept with the account: after signing out and in, still twice the size.
    await $('button[aria-controls="user-menu"]').click();
    await $('button=Sign out').click();
    await signIn(COORDINATOR.username, COORDINATOR.password);
    await $('h1*=Today').waitForDisplayed();
    expect(await browser.execute(() => document.documentElement.style.fontSize)).toBe('200%');
    await press(['Control', '0']);
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.style.fontSize)) === '100%');
  });

  it('lists the keys of the screen shown when ? is pressed', async () => {
    await browser.setWindowSize(1280, 820);
    await $('nav[aria-label="Main"]').$('button=Groups').click();
    await $('button*=Roll call').click();
    await $('#roll-find').waitForDisplayed();
    await $('h2*=Roll call').click();
    await press('?');
    const help = await $('[role="dialog"]*=Keyboard shortcuts');
    await help.waitForDisplayed();
    const keys = await $$('[role="dialog"] kbd').map((k) => k.getText());
    expect(keys).toEqual(expect.arrayContaining(['?', 'Escape', 'Ctrl+=', 'P A E R', 'Ctrl+S']));
    await expectAccessible('the keyboard help');
    await shot('keyboard-help');
    await press('Escape');
    await expect(help).not.toBeDisplayed();
  });
});
