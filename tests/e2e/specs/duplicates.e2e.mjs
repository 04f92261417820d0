import { $, browser, expect } from '@wdio/globals';
import { asCoordinator, demoSite, fill, openApp, shot, signIn, toScreen } from './helpers.mjs';

// Likely duplicates through the real app: a person of the demo's jail enrolled again at the
// prison under another number (as happens when a name is typed a little differently), found
// by the list across both facilities, and each record opened from it; then the two merged
// into the prison's record with a reason, and the merge undone.
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

  it('merges the two records into the one chosen, and undoes the merge', async () => {
    await $('nav[aria-label="Main"]').$('button=Participants').click();
    await $('#roster-search').waitForDisplayed();
    await $('button=Likely duplicates').click();
    const mergeButton = await $(`button[aria-label="Merge… ${someone.legal_name} and ${someone.legal_name}"]`);
    await mergeButton.waitForDisplayed();
    await mergeButton.click();
    const form = await $(`form[aria-label="Merge… ${someone.legal_name} and ${someone.legal_name}"]`);
    await form.waitForDisplayed();
    // Without a reason the core refuses beside the field, and nothing is merged.
    await form.$('button=Merge records').click();
    await $('#merge-reason-error').waitForExist();
    const prison = await form.$('label*=ESP-4242');
    await prison.click();
    await fill('merge-reason', 'Same DOC number on the court papers');
    await form.$('button=Merge records').click();
    const said = await $('p.banner.notice');
    await said.waitForExist();
    await expect(said).toHaveText(expect.stringContaining(`merged into ${someone.legal_name}:`));
    await $('p=No likely duplicates across your facilities.').waitForExist();
    // The newest first; the demo's own merge after it.
    const merges = JSON.parse(asCoordinator(site, ['participants', 'merges', '--json']));
    expect(merges[0].kept.facility_number).toBe('ESP-4242');
    expect(merges[0].merged.facility_number).toBe(someone.facility_number);
    expect(merges[0].reason).toBe('Same DOC number on the court papers');
    await shot('state-merged');

    const undo = await $(`button[aria-label="Undo… the merge of ${someone.legal_name} into ${someone.legal_name}"]`);
    await undo.click();
    await fill('undo-reason', 'Two cousins of one name');
    await $('button=Undo the merge').click();
    await expect($('p.banner.notice')).toHaveText(expect.stringContaining('is a record of their own again'));
    await $(`li[aria-label="${someone.legal_name} and ${someone.legal_name}"]`).waitForDisplayed();
    const after = JSON.parse(asCoordinator(site, ['participants', 'merges', '--json']));
    expect(after[0].undo_reason).toBe('Two cousins of one name');
  });
});
