import { $, $$, browser, expect } from '@wdio/globals';
import fs from 'node:fs';
import path from 'node:path';
import { answerFileDialog, demoSite, fill, openApp, shot, signIn, toScreen } from './helpers.mjs';

// The jail's roster brought in through the real app: a file with a title line, Windows-1252
// accents, dates written three ways, and rows that cannot be taken; the mapping fixed where it
// asks; applied, applied again to no effect; then the next day's file, whose release and
// housing move the coordinator confirms.
const { dir, db, peer: COORDINATOR } = demoSite('roster-import', 40, 11);

/** A roster as the jail's system writes it, in Windows-1252 (every accent here is in it). */
function roster(name, lines) {
  const file = path.join(dir, name);
  const text = ['RIVERSIDE COUNTY JAIL - IN CUSTODY', 'Run 11/24/2026 06:00', '', 'Booking #,Inmate Name,DOB,Housing,Booking Date,Proj Release,Charge', ...lines, 'Total: 5 inmates', ''];
  fs.writeFileSync(file, Buffer.from(text.join('\r\n'), 'latin1'));
  return file;
}

const GARCIA = ['26-0101,"GARCÍA LÓPEZ, José Luis",02/03/85,A-POD-12B,2026-11-20,TBD,POSS CS', '26-0101,"GARCÍA LÓPEZ, José Luis",02/03/85,A-POD-12B,2026-11-20,TBD,FTA'];
const SMITH = '26-0102,"SMITH, Ann",07/04/90,B-East-3,2026-11-21,03/15/27,DUI';
const NUNEZ = (cell) => `26-0103,"NÚÑEZ, Inés",11/10/79,A-POD-${cell},2026-11-22,LIFE,THEFT`;
const REFUSED = ['26-0104,,01/02/88,A-POD-1,2026-11-22,,TRESPASS', '26-0105,"ROE, Rick",,A-POD-2,2026-11-23,,DUI'];
const day1 = roster('custody-1.csv', [...GARCIA, SMITH, NUNEZ(14), ...REFUSED]);
const day2 = roster('custody-2.csv', [...GARCIA, NUNEZ(15), ...REFUSED]);

/** Waits until `selector` holds `text`, read from the page itself each time: the screen
 * replaces these paragraphs as each step starts and ends, and WebKit's driver reads no text
 * from an element it counts as out of view. */
async function shows(selector, text) {
  let last = '';
  const read = async () => {
    last = await browser.execute((s) => document.querySelector(s)?.textContent?.replace(/\s+/g, ' ').trim() ?? '(absent)', selector);
    return last.includes(text);
  };
  await browser.waitUntil(read, { timeout: 20000 }).catch(() => {
    throw new Error(`${selector} never said "${text}"; it says "${last}"`);
  });
}

async function chooseFile(file) {
  await $('.import .toolbar').$('button*=file').click();
  answerFileDialog("Open the roster from the jail's system", file, { save: false });
  await shows('#import-file', `${path.basename(file)} (text, Windows-1252): the header is on line 4`);
}

async function previewShows(summary) {
  await $('button*=Preview').click();
  await shows('#import-summary', summary);
}

describe('the jail roster in the real app', () => {
  it('reads the file, asks about the ambiguous dates, and shows every refusal with its reason', async () => {
    await openApp(db);
    await signIn(COORDINATOR.username, COORDINATOR.password);
    await toScreen('Participants', '#roster-search');
    await $('button=Import roster…').click();
    await $('h1=Import the jail\'s roster').waitForDisplayed();
    await $('#import-facility').selectByVisibleText('Riverside County Jail');
    await fill('import-source', 'Jail system');
    await chooseFile(day1);
    await expect($('th=Inmate Name')).toBeDisplayed();
    await expect($('td=GARCÍA LÓPEZ, José Luis')).toBeDisplayed();

    await $('button=Preview').click();
    await expect($('[aria-label="Which column holds what"]')).toHaveText(expect.stringContaining('the column "DOB" reads both as month/day/year and as day/month/year: say which it is'));
    await shot('state-roster-mapping-asks');
    await $('[aria-label="Dates written as: DOB"]').selectByVisibleText('month/day/year (2/3/1985)');
    await previewShows('5 people on the roster: 3 new, 0 changed, 0 unchanged, 2 refused.');
    const refusals = await $$('table.refused tbody tr').map((r) => r.$$('td').map((td) => td.getText()));
    expect(refusals).toEqual([
      ['9', 'Inmate Name', 'no name'],
      ['10', 'DOB', 'no date of birth: a new record needs one, to tell people with one name apart'],
    ]);
    await shows('#import-new-units', 'New housing units to be added: A-POD.');
    await shot('state-roster-preview');
  });

  it('applies it whole, and the same file again changes nothing', async () => {
    await $('button=Apply').click();
    await shows('#import-outcome', 'Applied: 3 enrolled, 0 changed, 0 released, 0 back under a new booking.');
    await shows('#import-source-hint', 'custody-1.csv');
    await chooseFile(day1);
    await shows('#import-mapping-from', 'The mapping saved for this source.');
    await previewShows('5 people on the roster: 0 new, 0 changed, 3 unchanged, 2 refused.');
    await $('button=Apply').click();
    await shows('#import-outcome', 'Nothing new: every person matches the records');
  });

  it("takes the next day's file: a housing move, and a release the coordinator confirms", async () => {
    await chooseFile(day2);
    await previewShows('4 people on the roster: 0 new, 1 changed, 1 unchanged, 2 refused.');
    await shows('ul.changed', '26-0103 NÚÑEZ, Inés housing move: Cell 14 → 15');
    await $('label=Confirm SMITH, Ann was released').click();
    await shot('state-roster-movements');
    await $('button=Apply').click();
    await shows('#import-outcome', 'Applied: 0 enrolled, 1 changed, 1 released, 0 back under a new booking.');

    await $('button*=Back to participants').click();
    await $('#filter-status').selectByVisibleText('Any status');
    await fill('roster-search', 'smith ann');
    await $('[role="option"]*=SMITH, Ann').waitForDisplayed();
    await expect($('[role="option"]*=SMITH, Ann')).toHaveText(expect.stringContaining('Released'));
  });
});
