import { browser, $, expect } from '@wdio/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerFileDialog, fill, openApp, shot, signIn, toScreen } from './helpers.mjs';

// Peer staff on a demo site with a year of supervision: a new peer whose certification expires
// in 20 days shows on Today; logging Marcus's lapsed supervision clears it; part of this year's
// readiness assessment is saved, reopened and compared with last year's; and the prison's
// incarcerated peer mentor's record of peer work is saved as a PDF in Spanish.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridger-e2e-staff-'));
const bridger = path.resolve(import.meta.dirname, '..', '..', '..', 'target', 'debug', 'bridger');
const db = path.join(dir, 'demo.db');
const COORDINATOR = { username: 'demo', password: 'peer-recovery-2026' };
const summary = path.join(dir, 'peer-work-luis.pdf');

function isoDay(offset) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe('peer staff in the real app', () => {
  it('warns on Today of a credential expiring in 20 days', async () => {
    const password = path.join(dir, 'password');
    fs.writeFileSync(password, `${COORDINATOR.password}\n`);
    execFileSync(bridger, ['--db', db, 'demo', '--participants', '60', '--seed', '5', '--admin', COORDINATOR.username, '--admin-name', 'Demo Coordinator', '--password-file', password]);
    await openApp(db);
    await signIn(COORDINATOR.username, COORDINATOR.password);
    await toScreen('Staff', '#staff-name');
    await fill('staff-name', 'Tomás Rivera');
    await fill('staff-roles', 'peer recovery coach');
    await $('button=Add to the directory').click();
    await $('button=Tomás Rivera').click();
    await expect($('h1')).toHaveText('Staff record: Tomás Rivera');
    await $('button=Add a credential…').click();
    await $('#credential-kind').selectByVisibleText('State peer certification');
    await fill('credential-name', 'Certified Peer Recovery Specialist');
    await fill('credential-issuer', 'State certification board');
    await fill('credential-issued', isoDay(-710));
    await fill('credential-expires', isoDay(20));
    await fill('credential-years', '2');
    await fill('credential-hours', '20');
    await fill('credential-ethics', '6');
    await $('button=Add the credential').click();
    await expect($('section[aria-labelledby="staff-credentials-title"] p.banner.notice')).toHaveText('Credential added.');
    await expect($('ul[aria-label="Needs attention"]')).toHaveText(expect.stringContaining('in 20 days'));
    await shot('staff-record');
    await $('nav[aria-label="Main"]').$('button=Today').click();
    const staff = await $('#today-staff');
    await staff.waitForDisplayed();
    await expect(staff).toHaveText(expect.stringContaining('Tomás Rivera'));
    await expect(staff).toHaveText(expect.stringMatching(/Certified Peer Recovery Specialist expires .*, in 20 days/));
  });

  it("clears Marcus's lapse on Today once his supervision is logged", async () => {
    const marcus = () => $('#today-staff').$('tr*=Marcus Lee');
    await expect(marcus()).toHaveText(expect.stringContaining('Supervision was due'));
    await marcus().$('button=Marcus Lee').click();
    await expect($('h1')).toHaveText('Staff record: Marcus Lee');
    await $('button=Log supervision…').click();
    // The supervisor is his own (Rosa Díaz), the day today; one session, two functions.
    await expect($('#supervision-supervisor')).toHaveValue(expect.stringMatching(/.+/));
    await fill('supervision-minutes', '45');
    await $('input[name="supervision-functions"][value="administrative"]').click();
    await $('input[name="supervision-functions"][value="supportive"]').click();
    await fill('supervision-topics', 'Caseload and self-care');
    await shot('staff-supervision-form');
    await $('button=Log the session').click();
    await expect($('section[aria-labelledby="staff-supervision-title"] p.banner.notice')).toHaveText('Supervision logged.');
    await expect($('ul[aria-label="Needs attention"]')).not.toHaveText(expect.stringContaining('Supervision was due'));
    await $('button*=Back to Today').click();
    // Still listed, as his certification expires in three weeks, but his supervision is done.
    await marcus().waitForDisplayed();
    await expect(marcus()).toHaveText(expect.stringContaining('expires'));
    await expect(marcus()).not.toHaveText(expect.stringContaining('Supervision was due'));
  });

  it("saves part of this year's readiness assessment, reopens it and compares it with last year's", async () => {
    await $('nav[aria-label="Main"]').$('button=Staff').click();
    await $('button=Program readiness').click();
    await fill('readiness-name', 'Annual review 2026');
    await $('button=Start an assessment').click();
    await $('h1*=Annual review 2026').waitForDisplayed();
    // Three items: one now in place that was in progress, one a gap with its action item.
    await $('fieldset#answer-promote-training input[value="in_place"]').click();
    await $('fieldset#answer-prepare-role input[value="in_place"]').click();
    const conduct = await $('fieldset#answer-policies-conduct');
    await conduct.$('input[value="in_progress"]').click();
    await conduct.$('summary').click();
    await fill('action-policies-conduct', 'Adopt the code of conduct at the March meeting');
    await fill('owner-policies-conduct', 'Program coordinator');
    await fill('due-policies-conduct', isoDay(90));
    await $('.page-bar').$('button=Save answers').click();
    await expect($('.assessment p.banner.notice')).toHaveText('3 answers saved.');
    await shot('staff-readiness-form');
    await $('button*=Back to the assessments').click();
    await $('button[aria-label*="Annual review 2026"]').waitForDisplayed();
    await expect($('section[aria-labelledby="readiness-title"] table')).toHaveText(expect.stringContaining('2 of 39 in place · 3 answered'));
    // Reopened, the answers are there.
    await $('button[aria-label*="Annual review 2026"]').click();
    await expect($('fieldset#answer-policies-conduct input[value="in_progress"]')).toBeSelected();
    await expect($('#owner-policies-conduct')).toHaveValue('Program coordinator');
    await $('button*=Back to the assessments').click();
    // This year's against last year's, which the demo holds.
    await $('button=Compare').waitForDisplayed();
    await $('button=Compare').click();
    const table = await $('table');
    // A changed answer is marked (and named for a screen reader, which WebDriver's text leaves out).
    await expect(table).toHaveText(expect.stringMatching(/Partners and officers have had training on addiction, recovery and the role of peers\.\s*In progress\s*In place\s*●/));
    await expect(table).toHaveText(expect.stringMatching(/The program has a written vision and plan, shared with partners\.\s*In place\s*Not answered\s*●/));
    await expect(table).toHaveText(expect.stringMatching(/The peer role is defined[^●]*In place\s*In place\s*Where peers work/));
    await shot('staff-readiness-compare');
    await $('button*=Back to the assessments').click();
  });

  it("saves the prison mentor's record of peer work as a PDF in Spanish", async () => {
    await $('button=Staff directory').click();
    await $('#staff-facility').selectByVisibleText('Eastfield State Prison');
    await $('button=Luis Ortega').click();
    await expect($('h1')).toHaveText('Staff record: Luis Ortega');
    const work = await $('section[aria-labelledby="staff-work-title"]');
    await expect(work).toHaveText(expect.stringMatching(/Groups facilitated: \d+ sessions/));
    await expect(work).toHaveText(expect.stringContaining('Evaluations'));
    await $('#summary-language').selectByVisibleText('Español');
    await work.$('button=Save as PDF').click();
    answerFileDialog('Save the record of peer work', summary, { save: true });
    await expect(work.$('p.banner.notice')).toHaveText(expect.stringContaining(summary));
    expect(fs.readFileSync(summary).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', summary, '-']).toString();
    expect(text).toContain('Registro de trabajo entre pares');
    expect(text).toContain('Luis Ortega');
    expect(text).toContain('Acuerdo firmado');
    await shot('staff-peer-work');
  });
});
