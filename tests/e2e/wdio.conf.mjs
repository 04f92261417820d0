// End-to-end tests of the real built app: WebdriverIO talks to tauri-driver, which starts the
// app under WebKitWebDriver. Each run uses a fresh database in a temporary folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const application = path.join(root, 'target', 'debug', 'bridger-desktop');
const shots = path.join(import.meta.dirname, 'screenshots');
let driver;

function waitForPort(port, deadlineMs) {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error(`tauri-driver did not listen on port ${port}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

export const config = {
  runner: 'local',
  specs: ['./specs/**/*.e2e.mjs'],
  maxInstances: 1,
  hostname: '127.0.0.1',
  port: 4444,
  capabilities: [
    {
      maxInstances: 1,
      'tauri:options': { application },
      'wdio:enforceWebDriverClassic': true,
    },
  ],
  logLevel: 'warn',
  waitforTimeout: 10000,
  connectionRetryCount: 2,
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { ui: 'bdd', timeout: 120000 },

  onPrepare() {
    if (!fs.existsSync(application)) {
      throw new Error(`the app is not built at ${application}: run make test (or cargo build -p bridger-desktop)`);
    }
    fs.mkdirSync(shots, { recursive: true });
  },

  beforeSession() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridger-e2e-'));
    const env = { ...process.env, BRIDGER_DB: path.join(dir, 'e2e.db') };
    driver = spawn('tauri-driver', [], { stdio: ['ignore', 'inherit', 'inherit'], env });
    return waitForPort(4444, 20000);
  },

  async afterTest(test) {
    const name = test.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await browser.saveScreenshot(path.join(shots, `${name}.png`)).catch(() => {});
  },

  afterSession() {
    driver?.kill();
  },
};
