// Flow tests of the investigation (issue 13): wiki import with progress, cancel and resume;
// swimlanes by wiki; the interactions table; case updates from the header; exports; reveals;
// bulk JSONL import; bundles as files; the review cycle's later steps; backup and restore.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { suite, createVault, createCase, mock, argsOf } from './harness.js';

const fresh = suite();

const rowStates = (page) => page.getByTestId('import-row').evaluateAll((els) => els.map((e) => `${e.dataset.account}@${e.dataset.wiki}:${e.dataset.state}`));

/** A case whose timeline holds the imported conduct of three accounts on two wikis. */
async function crossWikiCase(page) {
  await createVault(page);
  await createCase(page, 'Cross-wiki sock farm');
  const ref = await page.getByTestId('case-reference').textContent();
  await mock(page, (r) => window.__casebookMock.seedCrossWiki(r), ref);
  await page.getByTestId('back').click();
  await page.getByTestId('case-row').first().click();
  await page.getByTestId('event-row').first().waitFor();
  return ref;
}

describe('wiki import', () => {
  it('imports several accounts on several wikis with per-row progress, refreshes the timeline, and cancels', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Import');
    await mock(page, () => {
      window.__casebookMock.state.importStepMs = 5;
      window.__casebookMock.state.holdAfter = 3; // hold after three pages until cancelled
    });
    await page.getByTestId('import-open').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    await page.getByTestId('import-account-0').fill('Vandal42');
    await page.getByTestId('import-wiki-0').fill('English Wikipedia');
    await page.getByTestId('import-wiki-0').press('Enter');
    await page.getByTestId('import-wiki-chip-0').waitFor();
    await page.getByTestId('import-wiki-0').fill('es.wikipedia.org'); // typed, not added: still counts
    await page.getByTestId('import-add-account').click();
    await page.getByTestId('import-account-1').fill('SockPuppet7');
    await page.getByTestId('import-wiki-1').fill('https://en.wikipedia.org/w/api.php');
    await page.locator('[data-testid="import-ns"][data-value="0"]').check();
    await page.locator('[data-testid="import-ns"][data-value="3"]').check();
    await page.getByTestId('import-since').fill('2026-08-01');
    await page.getByTestId('import-with-content').check();
    await page.getByTestId('import-start').click();

    const progress = page.getByTestId('import-progress');
    await progress.waitFor();
    assert.equal(await progress.getAttribute('data-total'), '3', 'one row per account and wiki');
    await page.locator('[data-testid="import-row"][data-state="running"]').first().waitFor();
    // Pages land while the dialog is open: the timeline behind it refreshes.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="event-row"]').length > 0);

    const [args] = await argsOf(page, 'import_start');
    assert.deepEqual(args.accounts, [
      { username: 'Vandal42', apis: ['https://en.wikipedia.org/w/api.php', 'https://es.wikipedia.org/w/api.php'] },
      { username: 'SockPuppet7', apis: ['https://en.wikipedia.org/w/api.php'] },
    ]);
    assert.deepEqual(args.namespaces, [0, 3]);
    assert.equal(args.since, '2026-08-01T00:00:00Z');
    assert.equal(args.with_content, true);
    assert.match(args.job_id, /^[0-9a-f-]{36}$/);

    await page.getByTestId('import-cancel').click();
    await page.locator('[data-testid="import-progress"][data-phase="cancelled"]').waitFor();
    assert.equal((await argsOf(page, 'job_cancel'))[0].job_id, args.job_id, 'job_cancel names the running import');
    const states = await rowStates(page);
    assert.ok(states.some((s) => s.endsWith(':cancelled')), states.join());
    assert.equal(await page.getByTestId('import-cancel').count(), 0);
    // What was committed stays, and the timeline shows all of it.
    const stored = await mock(page, () => window.__casebookMock.state.events.length);
    assert.equal(stored, 15);
    await page.getByTestId('import-close').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="timeline-count"]')?.textContent?.includes(`of ${n} events`), stored);
  });

  it('queues an unreachable wiki, says so, and resumes it', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Queued');
    await mock(page, () => {
      window.__casebookMock.state.importStepMs = 1;
      window.__casebookMock.state.unreachable = ['es.wikipedia.org'];
    });
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-account-0').fill('Vandal42');
    await page.getByTestId('import-wiki-0').fill('en.wikipedia.org');
    await page.getByTestId('import-wiki-add-0').click();
    await page.getByTestId('import-wiki-0').fill('es.wikipedia.org');
    await page.getByTestId('import-wiki-add-0').click();
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="import-progress"][data-phase="finished"]').waitFor();
    assert.deepEqual(await rowStates(page), ['Vandal42@en.wikipedia.org:done', 'Vandal42@es.wikipedia.org:queued']);
    assert.match((await page.locator('[data-testid="import-row"][data-state="queued"]').textContent()) ?? '', /queued; Resume/);
    assert.equal(await page.getByTestId('import-progress').getAttribute('data-done'), '2');

    await mock(page, () => {
      window.__casebookMock.state.unreachable = [];
    });
    await page.getByTestId('import-resume').click();
    await page.locator('[data-testid="import-progress"][data-phase="finished"]').waitFor();
    assert.deepEqual(await rowStates(page), ['Vandal42@es.wikipedia.org:done']);
    assert.equal((await argsOf(page, 'import_resume')).length, 1);
    await page.getByTestId('import-close').click();
    assert.equal(await page.getByTestId('imports-queued').count(), 0, 'nothing queued any more');
  });

  it('finds the wikis an account is attached to, or says CentralAuth is not there', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Attached');
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-account-0').fill('Vandal42');
    await page.getByTestId('import-find-0').click();
    const list = page.getByTestId('import-attached-0');
    await list.waitFor();
    const boxes = list.getByTestId('import-attached-wiki');
    assert.equal(await boxes.count(), 4);
    // Wikis with edits start ticked (the investigator confirms); meta (0 edits) does not.
    assert.deepEqual(await boxes.evaluateAll((els) => els.map((e) => `${e.dataset.wiki}:${e.checked}`)), [
      'enwiki:true',
      'eswiki:true',
      'commonswiki:true',
      'metawiki:false',
    ]);
    await list.locator('[data-wiki="commonswiki"]').uncheck();
    assert.equal(await page.getByTestId('import-wiki-chip-0').count(), 2);

    await page.getByTestId('import-add-account').click();
    await page.getByTestId('import-account-1').fill('LocalUser');
    await page.getByTestId('import-wiki-1').fill('http://127.0.0.1:8080/api.php');
    await page.getByTestId('import-find-1').click();
    await page.getByTestId('import-attached-none-1').waitFor();

    await page.getByTestId('import-wiki-1').fill('not a wiki at all');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-wiki-error-1').waitFor();
    assert.equal((await argsOf(page, 'import_start')).length, 0, 'nothing starts with an unknown wiki');
  });
});

