import { browser, $, $$, expect } from '@wdio/globals';
import { ADMIN, expectAccessible, fill, openFromSearch, setUpSite, shot, signIn, toScreen } from './helpers.mjs';

describe('participants in the real app', () => {
  it('sets up a new workstation on first run', async () => {
    await setUpSite();
    await expect($('.summary')).toHaveText(expect.stringContaining('No participants yet'));
  });

  it('adds a housing unit on the Facilities screen', async () => {
    await $('button=Facilities').click();
    await $('input[placeholder="New unit name"]').setValue('C-West');
    await $('button=Add unit').click();
    await expect($('li=C-West')).toBeDisplayed();
    await shot('state-facilities');
    await $('button=Participants').click();
    await $('#roster-search').waitForDisplayed();
  });

  it('enrolls a participant', async () => {
    await $('button=Enroll participant').click();
    await fill('legal_name', 'GARCÍA LÓPEZ, José');
    await fill('preferred_name', 'Pepe');
    await fill('dob', '1988-03-14');
    await $('#facility_id').selectByVisibleText('Riverside County Jail');
    await $('#unit_id').selectByVisibleText('A-North');
    await fill('facility_number', 'B-20431');
    await fill('admission_date', '2026-05-02');
    await fill('release_date', '2027-01-15');
    await $('button=Enroll').click();
    await expect($('h1')).toHaveText('GARCÍA LÓPEZ, José');
    await expect($('dl')).toHaveText(expect.stringContaining('B-20431'));
  });

  it('starts a program, moves it to a phase, and refuses an end without its outcome', async () => {
    await expect($('p=Not in a program yet.')).toBeDisplayed();
    await $('button=Start a program').click();
    await $('#episode-kind').selectByVisibleText('RSAT unit');
    await fill('episode-name', 'RSAT unit B');
    await fill('episode-start', '2026-05-04');
    await $('button=Start the program').click();
    await expect($('.programs')).toHaveText(expect.stringContaining('Since 4 May 2026'));
    await $('button=Change phase').click();
    await fill('phase-name', 'Phase 2');
    await fill('phase-date', '2026-04-01');
    await $('button=Save the phase').click();
    await expect($('#phase-date-error')).toHaveText(expect.stringContaining('before the program did'));
    await fill('phase-date', '2026-07-01');
    await $('button=Save the phase').click();
    await expect($('.programs')).toHaveText(expect.stringContaining('now in Phase 2'));
    await $('button=End').click();
    await $('button=End the program').click();
    await expect($('#episode-outcome-error')).toHaveText(expect.stringContaining('say how the program ended'));
    await shot('state-program-end-refused');
    await $('.programs').$('button=Cancel').click();
    await expect($('.programs')).toHaveText(expect.stringContaining('now in Phase 2'));
  });

  it('finds the participant by typing part of the name, without accents', async () => {
    await $('button*=Back to participants').click();
    await openFromSearch('jose gar', 'GARCÍA LÓPEZ, José');
  });

  it('edits the participant', async () => {
    await $('button=Edit').click();
    await fill('preferred_name', 'Joe');
    await $('button=Save changes').click();
    await expect($('p=Goes by “Joe”')).toBeDisplayed();
  });

  it('refuses a release date before admission and saves nothing', async () => {
    await $('button=Edit').click();
    await fill('release_date', '2026-01-01');
    await fill('preferred_name', 'Changed but not saved');
    await $('button=Save changes').click();
    const error = await $('#release_date-error');
    await error.waitForDisplayed();
    await expect(error).toHaveText(expect.stringContaining('before the admission date'));
    await shot('state-release-before-admission');
    await $('button=Cancel').click();
    await expect($('dl')).toHaveText(expect.stringContaining('15 Jan 2027'));
    await expect($('p=Goes by “Joe”')).toBeDisplayed();
  });

  it('shows a possible duplicate before enrolling again', async () => {
    await $('button*=Back to participants').click();
    await $('button=Enroll participant').click();
    await fill('legal_name', 'Garcia Lopez, Jose');
    await fill('dob', '1988-03-14');
    await $('#facility_id').selectByVisibleText('Riverside County Jail');
    await fill('facility_number', 'B-99999');
    await fill('admission_date', '2026-06-01');
    await $('button=Enroll').click();
    await expect($('h2=This may be someone already enrolled')).toBeDisplayed();
    await shot('state-possible-duplicate');
    await $('button=Cancel').click();
    // Back on the roster, the earlier search is kept, and still finds only the one José.
    await expect($('#roster-search')).toHaveValue('jose gar');
    await expect($('.summary')).toHaveText('1 match');
  });

  it('still has the participant after the app is closed and reopened', async () => {
    await browser.reloadSession();
    await signIn(ADMIN.username, ADMIN.password);
    await toScreen('Participants', '#roster-search');
    await openFromSearch('b-2043', 'GARCÍA LÓPEZ, José');
    await expect($('p=Goes by “Joe”')).toBeDisplayed();
    expect((await $$('h1')).length).toBe(1);
  });

  it('records a release, then deletes the record after confirmation', async () => {
    await $('button=Record release').click();
    // A real date, a year ahead: the field takes it, and the core refuses a release in the future.
    await fill('status-date', `${new Date().getFullYear() + 1}-01-01`);
    await $('button=Save status').click();
    await expect($('.dialog .error')).toHaveText(expect.stringContaining('future'));
    await expect($('#status-date')).toHaveAttribute('aria-invalid', 'true');
    await shot('state-status-dialog-error');
    await fill('status-date', '2026-11-01');
    await $('button=Save status').click();
    await expect($('span.status')).toHaveText(expect.stringContaining('Released since 1 Nov 2026'));
    await $('button=Delete this record…').click();
    await expectAccessible('the delete dialog');
    await $('button=Keep the record').click();
    await expect($('h1')).toHaveText('GARCÍA LÓPEZ, José');
    await $('button=Delete this record…').click();
    await $('button=Delete the record').click();
    await $('#roster-search').waitForDisplayed();
    await fill('roster-search', 'garcia');
    await expect($('.summary')).toHaveText(expect.stringContaining('No one matches'));
  });
});
