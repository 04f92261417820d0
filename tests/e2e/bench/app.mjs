// The optimized app as a person meets it: start-up to the sign-in screen, sign-in to the roster of
// a 100,000-person site, and the memory of all the app's processes (PSS, from /proc) with the
// sign-in screen up and with that roster open. Run by `make bench-app`, never by `make test`:
// these are measurements, not assertions. Medians of BENCH_APP_RUNS runs (5 unless set). The
// empty Tauri window to compare with is not built here; the numbers are for one build against
// the next.
//
//   node bench/app.mjs APP DB USER PASSWORD_FILE
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';

const [application, database, user, passwordFile] = process.argv.slice(2);
if (!application || !database || !user || !passwordFile) {
  console.error('usage: node bench/app.mjs APP DB USER PASSWORD_FILE');
  process.exit(2);
}
const password = fs.readFileSync(passwordFile, 'utf8').trim();
const runs = Number(process.env.BENCH_APP_RUNS ?? 5);

function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(false)));
  });
}

async function driver() {
  const child = spawn('tauri-driver', [], { stdio: 'ignore' });
  // tauri-driver takes its time on a loaded machine: wait for it as long as it is running.
  while (!(await listening(4444))) {
    if (child.exitCode !== null) throw new Error(`tauri-driver stopped (exit ${child.exitCode}) before it listened on port 4444`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

/** Every process below `root`, and `root`. */
function tree(root) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // A process that ended while the list was read.
    }
  }
  const all = [];
  const walk = (pid) => {
    all.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return all;
}

/** The proportional set size of the app and the web processes it started, in MiB. */
function pssMiB(appPid) {
  let kib = 0;
  for (const pid of tree(appPid)) {
    try {
      const line = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n').find((l) => l.startsWith('Pss:'));
      kib += Number(line?.split(/\s+/)[1] ?? 0);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return kib / 1024;
}

/** The app this run's driver started: the process below it running `application`. */
function appPid(driverPid) {
  const pid = tree(driverPid).find((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] === application;
    } catch {
      return false;
    }
  });
  if (!pid) throw new Error(`no ${application} below the driver`);
  return pid;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const startup = [];
const signIn = [];
const roster = [];
const emptyMem = [];
const rosterMem = [];
for (let run = 0; run < runs; run++) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bridger-bench-app-'));
  const db = path.join(work, 'site.db');
  fs.copyFileSync(database, db);
  fs.copyFileSync(`${database}.key`, `${db}.key`);
  if (!process.env.BENCH_APP_FIRST_OF_DAY) {
    // Every sign-in but the day's first finds the day's backup made (a copy of the whole
    // database, measured by BENCH_APP_FIRST_OF_DAY=1): its name is all the app looks at.
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    fs.mkdirSync(`${db}-backups`);
    fs.writeFileSync(path.join(`${db}-backups`, `site-${stamp}.db`), '');
  }
  const child = await driver();
  const started = performance.now();
  const browser = await remote({
    hostname: '127.0.0.1',
    port: 4444,
    logLevel: 'error',
    capabilities: { 'tauri:options': { application, args: ['--db', db] }, 'wdio:enforceWebDriverClassic': true },
  });
  try {
    await browser.$('#username').waitForDisplayed({ timeout: 120000 });
    startup.push(performance.now() - started);
    // Let the window settle before reading its memory.
    await browser.pause(2000);
    const pid = appPid(child.pid);
    emptyMem.push(pssMiB(pid));
    await browser.$('#username').setValue(user);
    await browser.$('#password').setValue(password);
    const clicked = performance.now();
    await browser.$('button[type="submit"]').click();
    // Everyone lands on Today: the day is read across the whole site first.
    await browser.$('#today-groups').waitForDisplayed({ timeout: 300000, interval: 20 });
    signIn.push(performance.now() - clicked);
    const opened = performance.now();
    await browser.$('nav[aria-label="Main"]').$('button=Participants').click();
    await browser.waitUntil(async () => /^[0-9][0-9,]* participants$/.test(await browser.$('.summary').getText().catch(() => '')), { timeout: 300000, interval: 20 });
    roster.push(performance.now() - opened);
    await browser.pause(2000);
    rosterMem.push(pssMiB(pid));
  } finally {
    await browser.deleteSession().catch(() => {});
    child.kill();
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`run ${run + 1}: start-up ${startup.at(-1).toFixed(0)} ms, sign-in to Today ${signIn.at(-1).toFixed(0)} ms, Today to the roster ${roster.at(-1).toFixed(0)} ms, memory ${emptyMem.at(-1).toFixed(0)} MiB at sign-in, ${rosterMem.at(-1).toFixed(0)} MiB with the roster`);
}
console.log(`median of ${runs}: start-up to sign-in screen ${median(startup).toFixed(0)} ms; sign-in to Today ${median(signIn).toFixed(0)} ms; Today to the 100,000-person roster ${median(roster).toFixed(0)} ms`);
console.log(`median of ${runs}: memory (PSS, all processes) ${median(emptyMem).toFixed(0)} MiB at sign-in, ${median(rosterMem).toFixed(0)} MiB with the roster open`);