describe('timeline lanes and bulk import', () => {
  it('groups swimlanes by account or by wiki', async (t) => {
    const page = await fresh(t);
    await crossWikiCase(page);
    const label = () => page.getByTestId('timeline-canvas').getAttribute('aria-label');
    assert.match((await label()) ?? '', /in 3 lanes/);
    await page.getByTestId('lanes-wiki').click();
    assert.equal(await page.getByTestId('lanes-wiki').getAttribute('aria-pressed'), 'true');
    assert.match((await label()) ?? '', /in 2 lanes/);
    await page.getByTestId('lanes-account').click();
    assert.match((await label()) ?? '', /in 3 lanes/);
  });

  it('imports events from a JSONL file with progress, and cancels', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Bulk');
    await mock(page, () => {
      const s = window.__casebookMock.state;
      s.dialog.open = '/home/inv/discord-export.jsonl';
      s.importStepMs = 2;
      s.holdAfter = 2;
    });
    await page.getByTestId('events-import-open').click();
    await page.getByTestId('events-import-progress').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="events-import-progress"]')?.textContent?.includes('500 of 2000'));
    const [args] = await argsOf(page, 'events_import');
    assert.equal(args.path, '/home/inv/discord-export.jsonl');
    await page.getByTestId('events-import-cancel').click();
    await page.getByTestId('info').filter({ hasText: 'cancelled' }).waitFor();
    assert.equal(await page.getByTestId('events-import-progress').count(), 0);
    await page.waitForFunction(() => document.querySelector('[data-testid="timeline-count"]')?.textContent?.includes('of 500 events'));

    await mock(page, () => {
      const s = window.__casebookMock.state;
      s.holdAfter = null;
      s.dialog.open = '/home/inv/discord-export.jsonl';
    });
    await page.getByTestId('events-import-open').click();
    await page.getByTestId('info').filter({ hasText: 'Imported 2000 events' }).waitFor();
  });
});

