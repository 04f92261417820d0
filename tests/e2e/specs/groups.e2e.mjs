import { browser, $, expect } from '@wdio/globals';
import { fill, setUpSite, shot, tabTo } from './helpers.mjs';

const PEOPLE = [
  ['ALVAREZ, Ana', 'G-1'],
  ['BROWN, Ben', 'G-2'],
  ['CHEN, Carl', 'G-3'],
];

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function enrol(name, number) {
  await $('button=Enroll participant').click();
  await fill('legal_name', name);
  await fill('dob', '1990-04-01');
  await $('#facility_id').selectByVisibleText('Riverside County Jail');
  await fill('facility_number', number);
  await fill('admission_date', '2026-01-05');
  await $('button=Enroll').click();
  await expect($('h1')).toHaveText(name);
  await $('button*=Back to participants').click();
}

describe('groups in the real app', () => {
  it('creates a weekly group with a facilitator and a roster, the group from the keyboard alone', async () => {
    await setUpSite();
    for (const [name, number] of PEOPLE) await enrol(name, number);
    await $('nav[aria-label="Main"]').$('button=Staff').click();
    await fill('staff-name', 'Rosa Díaz');
    await fill('staff-roles', 'forensic peer specialist');
    await $('button=Add to the directory').click();
    await expect($('button=Rosa Díaz')).toBeDisplayed();
    await $('nav[aria-label="Main"]').$('button=Groups').click();

    // The group itself, from the keyboard alone.
    // The tabs are one stop: the arrow moves from Week calendar on to Groups and rosters.
    await tabTo('[role="tablist"][aria-label="Groups"] [aria-selected="true"]');
    await browser.keys('ArrowRight');
    await expect($('[role="tab"][aria-selected="true"]')).toHaveText('Groups and rosters');
    await tabTo('.list button.primary');
    await browser.keys('Enter');
    await tabTo('#group-name');
    await $('#group-name').addValue('Relapse Prevention');
    await tabTo('#group-support');
    await browser.keys('I'); // a closed select takes the first letter of its option: Informational
    await expect($('#group-support')).toHaveValue('informational');
    for (let day = 1; day <= 7; day++) {
      await tabTo(`fieldset input[type="checkbox"][value="${day}"]`);
      await browser.keys('Space');
    }
    await tabTo('#group-start');
    await $('#group-start').addValue('\uE003'.repeat(5) + '09:00');
    await tabTo('#group-duration');
    await $('#group-duration').addValue('\uE003'.repeat(3) + '90');
    await tabTo('fieldset:nth-of-type(2) input[type="checkbox"]');
    await browser.keys('Space');
    await tabTo('form button.primary[type="submit"]');
    await browser.keys('Enter');
    await expect($('main [role="status"]:not(.toasts)')).toHaveText(expect.stringContaining('Relapse Prevention is created'));
    for (const [name] of PEOPLE) {
      await tabTo('#roster-find', 60);
      await $('#roster-find').clearValue();
      await $('#roster-find').addValue(name.split(',')[0]);
      await tabTo('section[aria-labelledby="roster-title"] > button');
      await browser.keys('Enter');
      await $('.found li button').waitForDisplayed();
      await tabTo('.found li button');
      await browser.keys('Enter');
      await expect($(`li*=${name}`)).toBeDisplayed();
    }
    await expect($('#roster-title')).toHaveText('Roster (3)');
    await shot('state-group-roster');
  });

  it('takes roll call with the keyboard alone and keeps it', async () => {
    await $('button=Week calendar').click();
    const card = await $(`article*=Relapse Prevention`);
    await card.waitForDisplayed();
    await shot('state-week-calendar');
    // Today's column is marked as the current date, and says so under its date.
    const column = await $('div.day[aria-current="date"]');
    await expect(column.$('small')).toHaveText(`${showDate(today())} · today`);
    await column.$('button=Roll call').click();
    await $('#roll-find').waitForDisplayed();
    await expect($('#roll-find')).toBeFocused();
    await browser.keys(['Enter']);
    await browser.keys(['p', 'a', 'p']);
    await expect($('.counts')).toHaveText(expect.stringContaining('Present 2 · Absent 1'));
    await fill('roll-find', 'chen');
    await browser.keys(['Enter', 'e']);
    await expect($('.counts')).toHaveText(expect.stringContaining('Present 1 · Absent 1 · Excused 1'));
    await browser.keys(['Control', 's']);
    await expect($('main [role="status"]:not(.toasts)')).toHaveText(expect.stringContaining('Saved: 1 present of 3'));
    await shot('state-roll-call');
    await $('button*=Back to the calendar').click();
    const held = await $('div.day[aria-current="date"]');
    await expect(held.$('p=Roll call taken')).toBeDisplayed();
    await held.$('button=Roll call').click();
    await expect($('.counts')).toHaveText(expect.stringContaining('Present 1 · Absent 1 · Excused 1 · Refused 0 · Not marked 0'));
  });

  it('shows the hours on the participant’s page', async () => {
    await $('button=Participants').click();
    await fill('roster-search', 'alvarez');
    const row = await $('[role="option"]*=ALVAREZ, Ana');
    await row.waitForDisplayed();
    await row.click();
    await expect($('section*=Groups and hours')).toHaveText(expect.stringContaining('1.5 hours in 1 session attended'));
    const month = new Date().toLocaleString('en-US', { month: 'long', year: 'numeric' });
    await expect($('section*=Groups and hours')).toHaveText(expect.stringContaining(month));
    await shot('state-participant-hours');
  });
});

function showDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d} ${months[m - 1]} ${y}`;
}
