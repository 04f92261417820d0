import { $, $$, expect } from '@wdio/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { answerFileDialog, demoSite, openApp, shot, signIn, signOut, toScreen } from './helpers.mjs';

// The program report on a demo site with a year of history: a quarter's figures, one opened to
// the people behind it; an auditor sees the same counts and no one behind them.
const { dir, db, peer: COORDINATOR, auditor: AUDITOR } = demoSite('reports', 150, 5);
const pages = path.join(import.meta.dirname, '..', 'screenshots', 'program-report');

describe('the program report in the real app', () => {
  it('opens last quarter and lists the people behind a figure', async () => {
    await openApp(db);
    await signIn(COORDINATOR.username, COORDINATOR.password);
    await toScreen('Reports', '#report-period');
    const enrolment = await $('caption=Program enrolment').parentElement();
    await enrolment.waitForDisplayed();
    await expect($('caption=One-on-one contacts')).toBeDisplayed();
    const row = await enrolment.$('th*=In a program at the start').parentElement();
    const count = Number((await row.$('td.value').getText()).replace(/[^0-9]/g, ''));
    expect(count).toBeGreaterThan(0);
    await row.$('button=Who').click();
    const list = await $('#report-people-title');
    await expect(list).toHaveText(expect.stringContaining(`In a program at the start of the period: ${count === 1 ? '1 person' : `${count} people`}`));
    expect((await $$('.people tbody tr')).length).toBe(count);
    await shot('state-report-people');
  });

  it('saves the report as a PDF, turned into pages to look at, and as CSV files', async () => {
    const pdf = path.join(dir, 'q.pdf');
    await $('button=Save as PDF').click();
    answerFileDialog('Save the program report', pdf, { save: true });
    await expect($('p.banner.notice')).toHaveText(expect.stringContaining(pdf));
    const text = execFileSync('pdftotext', [pdf, '-']).toString();
    expect(text).toContain('Program report');
    expect(text).toContain('In a program at the start of the period');
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, pages]);
    expect(fs.readdirSync(path.dirname(pages)).filter((f) => f.startsWith('program-report-')).length).toBeGreaterThan(1);
    const folder = path.join(dir, 'q-csv');
    await $('button=Save as CSV files').click();
    answerFileDialog('Save the program report as CSV files, in a folder of this name', folder, { save: true });
    await expect($('p.banner.notice')).toHaveText(expect.stringContaining('data dictionary'));
    expect(fs.readdirSync(folder).sort()).toEqual(['check_ins.csv', 'contacts.csv', 'data-dictionary.csv', 'enrolment.csv', 'follow_ups.csv', 'groups.csv', 'referrals.csv', 'releases.csv']);
  });

  it('lists the follow-up interviews due now, each with its window and where it happens', async () => {
    await $('button[role="tab"]=Follow-ups due').click();
    const list = await $('section[aria-labelledby="follow-ups-title"]');
    await list.$('table').waitForDisplayed();
    const first = await list.$('tbody tr').getText();
    expect(first).toMatch(/Closing soon|Open|Missed/);
    expect(first).toMatch(/Inside, while held|In the community/);
    await shot('state-follow-ups-due');
    await $('button[role="tab"]=Program report').click();
    await $('#report-period').waitForDisplayed();
  });

  it('refuses a period that ends before it begins, beside the date', async () => {
    await $('#report-period').selectByVisibleText('Dates I choose');
    const from = await $('#report-from');
    await from.clearValue();
    await from.setValue('2026-09-30');
    const to = await $('#report-to');
    await to.clearValue();
    await to.setValue('2026-07-01');
    await $('button=Show the report').click();
    await expect($('#report-to-error')).toHaveText(expect.stringContaining('ends before it begins'));
    await signOut();
  });

  it('shows an auditor the counts and no one behind them', async () => {
    await signIn(AUDITOR.username, AUDITOR.password);
    await toScreen('Reports', '#report-period');
    await $('caption=Program enrolment').waitForDisplayed();
    expect((await $$('button=Who')).length).toBe(0);
    await shot('state-report-auditor');
  });
});