describe('interactions', () => {
  it('sorts the pairs by clicking or keying headers and highlights a pair on the timeline', async (t) => {
    const page = await fresh(t);
    await crossWikiCase(page);
    await page.getByTestId('tab-interactions').click();
    const rows = page.getByTestId('interaction-row');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 4);
    const medians = () => rows.evaluateAll((els) => els.map((e) => Number(e.dataset.median)));
    const ascending = (xs) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);
    assert.ok(ascending(await medians()), 'fastest followers first by default');
    const medianHeader = page.locator('[data-testid="interactions-sort"][data-column="median_seconds"]');
    await medianHeader.click();
    assert.ok(ascending((await medians()).reverse()), 'a second click sorts descending');
    assert.equal(await medianHeader.locator('xpath=..').getAttribute('aria-sort'), 'descending');
    // Keyboard: Enter on a header sorts by it.
    const pagesHeader = page.locator('[data-testid="interactions-sort"][data-column="pages"]');
    await pagesHeader.focus();
    await page.keyboard.press('Enter');
    const pages = await rows.evaluateAll((els) => els.map((e) => Number(e.children[2].textContent)));
    assert.deepEqual(pages, [...pages].sort((a, b) => b - a));

    const canvas = page.getByTestId('timeline-canvas');
    assert.equal(await canvas.getAttribute('data-highlighted'), '0');
    const pair = page.locator('[data-testid="interaction-row"][data-leader="Vandal42"][data-follower="SockPuppet7"][data-wiki="en.wikipedia.org"]');
    await pair.focus();
    await page.keyboard.press('Enter');
    assert.equal(await pair.getAttribute('aria-selected'), 'true');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="timeline-canvas"]')?.getAttribute('data-highlighted')) > 0);
    const links = Number(await canvas.getAttribute('data-links'));
    assert.ok(links > 0, 'consecutive edits on a page are joined');
    // The Vandal42 → SockPuppet7 gap on en.wikipedia.org is minutes, human-readable.
    assert.match((await pair.getByTestId('interaction-median').textContent()) ?? '', /^\d+ min( \d+ s)?$/);
    assert.ok((await page.getByTestId('talk-row').count()) >= 2);

    // The highlight follows to the Timeline tab, and clears.
    await page.getByTestId('interactions-show-timeline').click();
    await page.getByTestId('timeline-highlight').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="timeline-canvas"]')?.getAttribute('data-highlighted')) > 0);
    await page.getByTestId('timeline-highlight-clear').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="timeline-canvas"]')?.getAttribute('data-highlighted') === '0');
    // Alt+2 is the interactions tab.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('interactions-table').waitFor();
    assert.equal(await page.getByTestId('tab-interactions').getAttribute('aria-selected'), 'true');
  });
});

