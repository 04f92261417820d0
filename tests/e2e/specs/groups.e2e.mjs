import { browser, $, expect } from '@wdio/globals';
import { fill, setUpSite, shot } from './helpers.mjs';

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
  it('creates a weekly group with a facilitator and a roster', async () => {
    await setUpSite();
    for (const [name, number] of PEOPLE) await enrol(name, number);
    await $('button=Groups').click();
    await $('button=Staff directory').click();
    await fill('staff-name', 'Rosa Díaz');
    await fill('staff-roles', 'forensic peer specialist');
    await $('button=Add to the directory').click();
    await expect($('td=Rosa Díaz')).toBeDisplayed();

    await $('button=Groups and rosters').click();
    await $('button=New group').click();
    await fill('group-name', 'Relapse Prevention');
    await $('#group-support').selectByVisibleText('Informational');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      await $(`label=${day}`).click();
    }
    await fill('group-start', '09:00');
    await fill('group-duration', '90');
    await fill('group-starts', today());
    await $('label*=Rosa Díaz').click();
    await $('button=Create group').click();
    await expect($('[role="status"]')).toHaveText(expect.stringContaining('Relapse Prevention is created'));
    for (const [name] of PEOPLE) {
      await fill('roster-find', name.split(',')[0]);
      await $('button=Find').click();
      await $(`button=Add ${name}`).click();
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
    // Today's column is the one whose heading shows today's date.
    const column = await $(`//div[contains(@class,"day")][.//small[text()="${showDate(today())}"]]`);
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
    await expect($('[role="status"]')).toHaveText(expect.stringContaining('Saved: 1 present of 3'));
    await shot('state-roll-call');
    await $('button*=Back to the calendar').click();
    const held = await $(`//div[contains(@class,"day")][.//small[text()="${showDate(today())}"]]`);
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
    await shot('state-participant-hours');
  });
});

function showDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d} ${months[m - 1]} ${y}`;
}
