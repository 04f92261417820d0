// The main flows in Spanish, from the keyboard alone: a coordinator chooses Spanish and day-first
// dates for their account, enrols a person (an impossible date refused in Spanish), opens their
// page, goes back with Escape, visits Groups, Today and Reentry, and finds Spanish again after
// signing out and in. Every state is checked by axe-core on the way (shot).
import { browser, $, expect } from '@wdio/globals';
import { ADMIN, expectAccessible, setUpSite, shot, tabTo } from './helpers.mjs';

const focused = () => browser.execute(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '');

/** Types into the field that has the focus, as a person would. (WebDriver's addValue sends the
 * keystrokes; `browser.keys` with one key per letter drops a letter typed twice in a row.) */
async function type(text) {
  const id = await browser.execute(() => document.activeElement?.id ?? '');
  await $(`#${id}`).addValue(text);
}

describe('the app in Spanish, from the keyboard', () => {
  it('sets up the site in English, the default before anyone chooses', async () => {
    await setUpSite();
    await expect($('header nav')).toHaveText(expect.stringContaining('Participants'));
  });

  it('switches this account to Spanish and day-first dates in Preferences', async () => {
    await tabTo('button[aria-controls="user-menu"]');
    await browser.keys('Enter');
    expect(await focused()).toBe('Preferences');
    await browser.keys('Enter');
    expect(await focused()).toBe('preference-language');
    await expectAccessible('Preferences');
    await browser.keys('ArrowDown');
    await browser.keys('Tab');
    expect(await focused()).toBe('preference-date-order');
    await browser.keys('ArrowDown');
    await tabTo('button[type="submit"]');
    await browser.keys('Enter');
    await expect($('header nav')).toHaveText(expect.stringContaining('Participantes'));
    expect(await browser.getTitle()).toBe('Participantes – Bridger');
    expect(await browser.execute(() => document.activeElement?.getAttribute('aria-controls'))).toBe('user-menu');
    await shot('es-roster');
  });

  it('enrols a person with dates typed day first, refusing an impossible one in Spanish', async () => {
    await tabTo('button.enroll');
    await browser.keys('Enter');
    await expect($('h1')).toHaveText('Inscribir a un participante');
    expect(await focused()).toBe('legal_name');
    await type('GARCÍA LÓPEZ, José');
    await tabTo('#dob');
    await type('30/2/1985');
    await expect($('#dob-error')).toHaveText('febrero de 1985 tiene 28 días');
    await type('\uE003'.repeat('30/2/1985'.length)); // Backspace, once per letter typed
    await type('14/3/1988');
    await expect($('#dob-understood')).toHaveText('lunes, 14 de marzo de 1988');
    await tabTo('#facility_id');
    await browser.keys('ArrowDown');
    await tabTo('#admission_date');
    await type('2/5/2026');
    await expect($('#admission_date-understood')).toHaveText('sábado, 2 de mayo de 2026');
    // The core refuses the missing number, and says so in Spanish beside the field.
    await tabTo('button[type="submit"].primary');
    await browser.keys('Enter');
    await expect($('#facility_number-error')).toHaveText('el número en el centro (número de ingreso o del DOC) es obligatorio');
    await expect($('.banner.error')).toHaveText('No se guardó nada: corrija los campos señalados abajo.');
    await shot('es-enrol-form');
    await tabTo('#facility_number');
    await type('B-20431');
    await tabTo('button[type="submit"].primary');
    await browser.keys('Enter');
    await expect($('h1')).toHaveText('GARCÍA LÓPEZ, José');
    await expect($('dl')).toHaveText(expect.stringContaining('14 mar 1988'));
    await expect($('[role="tablist"]')).toHaveText(expect.stringContaining('Resumen'));
    await shot('es-participant');
  });

  it('goes back to the list with Escape, as the Back button says', async () => {
    await expect($('button.back')).toHaveText('← Volver a participantes');
    await browser.execute(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await browser.keys('Escape');
    await expect($('#roster-search')).toBeDisplayed();
    await expect($('.summary')).toHaveText('1 participante');
  });

  it('reads Groups, Today and Reentry in Spanish', async () => {
    await tabTo('header nav button:nth-of-type(4)');
    await browser.keys('Enter');
    await expect($('#week-title')).toHaveText(expect.stringContaining('semana del'));
    expect(await browser.getTitle()).toBe('Grupos – Bridger');
    await shot('es-week');
    await tabTo('header nav button:nth-of-type(1)', 150);
    await browser.keys('Enter');
    await expect($('h1')).toHaveText(expect.stringContaining('Hoy, '));
    await shot('es-today');
    await tabTo('header nav button:nth-of-type(6)', 60);
    await browser.keys('Enter');
    await expect($('h1')).toHaveText('Próximas salidas');
    await shot('es-pipeline');
  });

  it('keeps the choice for the account: Spanish again after signing out and in', async () => {
    await tabTo('button[aria-controls="user-menu"]');
    await browser.keys('Enter');
    await tabTo('#user-menu li:last-child button');
    await browser.keys('Enter');
    await expect($('h1')).toHaveText('Sign in to Bridger');
    await tabTo('#username');
    await type(ADMIN.username);
    await browser.keys('Tab');
    await type(ADMIN.password);
    await browser.keys('Enter');
    await expect($('header nav')).toHaveText(expect.stringContaining('Participantes'));
  });
});