describe('case header', () => {
  it('edits status, priority, legal hold and assignee; shows Submitted right after a submit', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Header');
    await page.getByTestId('case-edit-open').click();
    await page.getByTestId('case-edit-dialog').waitFor();
    await page.getByTestId('case-edit-status').selectOption('in_review');
    await page.getByTestId('case-edit-priority').selectOption('urgent');
    await page.getByTestId('case-edit-legal-hold').check();
    await page.getByTestId('case-edit-assignee').fill('Ana Investigator');
    await page.getByTestId('case-edit-save').click();
    await page.locator('[data-testid="case-status"][data-status="in_review"]').waitFor();
    assert.equal(await page.getByTestId('case-priority-badge').textContent(), 'Urgent');
    assert.equal(await page.getByTestId('case-legal-hold').isVisible(), true);
    assert.match((await page.getByTestId('case-assignee').textContent()) ?? '', /Ana Investigator/);
    const [args] = await argsOf(page, 'case_update');
    assert.deepEqual(Object.keys(args).sort(), ['assignee', 'legal_hold', 'priority', 'reference', 'status']);

    // Submit: the header moves to Submitted without reopening the case.
    await page.getByTestId('case-edit-open').click();
    await page.getByTestId('case-edit-status').selectOption('open');
    await page.getByTestId('case-edit-save').click();
    await page.locator('[data-testid="case-status"][data-status="open"]').waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('server-url').fill('https://review.example.org');
    await page.getByTestId('server-token').fill('ENROL-OK');
    await page.getByTestId('server-device').fill('laptop');
    await page.getByTestId('enrol').click();
    await page.getByTestId('enrolled').waitFor();
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('case-row').first().click();
    await page.getByTestId('tab-review').click();
    await page.getByTestId('reviewer').first().check();
    await page.getByTestId('submit-review').click();
    await page.locator('[data-testid="case-status"][data-status="submitted"]').waitFor();
  });

  it('writes a case report: a .pdf or .html path, non-public fields only with a reason, the result shown', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Report');
    await page.getByTestId('report-open').click();
    await page.getByTestId('report-dialog').waitFor();
    const write = page.getByTestId('report-write');
    assert.equal(await write.isDisabled(), true, 'nothing to write to yet');
    await page.getByTestId('report-path').fill('/home/ana/report.docx');
    await page.getByTestId('report-path-error').waitFor();
    assert.equal(await write.isDisabled(), true);
    await page.getByTestId('report-path').fill('/home/ana/informe.pdf');
    await page.getByTestId('report-language').selectOption('es');
    await page.getByTestId('report-nonpublic').check();
    assert.equal(await write.isDisabled(), true, 'a release of non-public fields needs a reason');
    await page.getByTestId('report-reason').fill('  The committee asked for the IP  ');
    await write.click();
    await page.getByTestId('report-result').waitFor();
    assert.equal(await page.getByTestId('report-sha256').textContent(), 'ab'.repeat(32));
    const [args] = await argsOf(page, 'case_report');
    assert.deepEqual(args, {
      reference: args.reference,
      to: '/home/ana/informe.pdf',
      language: 'es',
      nonpublic_reason: 'The committee asked for the IP',
    });
    const access = await mock(page, () => Object.values(window.__casebookMock.state.accessReasons));
    assert.deepEqual(access, ['The committee asked for the IP'], 'the release is an access with its reason');

    // The same path again: the backend refuses to replace it, and the dialog says so.
    await write.click();
    await page.getByTestId('error').waitFor();
  });
});

