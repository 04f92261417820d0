import { $, browser, expect } from '@wdio/globals';
import { asCoordinator, demoSite, openApp, shot, signIn, toScreen } from './helpers.mjs';

// Likely duplicates through the real app: a person of the demo's jail enrolled again at the
// prison under another number (as happens when a name is typed a little differently), found
// by the list across both facilities, and each record opened from it.
const site = demoSite('duplicates', 30, 13);
const someone = JSON.parse(asCoordinator(site, ['participants', 'list', '--facility', 'RCJ', '--limit', '1', '--json'])).rows[0];
asCoordinator(site, ['participants', 'add', '--legal-name', someone.legal_name, '--dob', someone.dob, '--number', 'ESP-4242', '--facility', 'ESP', '--admission-date', '2026-11-02', '--not-a-duplicate']);

describe('likely duplicates in the real app', () => {
  it('lists the record enrolled twice, across facilities, and opens each side', async () => {
    await openApp(site.db);
    await signIn(site.peer.username, site.peer.password);
    await toScreen('Participants', '#roster-search');
    await $('button=Likely duplicates').click();
    await $('h1=Likely duplicates').waitForDisplayed();
    const pair = await $(`li[aria-label="${someone.legal_name} and ${someone.legal_name}"]`);
    await pair.waitForDisplayed();
    const text = await browser.execute((el) => el.textContent.replace(/\s+/g, ' '), pair);
    expect(text).toContain('Same date of birth and a similar name');
    expect(text).toContain(someone.facility_number);
    expect(text).toContain('ESP-4242');
    await shot('state-likely-duplicates');
    const sides = await pair.$$('button.name');
    await sides[1].click();
    await expect($('h1')).toHaveText(someone.legal_name);
    await expect($('dl')).toHaveText(expect.stringContaining('ESP-4242'));
  });
});
