// Takes 1280x800 screenshots of the main screens from the flows build: `npm run screenshots`.
// The case workspace is also copied to ui/screenshots/ (committed, used by the READMEs).
import { copyFile, mkdir } from 'node:fs/promises';
import { serve, launch, openApp, createCase } from './harness.js';

const out = process.argv[2] ?? 'flows/out';
await mkdir(out, { recursive: true });
const server = await serve();
const browser = await launch();
const shot = (page, name) => page.screenshot({ path: `${out}/${name}.png` });
try {
  const { page, errors } = await openApp(browser, server.url);
  await page.getByTestId('passphrase').fill('correct horse battery staple');
  await page.getByTestId('passphrase-confirm').fill('correct horse batt');
  await shot(page, '01-create-vault');
  await page.getByTestId('passphrase-confirm').fill('correct horse battery staple');
  await page.getByTestId('create-vault').click();
  await page.getByTestId('fingerprint').waitFor();
  await shot(page, '02-fingerprint');
  await page.getByTestId('continue').click();

  await createCase(page, 'Threats against an arbitration clerk', 'harassment');
  const reference = await page.getByTestId('case-reference').textContent();
  await page.evaluate((ref) => window.__casebookMock.seedDemo(ref), reference);
  await page.getByTestId('tab-evidence').click();
  for (const p of ['/home/inv/captures/talk-page-diff.png', '/home/inv/mail/emergency-report.eml', '/home/inv/notes/forum-thread.txt']) {
    await page.getByTestId('evidence-path-input').fill(p);
    await page.getByTestId('evidence-path-add').click();
    await page.getByTestId('evidence-row').filter({ hasText: p.split('/').pop() }).waitFor();
  }
  await page.getByTestId('back').click();
  await page.getByTestId('new-case').click();
  await page.getByTestId('case-kind').selectOption('threat_of_harm');
  await page.getByTestId('case-title').fill('Threat posted on a user talk page');
  await shot(page, '03-new-case');
  await page.getByTestId('create-case').click();
  await page.getByTestId('back').click();
  await createCase(page, 'Report from a regional event', 'event_ban');
  await page.getByTestId('back').click();
  await createCase(page, 'Suspected material reported by a reader', 'child_protection');
  await page.getByTestId('back').click();
  await page.getByTestId('case-row').nth(3).waitFor();
  await shot(page, '04-case-list');

  await page.locator(`[data-testid="case-row"][data-reference="${reference}"]`).click();
  await page.getByTestId('event-row').first().waitFor();
  await page.getByTestId('zoom-fit').click();
  await page.getByTestId('event-row').filter({ hasText: 'regret' }).locator('button').click();
  await page.waitForTimeout(400);
  await shot(page, '05-case-workspace');
  await copyFile(`${out}/05-case-workspace.png`, 'screenshots/case-workspace.png');

  await page.getByTestId('tab-evidence').click();
  await page.getByTestId('evidence-row').first().click();
  await shot(page, '06-evidence');
  await page.getByTestId('tab-subjects').click();
  await shot(page, '07-subjects');
  await page.getByTestId('tab-notes').click();
  await page.getByTestId('note-body').fill('# Assessment\n\nThe **sock** (SockPuppet7) repeats Vandal42\'s reverts within *16 minutes* of registration.\n\n- checkuser requested\n- threat escalated to `emergency@`\n\n> you will regret this');
  await page.getByTestId('add-note').click();
  await shot(page, '08-notes');
  await page.getByTestId('tab-audit').click();
  await page.getByTestId('audit-verify').click();
  await page.getByTestId('audit-verified').waitFor();
  await shot(page, '09-audit');

  await page.getByTestId('back').click();
  const big = await page.getByTestId('case-row').filter({ hasText: 'regional event' }).getAttribute('data-reference');
  await page.evaluate((ref) => window.__casebookMock.seedEvents(ref, 10000), big);
  await page.getByTestId('case-row').filter({ hasText: 'regional event' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="timeline-count"]')?.textContent?.includes('10000'));
  for (let i = 0; i < 3; i++) await page.getByTestId('zoom-in').click();
  await shot(page, '10-timeline-10k');

  await page.getByTestId('back').click();
  await page.getByTestId('case-row').filter({ hasText: 'Suspected material' }).click();
  await page.getByTestId('tab-evidence').click();
  await page.getByTestId('evidence-path-input').fill('/home/inv/reported-image.jpg');
  await page.getByTestId('evidence-path-add').click();
  await page.getByTestId('evidence-row').click();
  await shot(page, '11-restricted-evidence');

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('identity-name').waitFor();
  await page.getByTestId('server-url').fill('https://review.example.org');
  await page.getByTestId('server-token').fill('ENROL-OK');
  await page.getByTestId('server-device').fill('Field laptop');
  await page.getByTestId('enrol').click();
  await page.getByTestId('directory-row').first().waitFor();
  await shot(page, '12-settings');

  await page.getByTestId('nav-cases').click();
  await page.locator(`[data-testid="case-row"][data-reference="${reference}"]`).click();
  await page.getByTestId('tab-review').click();
  await page.getByTestId('reviewer').nth(0).check();
  await page.getByTestId('reviewer').nth(1).check();
  await page.getByTestId('submit-review').click();
  await page.getByTestId('outbox-row').waitFor();
  await shot(page, '15-submit-review');
  await page.getByTestId('nav-inbox').click();
  await page.getByTestId('sync').click();
  await page.getByTestId('inbox-row').nth(1).waitFor();
  await page.locator('[data-testid="inbox-row"][data-id="bundle-good"] [data-testid="inbox-open"]').click();
  await page.getByTestId('verification').waitFor();
  await page.getByTestId('rationale').fill('Evidence is complete; the sock link is supported by checkuser.');
  await shot(page, '16-inbox-verification');
  // Issue 13: the wiki import mid-way, the interactions view, the cross-wiki timeline.
  await page.getByTestId('nav-cases').click();
  await createCase(page, 'Cross-wiki sock farm on climate articles', 'harassment');
  const cross = await page.getByTestId('case-reference').textContent();
  await page.evaluate((ref) => window.__casebookMock.seedCrossWiki(ref), cross);
  await page.getByTestId('back').click();
  await page.locator(`[data-testid="case-row"][data-reference="${cross}"]`).click();
  await page.getByTestId('event-row').first().waitFor();
  await page.getByTestId('tab-interactions').click();
  await page.getByTestId('interaction-row').first().waitFor();
  await page.locator('[data-testid="interaction-row"][data-leader="Vandal42"][data-follower="SockPuppet7"][data-wiki="en.wikipedia.org"]').click();
  await page.waitForTimeout(400);
  await shot(page, '19-interactions');
  await page.getByTestId('interactions-show-timeline').click();
  await page.getByTestId('lanes-wiki').click();
  await page.waitForTimeout(400);
  await shot(page, '20-timeline-cross-wiki');

  // The import, on the demo case (its reported parties are prefilled).
  await page.getByTestId('back').click();
  await page.locator(`[data-testid="case-row"][data-reference="${reference}"]`).click();
  await page.getByTestId('event-row').first().waitFor();
  await page.evaluate(() => {
    const s = window.__casebookMock.state;
    s.importStepMs = 40;
    s.holdAfter = 10;
    s.unreachable = ['de.wikipedia.org'];
  });
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-account-0').waitFor();
  for (const w of ['de.wikipedia.org', 'es.wikipedia.org']) {
    await page.getByTestId('import-wiki-0').fill(w);
    await page.getByTestId('import-wiki-0').press('Enter');
  }
  await page.getByTestId('import-find-1').click();
  await page.getByTestId('import-attached-1').waitFor();
  await page.locator('[data-testid="import-ns"][data-value="0"]').check();
  await page.locator('[data-testid="import-ns"][data-value="3"]').check();
  await page.getByTestId('import-since').fill('2026-08-01');
  await shot(page, '17-import-dialog');
  await page.getByTestId('import-start').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="import-row"][data-state="queued"]') && document.querySelector('[data-testid="import-row"][data-state="running"]'));
  await page.waitForTimeout(300);
  await shot(page, '18-import-progress');
  await page.getByTestId('import-cancel').click();
  await page.locator('[data-testid="import-progress"][data-phase="cancelled"]').waitFor();
  await page.evaluate(() => {
    window.__casebookMock.state.holdAfter = null;
  });
  await page.getByTestId('import-close').click();

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('es');
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('case-row').first().waitFor();
  await shot(page, '13-cases-es');
  await page.getByTestId('language').selectOption('en').catch(() => {});
  await page.getByTestId('lock').click();
  await page.getByTestId('passphrase').fill('wrong');
  await page.getByTestId('unlock').click();
  await page.getByTestId('error').waitFor();
  await shot(page, '14-unlock-error');
  const unexpected = errors.filter((e) => !/casebook-evidence|ERR_UNKNOWN_URL_SCHEME|external protocol|404/.test(String(e)));
  if (unexpected.length) console.error('page errors:', unexpected);
  // The set kept in the repository beside the case workspace.
  for (const [from, to] of [
    ['04-case-list', 'case-list'],
    ['10-timeline-10k', 'timeline-10000-events'],
    ['11-restricted-evidence', 'evidence-restricted'],
    ['16-inbox-verification', 'review-inbox'],
    ['14-unlock-error', 'unlock-wrong-passphrase'],
    ['18-import-progress', 'import-progress'],
    ['19-interactions', 'interactions'],
    ['20-timeline-cross-wiki', 'timeline-cross-wiki'],
  ])
    await copyFile(`${out}/${from}.png`, `screenshots/${to}.png`);
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots in ${out}`);
