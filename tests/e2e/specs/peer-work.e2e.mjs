import { browser, $, $$, expect } from '@wdio/globals';
import path from 'node:path';
import { demoSite, expectAccessible, fill, openApp, openFromSearch, shot, signIn, signOut, tabTo, toScreen } from './helpers.mjs';

// A peer's day on a demo site with a year of history: log a contact from "My people" without
// the mouse, record a check-in and see it on the trend chart and the timeline; then an auditor
// sees that the contact's note exists but not what it says.
const NOTE = 'Wants to phone his brother before court on Friday.';
const { db, peer: PEER, auditor: AUDITOR } = demoSite('peer', 120, 3);

let person;

describe('peer work in the real app', () => {
  it('logs a contact from the caseload with the keyboard alone', async () => {
    await openApp(db);
    await signIn(PEER.username, PEER.password);
    await $('nav').$('button=My people').click();
    await expect($('h1')).toHaveText('My people: Rosa Díaz');
    await shot('peer-caseload');
    // From the caseload's choice of peer, Tab reaches the first person; Down moves to the next.
    await browser.execute(() => document.getElementById('caseload-peer')?.focus());
    await tabTo('tbody tr');
    await browser.keys('ArrowDown');
    person = (await browser.execute(() => document.activeElement?.getAttribute('aria-label') ?? '')).split(',').slice(0, 2).join(',');
    await browser.keys('c');
    await expect($('#contact-title')).toHaveText(`Log a contact with ${person}`);
    await tabTo('#contact-minutes');
    await browser.keys(['Control', 'a']);
    await browser.keys('45');
    await tabTo('input[type="checkbox"]');
    await browser.keys(' ');
    await tabTo('#contact-note');
    await browser.keys(NOTE);
    await shot('peer-contact-form');
    await browser.keys(['Control', 'Enter']);
    // Saving can take seconds on a loaded machine: the message is waited for, then read.
    await $('p[role="status"]').waitForExist({ timeout: 20000 });
    await expect($('p[role="status"]')).toHaveText(expect.stringContaining('Logged a 45-minute contact (3 billing units)'));
    // The focus is back on the person, who no longer waits for a contact.
    await expect(await browser.execute(() => document.activeElement?.tagName)).toBe('TR');
  });

  it('records a check-in and sees the trend chart with its line', async () => {
    await browser.keys('Enter');
    await expect($('h1')).toHaveText(person);
    await $('button[role="tab"]=Check-ins').click();
    await $('button=Record a check-in').click();
    const answers = await $$('input.answer');
    await expect(answers).toBeElementsArrayOfSize(8);
    await expectAccessible('the check-in dialog');
    for (const answer of answers) await answer.setValue('4');
    await $('button=Save check-in').click();
    await $('p[role="status"]').waitForExist({ timeout: 20000 });
    await expect($('p[role="status"]')).toHaveText(expect.stringContaining('Check-in saved: 30 (Strong)'));
    const line = await $('svg path.trend-line');
    await expect(line).toHaveAttribute('d', expect.stringMatching(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)*$/));
    await expect($('svg line.cutoff')).toBeExisting();
    await expect($('svg text.cutoff-label')).toHaveText('Strong footing (30)');
    await shot('peer-trend-chart');
  });

  it('shows the contact and the check-in on the timeline, and a filter keeps one kind', async () => {
    await $('button[role="tab"]=Timeline').click();
    await expect($(`span.detail=${NOTE}`)).toBeExisting();
    await expect($('span.title*=Check-in · Bridger recovery check-in · 30')).toBeExisting();
    await $('label=Check-ins').click();
    await expect($('.moment.contact')).not.toBeExisting();
    await expect($('.moment.check_in')).toBeExisting();
    await shot('peer-timeline');
  });

  it('lets an auditor see that a note exists, never its words', async () => {
    await signOut();
    await signIn(AUDITOR.username, AUDITOR.password);
    await toScreen('Participants', '#roster-search');
    await openFromSearch(person.split(',')[0].toLowerCase(), person);
    await $('button[role="tab"]=Contacts').click();
    await expect($('.withheld')).toHaveText('A note was written; your role does not read it.');
    await expect($(`p*=${NOTE}`)).not.toBeExisting();
    await expect($('button=Log a contact')).not.toBeExisting();
    await $('button[role="tab"]=Timeline').click();
    await expect($('.moment.contact')).toBeExisting();
    await expect($(`span.detail=${NOTE}`)).not.toBeExisting();
    await expect($('span.detail=A note was written; your role does not read it')).toBeExisting();
    await shot('peer-auditor-contacts');
  });
});