describe('evidence and subjects', () => {
  it('exports an evidence item to the chosen path and says where', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Export');
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('evidence-path-input').fill('/home/inv/diff.png');
    await page.getByTestId('evidence-path-add').click();
    await page.getByTestId('evidence-row').waitFor();
    await mock(page, () => {
      window.__casebookMock.state.dialog.save = null; // the user cancels the save dialog
    });
    await page.getByTestId('evidence-export').click();
    assert.equal((await argsOf(page, 'evidence_export')).length, 0, 'cancelled dialog: no export');
    await mock(page, () => {
      window.__casebookMock.state.dialog.save = '/media/usb/case/diff.png';
    });
    await page.getByTestId('evidence-export').click();
    await page.getByTestId('info').filter({ hasText: '/media/usb/case/diff.png' }).waitFor();
    const [args] = await argsOf(page, 'evidence_export');
    assert.equal(args.to, '/media/usb/case/diff.png');
    assert.deepEqual(Object.keys(args).sort(), ['id', 'reference', 'to']);
    const action = await mock(page, () => window.__casebookMock.state.audit.at(-1).action);
    assert.equal(action, 'evidence.export');
  });

  it('changes an item\'s sensitivity only with a reason, and a child-protection item stays restricted', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Screenshot shows a minor');
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('evidence-path-input').fill('/home/inv/photo.png');
    await page.getByTestId('evidence-path-add').click();
    await page.getByTestId('evidence-row').click();
    await page.getByTestId('evidence-sensitivity-select').selectOption('restricted');
    await page.getByTestId('evidence-sensitivity-dialog').waitFor();
    await page.getByTestId('evidence-sensitivity-confirm').click();
    await page.getByTestId('evidence-sensitivity-reason-error').waitFor();
    await page.getByTestId('evidence-sensitivity-reason').fill('The screenshot shows a minor');
    await page.getByTestId('evidence-sensitivity-confirm').click();
    await page.getByTestId('evidence-restricted').waitFor();
    assert.equal(await page.getByTestId('evidence-sensitivity').textContent(), 'Restricted');
    const [args] = (await argsOf(page, 'evidence_set_sensitivity')).slice(-1);
    assert.deepEqual(args, { reference: args.reference, id: args.id, sensitivity: 'restricted', reason: 'The screenshot shows a minor' });
    const action = await mock(page, () => window.__casebookMock.state.audit.at(-1).action);
    assert.equal(action, 'evidence.sensitivity');
  });

  it('reveals non-public fields only with a reason and marks them as non-public', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Reveal');
    const ref = await page.getByTestId('case-reference').textContent();
    await mock(page, (r) => window.__casebookMock.seedDemo(r), ref);
    await page.getByTestId('back').click();
    await page.getByTestId('case-row').first().click();
    await page.getByTestId('tab-subjects').click();
    const row = page.getByTestId('subject-row').filter({ hasText: 'Vandal42' });
    assert.equal(await row.getByText('vandal42@example.net').count(), 0, 'redacted by default');
    await row.getByTestId('subject-reveal').click();
    await page.getByTestId('subject-reveal-dialog').waitFor();
    await page.getByTestId('subject-reveal-confirm').click();
    await page.getByTestId('subject-reveal-reason-error').waitFor();
    assert.equal((await argsOf(page, 'subject_reveal')).length, 0, 'no reveal without a reason');
    await page.getByTestId('subject-reveal-reason').fill('Checkuser request SPI/Vandal42');
    await page.getByTestId('subject-reveal-confirm').click();
    const email = row.locator('[data-testid="subject-nonpublic-field"][data-field="email"]');
    await email.waitFor();
    assert.equal(await email.textContent(), 'vandal42@example.net');
    assert.equal(await row.getByTestId('subject-nonpublic').locator('.badge.nonpublic').count(), 3, 'each field marked non-public');
    const [args] = await argsOf(page, 'subject_reveal');
    assert.equal(args.reason, 'Checkuser request SPI/Vandal42');
    await row.getByTestId('subject-hide').click();
    assert.equal(await row.getByText('vandal42@example.net').count(), 0);

    // The audit trail's access report shows the reveal with its reason.
    await page.getByTestId('tab-audit').click();
    const reason = page.getByTestId('access-reason').first();
    await reason.waitFor();
    assert.equal(await reason.textContent(), 'Checkuser request SPI/Vandal42');

    // The vault-wide report in Settings shows it too, filtered by person and by case.
    await page.getByTestId('nav-settings').click();
    const report = page.getByTestId('access-report');
    await report.getByTestId('access-row').first().waitFor();
    const actor = await report.getByTestId('access-actor').first().textContent();
    await report.getByTestId('access-person').selectOption(actor);
    await report.getByTestId('access-row').first().waitFor();
    const [byPerson] = (await argsOf(page, 'access_log')).slice(-1);
    assert.equal(byPerson.actor, actor);
    assert.equal(await report.getByTestId('access-reason').first().textContent(), 'Checkuser request SPI/Vandal42');
    await report.getByTestId('access-case').fill('TS-1999-0001');
    await report.getByTestId('access-apply').click();
    await report.getByTestId('access-report-empty').waitFor();
  });
});

