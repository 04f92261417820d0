import { browser, $, expect } from '@wdio/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerFileDialog, fill, openApp, press, presses, setUpSite, shot, tabBackTo, tabTo, typeKeys } from './helpers.mjs';

// A reentry worker prepares someone's release: a release date, the plan, an appointment, the
// printed packet, and a hand-off to the clinic, refused until the person's consent is recorded.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridger-e2e-reentry-'));
const bridger = path.resolve(import.meta.dirname, '..', '..', '..', 'target', 'debug', 'bridger');
const clinic = { db: path.join(dir, 'clinic.db'), card: path.join(dir, 'clinic.bridger-card'), password: path.join(dir, 'clinic-password') };
const packet = path.join(dir, 'release-packet.pdf');
const handoff = path.join(dir, 'hand-off.bundle');

/** YYYY-MM-DD, `days` from today on this machine's calendar. */
function day(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The clinic runs Bridger at its own site; it is set up with the command-line tool. */
function clinicCard() {
  fs.writeFileSync(clinic.password, 'eastside site password\n');
  execFileSync(bridger, ['--db', clinic.db, 'init', '--site', 'Eastside Clinic', '--admin', 'clinic', '--password-file', clinic.password]);
  const out = execFileSync(bridger, ['--db', clinic.db, '--user', 'clinic', '--password-file', clinic.password, 'site', 'card', '-o', clinic.card]).toString();
  return out.match(/[A-Z2-7]{4}(-[A-Z2-7]{4}){3}/)[0];
}

/** Types into a field, as a person would. */
function typeInto(id, text) {
  return $(`#${id}`).addValue(text);
}

describe('preparing a release in the real app', () => {
  it('enrols someone with a release date in three weeks', async () => {
    await openApp(path.join(dir, 'jail.db'));
    await setUpSite('North Jail Reentry');
    await $('button=Enroll participant').click();
    await fill('legal_name', 'OKAFOR, Grace');
    await fill('dob', '1990-07-21');
    await $('#facility_id').selectByVisibleText('Riverside County Jail');
    await fill('facility_number', 'N-55120');
    await fill('admission_date', day(-200));
    await fill('release_date', day(20));
    await $('button=Enroll').click();
    await expect($('h1')).toHaveText('OKAFOR, Grace');
  });

  it('trusts the clinic and links it in the directory as a hand-off partner', async () => {
    const fingerprint = clinicCard();
    await $('button=Sync').click();
    await $('button=Add a site from its card…').click();
    answerFileDialog("Open a site's card", clinic.card, { save: false });
    await $('h3=Trust Eastside Clinic?').waitForDisplayed();
    await fill('heard', fingerprint);
    // A partner is what this site says of it: it will receive hand-offs and nothing else.
    await $('label*=A community partner').click();
    await $('button=Trust this site').click();
    await expect($('main.page > p[role="status"]')).toHaveText('Eastside Clinic is now trusted as a community partner.');
    await $('nav').$('button=Reentry').click();
    await $('button=Community resources').click();
    await fill('resource-name', 'Eastside Recovery Clinic');
    await $('#resource-kind').selectByAttribute('value', 'treatment_provider');
    await fill('resource-address', '40 Elm Street, Riverside');
    await fill('resource-phone', '555-0142');
    await $('#resource-site').selectByVisibleText('Eastside Clinic');
    await $('button=Add to the directory').click();
    await expect($('form[aria-label="Add a resource"] p[role="status"]')).toHaveText(expect.stringContaining('community partner'));
  });

  it('starts the plan, marks two items, adds an appointment and saves the packet in at most 60 Tab presses', async () => {
    presses.tabs = 0;
    await tabTo('[role="tablist"] [aria-selected="true"]');
    await press('Home');
    await $('button=OKAFOR, Grace').waitForDisplayed();
    await expect($('section[aria-label="8 to 30 days out"]')).toHaveText(expect.stringContaining('Not started'));
    await shot('state-release-pipeline');
    await tabTo('section[aria-label="8 to 30 days out"] button.link');
    await press('Enter');
    await $('h1=Reentry plan: OKAFOR, Grace').waitForDisplayed();
    // The page opens on its heading; the links above its sections skip the packet's.
    await tabTo('nav[aria-label="On this page"] a[href="#items-title"]');
    await press('Enter');
    await expect($('#items-title')).toBeFocused();
    await tabTo('section[aria-labelledby="items-title"] button.primary');
    await press('Enter');
    // Started, the focus goes on to the first item's status: Open → In progress → Done, one
    // arrow each; each choice is saved as it is made.
    const idCard = 'select[aria-label="Status of State ID card"]';
    await $(idCard).waitForDisplayed();
    await tabTo(idCard);
    await press('ArrowDown');
    await expect($('.summary')).toHaveText(expect.stringContaining('0 of 17 items settled'));
    await tabTo(idCard);
    await press('ArrowDown');
    await expect($('.summary')).toHaveText(expect.stringContaining('1 of 17 items settled'));
    const birth = 'select[aria-label="Status of Birth certificate"]';
    await tabTo(birth);
    await press('ArrowDown');
    await tabTo(birth);
    await press('ArrowDown');
    await expect($('.summary')).toHaveText(expect.stringContaining('2 of 17 items settled'));
    // F6 moves on a section at a time: to the community peer, then to the appointments.
    await press('F6');
    await press('F6');
    await expect($('#appointments-title')).toBeFocused();
    // A closed select takes the first letter of its option, as a person types it.
    await tabTo('#appointment-area');
    await press('M');
    await tabTo('#appointment-resource');
    await press('E');
    await expect($('#appointment-provider')).toHaveValue('Eastside Recovery Clinic');
    await tabTo('#appointment-date');
    await typeInto('appointment-date', day(10));
    await tabTo('form[aria-label="Add an appointment"] button[type="submit"]');
    await press('Enter');
    await expect($('#appointment-reason-error')).toHaveText(expect.stringContaining('before the release date'));
    // The refusal keeps the focus on the button; the date is a few fields back.
    await tabBackTo('#appointment-date');
    await typeInto('appointment-date', '\uE003'.repeat(10) + day(21));
    await tabTo('#appointment-time');
    await typeInto('appointment-time', '09:30');
    await tabTo('form[aria-label="Add an appointment"] button[type="submit"]');
    await press('Enter');
    await expect($('section[aria-labelledby="appointments-title"] p.banner.notice')).toHaveText('Appointment added.');
    await expect($('#appointment-reason-error')).not.toBeExisting();
    await expect($('section[aria-labelledby="appointments-title"] table')).toHaveText(expect.stringContaining('09:30'));
    await shot('state-reentry-plan');
    // Back up three sections to the packet, in Spanish, saved as a PDF.
    for (let n = 0; n < 3; n++) await press(['Shift', 'F6']);
    await expect($('#packet-title')).toBeFocused();
    await tabTo('#packet-language');
    await typeKeys('Es'); // Español, not English
    await expect($('#packet-language')).toHaveValue('spanish');
    // The packet's buttons are in the bar just above its section: one Shift+Tab back.
    await tabBackTo('.page-bar button:not(.primary)');
    await press('Enter');
    answerFileDialog('Save the release packet', packet, { save: true });
    await expect($('section[aria-labelledby="packet-title"] p.banner.notice')).toHaveText(expect.stringContaining(packet));
    expect(fs.readFileSync(packet).subarray(0, 5).toString()).toBe('%PDF-');
    console.log(`plan started, two items marked, an appointment added and the packet saved: ${presses.tabs} Tab presses`);
    expect(presses.tabs).toBeLessThanOrEqual(60);
  });

  it('refuses a hand-off without consent, then hands off once consent is recorded', async () => {
    await $('#handoff-partner').selectByVisibleText('Eastside Recovery Clinic');
    await $('button=Hand off…').click();
    await expect($('#handoff-partner-error')).toHaveText(expect.stringContaining('has not consented to share anything with Eastside Recovery Clinic'));
    expect(fs.existsSync(handoff)).toBe(false);
    await shot('state-handoff-refused');
    await $('#consent-recipient').selectByVisibleText('Eastside Recovery Clinic');
    await fill('consent-purpose', 'continuity of medication after release');
    await fill('consent-signed', day(0));
    await fill('consent-expires', day(180));
    await $('form[aria-label="Record a consent"]').$('label*=Medication for opioid use disorder').click();
    await $('button=Record the consent').click();
    await expect($('section[aria-labelledby="consents-title"] table')).toHaveText(expect.stringContaining('In force'));
    await $('button=Hand off…').click();
    answerFileDialog('Save the hand-off bundle', handoff, { save: true });
    await expect($('p.banner.notice')).toHaveText(expect.stringContaining('stays open until Eastside Recovery Clinic confirms it'));
    expect(fs.readFileSync(handoff).subarray(0, 15).toString()).toBe('BRIDGER BUNDLE\n');
    await expect($('section[aria-labelledby="disclosures-title"]')).toHaveText(expect.stringContaining('Waiting for Eastside Recovery Clinic to confirm'));
    await shot('state-handoff-sent');
  });

  it('shows the release and its overdue tasks on the Today screen', async () => {
    await $('nav').$('button=Today').click();
    await expect($('#today-releases')).toHaveText(expect.stringContaining('OKAFOR, Grace'));
    await expect($('#today-appointments')).toHaveText(expect.stringContaining('No appointments in the next seven days'));
    await expect($('#today-tasks')).toHaveText(expect.stringContaining('Overdue since'));
    await shot('state-today');
  });
});
