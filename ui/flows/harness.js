// Shared setup for the flow tests and the screenshot script: a static server for the flows build
// (dist-flows, where an in-memory mock backend stands in for Tauri) and headless Debian Chromium.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../dist-flows/', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves dist-flows on 127.0.0.1 with a random port; resolves to { url, close }. */
export async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(ROOT, path === '/' ? 'index.html' : path);
    if (!file.startsWith(ROOT)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r(undefined))) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh page (fresh mock backend) at 1280x800 that fails on any page error. */
export async function openApp(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Generous: the suite shares two cores with Rust builds; a real hang still fails.
  page.setDefaultTimeout(60_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(new Error(m.text()));
  });
  await page.goto(url);
  return { page, context, errors };
}

/** Page errors a flow expects: preview loads the browser cannot serve outside Tauri. */
const EXPECTED_ERRORS = /casebook-evidence|ERR_UNKNOWN_URL_SCHEME|external protocol|favicon|404/;

/**
 * A fresh app for test `t` (node:test's context): its page, closed when the test ends, and any
 * unexpected page error fails the test.
 */
export async function freshPage(browser, url, t) {
  const app = await openApp(browser, url);
  t.after(async () => {
    const unexpected = app.errors.filter((e) => !EXPECTED_ERRORS.test(String(e)));
    await app.context.close();
    assert.deepEqual(unexpected.map(String), [], 'no page errors');
  });
  return app.page;
}

/**
 * One browser and one static server for a test file (node:test's before/after): returns
 * `fresh(t)`, a fresh app's page for test `t`.
 */
export function suite() {
  let server;
  let browser;
  before(async () => {
    server = await serve();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return (t) => freshPage(browser, server.url, t);
}

/** Runs `fn(arg)` in the page, where the mock backend lives. */
export const mock = (page, fn, arg) => page.evaluate(fn, arg);

/** The arguments of every call of `cmd` the mock backend received, oldest first. */
export const argsOf = (page, cmd) =>
  mock(page, (c) => window.__casebookMock.state.log.filter((l) => l.cmd === c).map((l) => l.args), cmd);

/** Creates a vault through the UI and lands on the case list. */
export async function createVault(page, passphrase = 'correct horse battery staple') {
  await page.getByTestId('passphrase').fill(passphrase);
  await page.getByTestId('passphrase-confirm').fill(passphrase);
  await page.getByTestId('create-vault').click();
  await page.getByTestId('fingerprint').waitFor();
  await page.getByTestId('continue').click();
  await page.getByTestId('new-case').waitFor();
}

export async function createCase(page, title, kind = 'harassment') {
  await page.getByTestId('new-case').click();
  await page.getByTestId('case-title').fill(title);
  await page.getByTestId('case-kind').selectOption(kind);
  await page.getByTestId('create-case').click();
  await page.getByTestId('tab-timeline').waitFor();
}

export async function addEvent(page, { at, actor, summary, category = '', tags = '' }) {
  await page.getByTestId('event-occurred-at').fill(at);
  await page.getByTestId('event-actor').fill(actor);
  await page.getByTestId('event-summary-input').fill(summary);
  await page.getByTestId('event-category').fill(category);
  await page.getByTestId('event-tags').fill(tags);
  await page.getByTestId('add-event').click();
  await page.getByTestId('event-row').filter({ hasText: summary }).first().waitFor();
}