describe('review and bundles', () => {
  async function enrol(page) {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('server-url').fill('https://review.example.org');
    await page.getByTestId('server-token').fill('ENROL-OK');
    await page.getByTestId('server-device').fill('laptop');
    await page.getByTestId('enrol').click();
    await page.getByTestId('enrolled').waitFor();
  }

  it('after approval the author records the office action, closes, and the case can be appealed', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await enrol(page);
    await page.getByTestId('nav-cases').click();
    await createCase(page, 'Cycle');
    const ref = await page.getByTestId('case-reference').textContent();
    await page.getByTestId('tab-review').click();
    await page.getByTestId('reviewer').first().check();
    await page.getByTestId('submit-review').click();
    await page.locator('[data-testid="review-state"][data-state="submitted"]').waitFor();
    assert.equal(await page.getByTestId('review-no-action').count(), 1, 'the author waits for the reviewers');
    await mock(page, (r) => {
      window.__casebookMock.state.reviewStates[r] = 'approved';
    }, ref);
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="review-state"][data-state="approved"]').waitFor();
    await page.locator('[data-testid="case-status"][data-status="approved"]').waitFor();
    for (const d of ['global_ban', 'event_ban', 'warning', 'no_action']) assert.equal(await page.getByTestId(`decision-${d}`).count(), 1);
    await page.getByTestId('decision-global_ban').check();
    await page.getByTestId('action-rationale').fill('Sustained harassment across two wikis.');
    await page.getByTestId('record-action').click();
    await page.getByTestId('action-account-0').fill('Vandal42@en.wikipedia.org');
    await page.getByTestId('action-end-none').check();
    await page.getByTestId('action-save').click();
    // Queued, not yet on the server: nothing more to record until it is sent.
    await page.getByTestId('review-pending').waitFor();
    assert.equal(await page.getByTestId('record-action').count(), 0);
    assert.equal((await argsOf(page, 'action_record')).at(-1).kind, 'global_ban');
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="review-state"][data-state="action_recorded"]').waitFor();
    await page.getByTestId('decision-close').check();
    await page.getByTestId('action-rationale').fill('Ban enacted.');
    await page.getByTestId('record-action').click();
    await page.getByTestId('review-pending').waitFor();
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="review-state"][data-state="closed"]').waitFor();
    await page.getByTestId('decision-appeal').check();
    await page.getByTestId('action-rationale').fill('Appeal received by email.');
    await page.getByTestId('record-action').click();
    await page.locator('[data-testid="appeal-party"][data-name="Vandal42"]').check();
    await page.getByTestId('appeal-statement').fill('Appeal received by email.');
    await page.getByTestId('appeal-save').click();
    await page.getByTestId('review-pending').waitFor();
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="review-state"][data-state="committee_review"]').waitFor();
  });

  it('cancels a running submit and a running seal to file; seals to the chosen file', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await enrol(page);
    await page.getByTestId('nav-cases').click();
    await createCase(page, 'Seal');
    const ref = await page.getByTestId('case-reference').textContent();
    await page.getByTestId('tab-review').click();
    await page.getByTestId('reviewer').first().check();
    await mock(page, () => {
      window.__casebookMock.state.holdAfter = 1;
    });
    await page.getByTestId('submit-review').click();
    await page.getByTestId('submit-cancel').click();
    await page.getByTestId('info').filter({ hasText: 'Cancelled' }).waitFor();
    assert.equal(await mock(page, () => window.__casebookMock.state.outbox.length), 0, 'nothing in the outbox');

    await page.getByTestId('seal-file').click();
    await page.getByTestId('seal-progress').waitFor();
    const [args] = await argsOf(page, 'bundle_seal_file');
    assert.equal(args.to, `/home/inv/exports/${ref}.casebundle`);
    assert.deepEqual(Object.keys(args).sort(), ['job_id', 'recipients', 'reference', 'to']);
    await page.getByTestId('seal-cancel').click();
    await page.getByTestId('info').filter({ hasText: 'Cancelled' }).waitFor();
    await mock(page, () => {
      window.__casebookMock.state.holdAfter = null;
      window.__casebookMock.state.dialog.save = '/media/usb/TS.casebundle';
    });
    await page.getByTestId('seal-file').click();
    await page.getByTestId('info').filter({ hasText: '/media/usb/TS.casebundle' }).waitFor();
  });

  it('opens a bundle file from the inbox and one handed over at start, with the checks', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await page.getByTestId('nav-inbox').click();
    await mock(page, () => {
      window.__casebookMock.state.dialog.open = '/home/inv/Downloads/TS-2026-0201.casebundle';
    });
    await page.getByTestId('inbox-open-file').click();
    const panel = page.getByTestId('verification');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('data-ok'), 'true');
    const [args] = await argsOf(page, 'bundle_open_file');
    assert.equal(args.path, '/home/inv/Downloads/TS-2026-0201.casebundle');
    assert.ok((await page.getByTestId('check').count()) >= 5);

    // A tampered file imports nothing and names the check.
    await mock(page, () => {
      window.__casebookMock.state.dialog.open = '/home/inv/tampered.casebundle';
    });
    await page.getByTestId('inbox-open-file').click();
    await page.locator('[data-testid="error"][data-code="tampered"]').waitFor();

    // Dropped on the window: opened as a bundle, never stored as evidence.
    await page.getByTestId('nav-cases').click();
    await createCase(page, 'Drop target');
    await page.getByTestId('tab-evidence').click();
    await mock(page, () => window.__casebookMock.dropFiles(['/home/inv/Downloads/TS-2026-0201.casebundle']));
    await page.getByTestId('verification').waitFor();
    assert.equal((await argsOf(page, 'bundle_open_file')).at(-1).path, '/home/inv/Downloads/TS-2026-0201.casebundle');
    assert.equal((await argsOf(page, 'evidence_add')).length, 0, 'a bundle is not evidence');

    // Double-clicked while locked: opened after the unlock.
    await page.getByTestId('lock').click();
    await mock(page, () => {
      window.__casebookMock.state.pendingFile = '/home/inv/Desktop/TS-2026-0201.casebundle';
    });
    await page.getByTestId('passphrase').fill('correct horse battery staple');
    await page.getByTestId('unlock').click();
    await page.getByTestId('verification').waitFor();
    assert.equal((await argsOf(page, 'bundle_open_file')).at(-1).path, '/home/inv/Desktop/TS-2026-0201.casebundle');
  });
});

