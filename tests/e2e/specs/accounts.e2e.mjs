import { $, $$, expect } from '@wdio/globals';
import { ADMIN, expectAccessible, fill, setUpSite, shot, signIn, signOut } from './helpers.mjs';

const PEER = { username: 'pat', temporary: 'temporary password 1', own: 'my own long passphrase' };

describe('accounts, roles and the lock in the real app', () => {
  it('creates a peer-specialist account for one facility', async () => {
    await setUpSite();
    await $('button=Admin').click();
    await $('button=New account').click();
    await fill('new_username', PEER.username);
    await fill('new_display_name', 'Pat Peer');
    await fill('new_password', PEER.temporary);
    await $('label*=Peer specialist').click();
    await $('label*=Only these').click();
    await $('label*=Riverside County Jail').click();
    await shot('state-new-account');
    await $('button=Create account').click();
    await expect($('td=Pat Peer')).toBeDisplayed();
    await expect($('main [role="status"]:not(.toasts)')).toHaveText(expect.stringContaining('pat can now sign in'));
  });

  it('refuses a wrong password in one sentence', async () => {
    await signOut();
    await signIn(PEER.username, 'not the password');
    await expect($('[role="alert"]')).toHaveText('The user name or password is not right.');
    await shot('state-wrong-password');
  });

  it('makes the peer specialist choose a password, then offers no exports, audit or admin', async () => {
    await signIn(PEER.username, PEER.temporary);
    await $('h1=Choose your own password').waitForDisplayed();
    await expectAccessible('choosing a password');
    await fill('current_password', PEER.temporary);
    await fill('new_password', PEER.own);
    await fill('confirm', PEER.own);
    await $('button=Save password').click();
    await $('h1*=Today').waitForDisplayed();
    const nav = await $$('nav[aria-label="Main"] button').map((b) => b.getText());
    expect(nav).toEqual(['Today', 'Participants', 'My people', 'Groups', 'Staff', 'Reports']);
    await $('nav[aria-label="Main"]').$('button=Participants').click();
    expect(await $$('button*=Export').length).toBe(0);
    expect(await $('button=Enroll participant').isDisplayed()).toBe(true);
    await shot('state-peer-specialist');
  });

  it('locks after the idle time and unlocks to the form as it was left', async () => {
    await signOut();
    await signIn(ADMIN.username, ADMIN.password);
    await $('button=Admin').click();
    await fill('idle_lock_minutes', '1');
    await $('button=Save settings').click();
    await expect($('main [role="status"]:not(.toasts)')).toHaveText(expect.stringContaining('after 1 idle minutes'));
    await $('button=Participants').click();
    await $('button=Enroll participant').click();
    await fill('legal_name', 'HALF, Finished');
    await fill('facility_number', 'B-777');
    await $('h1=Locked').waitForDisplayed({ timeout: 75000, interval: 1000 });
    expect(await $('#legal_name').isDisplayed()).toBe(false);
    await shot('state-locked');
    await fill('password', 'wrong password');
    await $('button=Unlock').click();
    await expect($('[role="alert"]')).toHaveText('The user name or password is not right.');
    await fill('password', ADMIN.password);
    await $('button=Unlock').click();
    await $('#legal_name').waitForDisplayed();
    await expect($('#legal_name')).toHaveValue('HALF, Finished');
    await expect($('#facility_number')).toHaveValue('B-777');
  });

  it('shows the audit trail whole, with every sign-in and refusal', async () => {
    await $('button=Cancel').click();
    await $('button=Audit').click();
    await $('button=Verify the chain').click();
    await expect($('main [role="status"]:not(.toasts)')).toHaveText(expect.stringContaining('The audit trail is whole'));
    await expect($('td=sign-in refused')).toBeDisplayed();
    await expect($('td=unlocked')).toBeDisplayed();
    await shot('state-audit');
  });

  it('gives the head for the paper log and later finds the trail still holds it', async () => {
    await $('button=Anchor for the paper log').click();
    const written = await $('.anchor .code').getText();
    expect(written).toMatch(/^\d+ ([A-Z2-7]{4}-){3}[A-Z2-7]{4}$/);
    await fill('audit_written_anchor', written);
    await $('button=Check').click();
    await expect($('p*=is still the one written down')).toBeDisplayed();
    await shot('state-audit-anchor');
  });
});

describe('trust between sites in the real app', () => {
  it('shows this site’s card fingerprint to read aloud', async () => {
    await $('button=Sync').click();
    const fingerprint = await $('[aria-label="This site\'s fingerprint"]');
    await expect(fingerprint).toHaveText(expect.stringMatching(/^([A-Z2-7]{4}-){3}[A-Z2-7]{4}$/));
    await expect($('td=No trusted sites yet.')).toBeDisplayed();
    await shot('state-sync');
  });
});
