// Takes 1280x800 screenshots of the main screens from the flows build: `npm run screenshots`.
import { mkdir } from 'node:fs/promises';
import { serve, launch, openApp, createCase, addEvent } from './harness.js';

const out = process.argv[2] ?? 'flows/out';
await mkdir(out, { recursive: true });
const server = await serve();
const browser = await launch();
try {
  const { page, errors } = await openApp(browser, server.url);
  await page.getByTestId('passphrase').fill('correct horse battery staple');
  await page.getByTestId('passphrase-confirm').fill('correct horse batt');
  await page.screenshot({ path: `${out}/01-create-vault.png` });
  await page.getByTestId('passphrase-confirm').fill('correct horse battery staple');
  await page.getByTestId('create-vault').click();
  await page.getByTestId('fingerprint').waitFor();
  await page.screenshot({ path: `${out}/02-fingerprint.png` });
  await page.getByTestId('continue').click();

  await createCase(page, 'Coordinated harassment of event organisers', 'harassment');
  await page.getByTestId('tab-subjects').click();
  for (const [u, role] of [
    ['Vandal42', 'reported_party'],
    ['SockPuppet7', 'reported_party'],
    ['Reporter_A', 'reporter'],
  ]) {
    await page.getByTestId('subject-username').fill(u);
    await page.getByTestId('subject-wiki').fill('en.wikipedia.org');
    await page.getByTestId('subject-role').selectOption(role);
    await page.getByTestId('add-subject').click();
  }
  await page.screenshot({ path: `${out}/05-subjects.png` });
  await page.getByTestId('tab-evidence').click();
  for (const p of ['/home/inv/captures/talk-page-diff.png', '/home/inv/mail/report.eml', '/home/inv/notes/irc-log.txt']) {
    await page.getByTestId('evidence-path-input').fill(p);
    await page.getByTestId('evidence-path-add').click();
    await page.getByTestId('evidence-row').filter({ hasText: p.split('/').pop() }).waitFor();
  }
  await page.screenshot({ path: `${out}/06-evidence.png` });

  // A realistic case: thousands of imported events plus a few typed by hand.
  const reference = await page.getByTestId('case-reference').textContent();
  await page.evaluate((ref) => window.__casebookMock.seedEvents(ref, 10000), reference);
  await page.getByTestId('back').click();
  await createCase(page, 'Threat posted on a user talk page', 'threat_of_harm');
  await page.getByTestId('back').click();
  await page.getByTestId('case-row').first().click();
  await page.getByTestId('tab-timeline').click();
  await addEvent(page, { at: '2026-05-20 21:14', actor: 'Vandal42', summary: 'Posts organiser home address on talk page', category: 'doxxing', tags: 'urgent' });
  await page.getByTestId('zoom-in').click();
  await page.getByTestId('zoom-in').click();
  await page.screenshot({ path: `${out}/03-case-workspace.png` });
  await page.getByTestId('back').click();
  await page.screenshot({ path: `${out}/04-case-list.png` });
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('identity-name').waitFor();
  await page.screenshot({ path: `${out}/07-settings.png` });
  await page.getByTestId('lock').click();
  await page.getByTestId('passphrase').fill('wrong');
  await page.getByTestId('unlock').click();
  await page.getByTestId('error').waitFor();
  await page.screenshot({ path: `${out}/08-unlock-error.png` });
  if (errors.length) console.error('page errors:', errors);
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots in ${out}`);