describe('settings and first run', () => {
  it('backs up the vault and shows the counts; edits the known-wiki list', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'One');
    await page.getByTestId('nav-settings').click();
    await mock(page, () => {
      window.__casebookMock.state.dialog.save = '/media/usb/casebook.cbvault';
    });
    await page.getByTestId('backup-start').click();
    const result = page.getByTestId('backup-result');
    await result.waitFor();
    assert.match((await result.textContent()) ?? '', /\/media\/usb\/casebook\.cbvault[\s\S]*1 cases/);

    const rows = page.getByTestId('wiki-row');
    const before = await rows.count();
    await page.getByTestId('wiki-add').click();
    await rows.last().getByTestId('wiki-name').fill('Test wiki');
    await rows.last().getByTestId('wiki-api').fill('https://wiki.example.org/index.php');
    await page.getByTestId('wiki-save').click();
    await page.getByTestId('wiki-error').waitFor();
    await rows.last().getByTestId('wiki-api').fill('https://wiki.example.org/w/api.php');
    await page.getByTestId('wiki-save').click();
    await page.getByTestId('info').filter({ hasText: 'Known wikis saved' }).waitFor();
    const saved = await mock(page, () => window.__casebookMock.state.wikis);
    assert.equal(saved.length, before + 1);
    assert.deepEqual(saved.at(-1), { name: 'Test wiki', api: 'https://wiki.example.org/w/api.php' });
  });

  it('configures a time-stamping authority; items captured offline wait, then are stamped', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('tsa-none').waitFor();
    await page.getByTestId('tsa-url').fill('https://tsa.example.org/tsr');
    await page.getByTestId('tsa-root').fill('not a certificate');
    await page.getByTestId('tsa-save').click();
    await page.locator('[data-testid="error"][data-code="invalid_input"]').waitFor();
    await page.getByTestId('tsa-root').fill('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    await page.getByTestId('tsa-save').click();
    await page.getByTestId('tsa-current').filter({ hasText: 'https://tsa.example.org/tsr' }).waitFor();
    const [args] = (await argsOf(page, 'timestamp_authority_set')).slice(-1);
    assert.deepEqual(Object.keys(args).sort(), ['root_pem', 'url']);

    // Offline: the item is captured and its timestamp waits, with the reason shown.
    await mock(page, () => {
      window.__casebookMock.timestamps.online = false;
    });
    await page.getByTestId('nav-cases').click();
    await createCase(page, 'Event incident');
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('evidence-path-input').fill('/home/inv/photo.png');
    await page.getByTestId('evidence-path-add').click();
    const badge = page.getByTestId('evidence-timestamp');
    await page.locator('[data-testid="evidence-timestamp"][data-state="queued"]').waitFor();
    await page.getByTestId('evidence-row').click();
    await page.getByTestId('evidence-timestamp-detail').filter({ hasText: 'did not answer' }).waitFor();

    // Online again: "Send queued now" in Settings obtains it, and the case shows it stamped.
    await mock(page, () => {
      window.__casebookMock.timestamps.online = true;
    });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('tsa-send').click();
    await page.getByTestId('tsa-sent').filter({ hasText: '1 obtained, 0 still queued' }).waitFor();
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('case-row').first().click();
    await page.getByTestId('tab-evidence').click();
    await page.locator('[data-testid="evidence-timestamp"][data-state="stamped"]').waitFor();
    assert.equal(await badge.count(), 1);
    const action = await mock(page, () => window.__casebookMock.state.audit.at(-1).action);
    assert.equal(action, 'evidence.timestamp');
  });

  it('restores a vault from a backup on first run', async (t) => {
    const page = await fresh(t);
    await page.getByTestId('restore-open').click();
    await page.getByTestId('restore-path').fill('/media/usb/casebook.cbvault');
    await page.getByTestId('restore-passphrase').fill('not the one');
    await page.getByTestId('restore-start').click();
    await page.locator('[data-testid="error"][data-code="wrong_passphrase"]').waitFor();
    await page.getByTestId('restore-passphrase').fill('correct horse battery staple');
    await page.getByTestId('restore-start').click();
    await page.getByTestId('case-row').first().waitFor();
    const [, args] = await argsOf(page, 'vault_restore');
    assert.deepEqual(args, { from: '/media/usb/casebook.cbvault', passphrase: 'correct horse battery staple' });
  });
});
