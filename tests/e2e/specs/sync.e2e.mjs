import { $, expect } from '@wdio/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN, answerFileDialog, fill, openApp, setUpSite, shot, signIn } from './helpers.mjs';

// Two workstations, each with its own database, hand changes over in files as they would on a
// USB stick: the jail enrols someone, the reentry office imports the bundle and sees them.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridger-e2e-sync-'));
const jail = { db: path.join(dir, 'jail.db'), name: 'North Jail Peer Office', card: path.join(dir, 'north.bridger-card') };
const office = { db: path.join(dir, 'office.db'), name: 'Reentry Office', card: path.join(dir, 'office.bridger-card') };
const bundle = path.join(dir, 'to-reentry-office.bridger');

async function goToSync() {
  await $('button=Sync').click();
  await $('h1=Sync').waitForDisplayed();
}

/** Saves this site's card to `file` and returns the fingerprint shown beside it. */
async function saveCard(file) {
  const fingerprint = await $('[aria-label="This site\'s fingerprint"]').getText();
  await $('button=Save the card…').click();
  answerFileDialog("Save this site's card", file, { save: true });
  await expect($('main.page > p[role="status"]')).toHaveText(expect.stringContaining(file));
  return fingerprint;
}

async function trust(site, card, fingerprint) {
  await $('button=Add a site from its card…').click();
  answerFileDialog("Open a site's card", card, { save: false });
  await $(`h3=Trust ${site}?`).waitForDisplayed();
  await fill('heard', fingerprint);
  await $('button=Trust this site').click();
  await expect($('main.page > p[role="status"]')).toHaveText(`${site} is now trusted as a program site.`);
}

async function importBundle() {
  await $('button=Import changes from a file…').click();
  answerFileDialog('Import a bundle', bundle, { save: false });
  const summary = $('[aria-label="Import summary"]');
  await summary.waitForDisplayed({ timeout: 20000 });
  return summary;
}

describe('moving changes between two workstations by file', () => {
  const fingerprints = {};

  it('sets up the jail, enrols a participant and saves its card', async () => {
    await openApp(jail.db);
    await setUpSite(jail.name);
    await $('button=Enroll participant').click();
    await fill('legal_name', 'OKAFOR, Grace');
    await fill('dob', '1990-07-21');
    await $('#facility_id').selectByVisibleText('Riverside County Jail');
    await fill('facility_number', 'N-55120');
    await fill('admission_date', '2026-08-03');
    await fill('release_date', '2027-02-10');
    await $('button=Enroll').click();
    await expect($('h1')).toHaveText('OKAFOR, Grace');
    await goToSync();
    fingerprints.jail = await saveCard(jail.card);
    expect(fs.existsSync(jail.card)).toBe(true);
  });

  it('sets up the reentry office, which trusts the jail after comparing fingerprints', async () => {
    await openApp(office.db);
    await setUpSite(office.name);
    await goToSync();
    fingerprints.office = await saveCard(office.card);
    await trust(jail.name, jail.card, fingerprints.jail);
  });

  it('exports from the jail to a file for the reentry office', async () => {
    await openApp(jail.db);
    await signIn(ADMIN.username, ADMIN.password);
    await $('h1*=Today').waitForDisplayed();
    await goToSync();
    await trust(office.name, office.card, fingerprints.office);
    await $('#send-to').selectByVisibleText(office.name);
    await $('button=Export to a file…').click();
    answerFileDialog('Export changes to a file', bundle, { save: true });
    await expect($('main.page > p[role="status"]')).toHaveText(expect.stringMatching(new RegExp(`^\\d+ changes for ${office.name} are in `)));
    await shot('state-sync-exported');
    expect(fs.readFileSync(bundle).subarray(0, 15).toString()).toBe('BRIDGER BUNDLE\n');
  });

  it('imports the bundle at the reentry office, where the participant appears', async () => {
    await openApp(office.db);
    await signIn(ADMIN.username, ADMIN.password);
    await $('h1*=Today').waitForDisplayed();
    await goToSync();
    const summary = await importBundle();
    await expect(summary).toHaveText(expect.stringContaining(`From ${jail.name}:`));
    await expect(summary).toHaveText(expect.stringContaining('0 already here'));
    await expect(summary).not.toHaveText(expect.stringContaining('Nothing new'));
    await shot('state-sync-imported');
    await $('button=Participants').click();
    await fill('roster-search', 'okafor');
    await expect($('[role="option"]*=OKAFOR, Grace')).toBeDisplayed();
  });

  it('imports the same bundle again and is told nothing is new', async () => {
    await goToSync();
    const summary = await importBundle();
    await expect(summary).toHaveText(expect.stringContaining('Nothing new'));
    await expect(summary).toHaveText(expect.stringContaining('0 new records, 0 fields updated'));
    await shot('state-sync-nothing-new');
  });
});
