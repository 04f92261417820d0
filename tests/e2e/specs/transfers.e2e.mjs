import { $, browser, expect } from '@wdio/globals';
import { demoSite, fill, openApp, openFromSearch, shot, signIn, toScreen } from './helpers.mjs';

// Transfers between the program's facilities through the real app, as the demo leaves them:
// two people at the jail asked for at the prison. The coordinator (who covers both) takes one
// in under a prison number and declines the other with a reason; then asks for a transfer
// from a person's page and cancels it.
const { db, peer: COORDINATOR } = demoSite('transfers', 40, 12);
const PRISON = 'Eastfield State Prison';

/** Waits until `selector` holds `text`, read from the page itself (WebKit's driver reads no
 * text from an element it counts as out of view). */
async function shows(selector, text) {
  let last = '';
  const read = async () => {
    last = await browser.execute((s) => [...document.querySelectorAll(s)].map((e) => e.textContent.replace(/\s+/g, ' ').trim()).join(' | ') || '(absent)', selector);
    return last.includes(text);
  };
  await browser.waitUntil(read, { timeout: 20000 }).catch(() => {
    throw new Error(`${selector} never said "${text}"; it says "${last}"`);
  });
}

describe('transfers in the real app', () => {
  let taken = '';

  it('takes one person in under a number here and declines the other with a reason', async () => {
    await openApp(db);
    await signIn(COORDINATOR.username, COORDINATOR.password);
    await toScreen('Participants', '#roster-search');
    await $('button=Transfers').click();
    await $('h1=Transfers between facilities').waitForDisplayed();
    await shows('ul[aria-label="Coming in"]', 'Riverside County Jail → Eastfield State Prison');
    const coming = await browser.execute(() => [...document.querySelectorAll('ul[aria-label="Coming in"] > li strong')].map((e) => e.textContent.trim()));
    expect(coming.length).toBe(2);
    const [first, second] = coming;
    taken = first;

    await $(`button[aria-label="Accept ${first}"]`).click();
    await fill('transfer-number', 'ESP-9001');
    await shot('state-transfer-accept');
    await $('button=Accept: the person is here').click();
    await shows('.banner.notice', `${first} is now at ${PRISON}.`);
    await expect($(`button=Open ${first}’s record`)).toBeDisplayed();

    await $(`button[aria-label="Decline ${second}"]`).click();
    await $('button=Decline the transfer').click();
    await shows('#transfer-note-error', 'say why, for the other facility');
    await fill('transfer-note', 'No RSAT bed until March');
    await $('button=Decline the transfer').click();
    await shows('.banner.notice', `Transfer of ${second} declined.`);
    await shows('section.transfers', 'No one is waiting to be taken in.');
    await shows('ul[aria-label="Answered in the last 30 days"]', 'No RSAT bed until March');
    await shot('state-transfers-list');
  });

  it('shows the person at the prison, with the transfer on their page', async () => {
    await $('button*=Participants').click();
    await openFromSearch(taken.split(',')[0], taken);
    await shows('dl', PRISON);
    await shows('dl', 'ESP-9001');
    await shows('section.transfers', 'Accepted · by Demo Coordinator');
  });

  it('asks for a transfer from a person’s page, then cancels it', async () => {
    await $('button.link.back').click();
    await $('#roster-search').click();
    await browser.keys(['Control', 'a']);
    await browser.keys('Backspace');
    await $('#filter-facility').selectByVisibleText('Riverside County Jail');
    const row = await $('[role="option"]');
    await row.waitForDisplayed();
    await row.click();
    await $('button=Transfer to another facility…').click();
    await $('#transfer-to').selectByVisibleText(PRISON);
    await $('button=Ask for the transfer').click();
    await shows('#transfer-reason-error', 'say why the person moves');
    await fill('transfer-reason', 'Sentenced to state time');
    await $('button=Ask for the transfer').click();
    await shows('.banner.notice', `Transfer to ${PRISON} asked for.`);
    await shows('section.transfers', 'Waiting for an answer');
    await shot('state-transfer-asked');
    await $('button=Cancel transfer').click();
    await fill('transfer-cancel-note', 'Court date moved');
    await $('button=Cancel the transfer').click();
    await shows('.banner.notice', 'Transfer cancelled.');
    await shows('section.transfers', 'Cancelled');
    await expect($('button=Transfer to another facility…')).toBeDisplayed();
  });
});
