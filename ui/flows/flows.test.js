// Flow tests: the built UI (flows mode: in-memory mock backend behind Tauri's mockIPC) in headless
// Debian Chromium via playwright-core. Run with `npm run test:flows`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { suite, createVault, createCase, addEvent, mock } from './harness.js';

const PASS = 'correct horse battery staple';
const fresh = suite();

const rows = (page) => page.getByTestId('event-row').locator('[data-testid="event-summary"]').allTextContents();

describe('vault', () => {
  it('first run: refuses mismatched passphrases, creates the vault, shows the fingerprint', async (t) => {
    const page = await fresh(t);
    await page.getByTestId('passphrase').fill(PASS);
    await page.getByTestId('passphrase-confirm').fill(PASS + 'x');
    assert.equal(await page.getByTestId('mismatch').isVisible(), true);
    await page.getByTestId('create-vault').click();
    assert.equal(await page.getByTestId('fingerprint').count(), 0, 'no vault with mismatched passphrases');
    assert.equal(await mock(page, () => window.__casebookMock.state.passphrase), null);

    assert.notEqual(await page.getByTestId('strength').getAttribute('data-score'), '0');
    await page.getByTestId('passphrase-confirm').fill(PASS);
    await page.getByTestId('create-vault').click();
    const fp = await page.getByTestId('fingerprint').textContent();
    assert.match(fp ?? '', /K7QF-2MXA/);
    await page.getByTestId('continue').click();
    await page.getByTestId('new-case').waitFor();
    assert.equal(await page.getByTestId('lock').isVisible(), true, 'lock button always visible');
  });

  it('unlock: a wrong passphrase shows a clear error; the right one brings the data back', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Persistent case');
    await page.getByTestId('lock').click();
    await page.getByTestId('unlock').waitFor();
    assert.equal(await page.getByTestId('case-row').count(), 0, 'no case data while locked');

    await page.getByTestId('passphrase').fill('not the passphrase');
    await page.getByTestId('unlock').click();
    const error = page.getByTestId('error');
    await error.waitFor();
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await error.getAttribute('data-code'), 'wrong_passphrase');
    assert.match((await error.textContent()) ?? '', /Wrong passphrase/);
    assert.equal(await page.getByTestId('passphrase').inputValue(), '', 'passphrase field cleared');

    await page.getByTestId('passphrase').fill(PASS);
    await page.getByTestId('unlock').click();
    await page.getByTestId('case-row').first().waitFor();
    assert.equal(await page.getByTestId('case-row').count(), 1);
    assert.equal(await page.getByTestId('error').count(), 0, 'error cleared after unlock');
  });

  it('an idle lock from the backend drops case data and says why', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Sensitive case');
    await addEvent(page, { at: '2026-01-01 10:00', actor: 'A', summary: 'Secret summary' });
    await mock(page, () => window.__casebookMock.lock('idle'));
    await page.getByTestId('unlock').waitFor();
    assert.equal(await page.getByTestId('lock-reason').getAttribute('data-reason'), 'idle');
    assert.equal(await page.getByText('Secret summary').count(), 0, 'nothing of the case stays in the DOM');
    const html = await page.content();
    assert.ok(!html.includes('Sensitive case'));
  });

  it('a command that meets a locked vault returns to the unlock screen', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await mock(page, () => {
      window.__casebookMock.state.unlocked = false; // locked behind the UI's back, event lost
    });
    await page.getByTestId('new-case').click();
    await page.getByTestId('case-title').fill('x');
    await page.getByTestId('create-case').click();
    await page.getByTestId('unlock').waitFor();
  });

  it('calls activity at most once per 15 s of input', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    for (let i = 0; i < 5; i++) await page.getByTestId('nav-cases').click();
    await page.keyboard.press('Shift');
    const n = await mock(page, () => window.__casebookMock.state.calls.filter((c) => c === 'activity').length);
    assert.equal(n, 1);
  });
});

describe('cases', () => {
  it('creates cases with kind templates and filters the list', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await page.getByTestId('new-case').click();
    await page.getByTestId('case-kind').selectOption('threat_of_harm');
    assert.match((await page.getByTestId('kind-template').textContent()) ?? '', /urgent/i);
    await page.getByTestId('case-kind').selectOption('child_protection');
    assert.match((await page.getByTestId('kind-template').textContent()) ?? '', /restricted/i);
    await page.getByTestId('case-kind').selectOption('threat_of_harm');
    await page.getByTestId('case-title').fill('Threat on talk page');
    await page.getByTestId('create-case').click();
    await page.getByTestId('tab-timeline').waitFor();
    assert.equal(await page.getByTestId('case-heading').textContent(), 'Threat on talk page');
    assert.equal(await page.getByTestId('case-priority-badge').textContent(), 'Urgent');

    await page.getByTestId('back').click();
    await createCase(page, 'Copyright notice', 'dmca');
    await page.getByTestId('back').click();
    await page.getByTestId('case-row').nth(1).waitFor();
    assert.equal(await page.getByTestId('case-row').count(), 2);
    await page.getByTestId('filter-priority').selectOption('urgent');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="case-row"]').length === 1);
    assert.match((await page.getByTestId('case-row').textContent()) ?? '', /Threat on talk page/);
    await page.getByTestId('filter-priority').selectOption('');
    await page.getByTestId('filter-kind').selectOption('privacy');
    await page.getByTestId('cases-empty').waitFor();
  });

  it('searches the whole vault and opens the hit in its case', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Case one');
    await addEvent(page, { at: '2026-01-01 10:00', actor: 'A', summary: 'Posted a doxxing link' });
    await page.getByTestId('back').click();
    await page.getByTestId('search').fill('doxxing');
    await page.getByTestId('search').press('Enter');
    assert.equal(await page.getByTestId('search-hit').first().locator('mark').textContent(), 'doxxing');
    await page.getByTestId('search-hit').first().click();
    await page.getByTestId('event-details').waitFor();
    assert.equal(await page.getByTestId('detail-summary').textContent(), 'Posted a doxxing link');
  });
});

describe('timeline', () => {
  it('adds events and lists them in time order; edits move them', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Ordering');
    await addEvent(page, { at: '2026-03-02 09:00', actor: 'Vandal42', summary: 'second' });
    await addEvent(page, { at: '2026-03-03 09:00', actor: 'Vandal42', summary: 'third' });
    await addEvent(page, { at: '2026-03-01 09:00', actor: 'Reporter', summary: 'first' });
    assert.deepEqual(await rows(page), ['first', 'second', 'third']);

    await page.getByTestId('event-row').filter({ hasText: 'third' }).locator('button').click();
    await page.getByTestId('edit-event').click();
    await page.getByTestId('event-occurred-at').fill('2026-02-28 08:00');
    await page.getByTestId('save-event').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="event-row"] [data-testid="event-summary"]')?.textContent === 'third');
    assert.deepEqual(await rows(page), ['third', 'first', 'second']);
  });

  it('refuses an invalid time with a visible message', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Bad time');
    await page.getByTestId('event-occurred-at').fill('2026-02-30 10:00');
    await page.getByTestId('event-actor').fill('A');
    await page.getByTestId('event-summary-input').fill('x');
    await page.getByTestId('add-event').click();
    await page.getByTestId('event-time-error').waitFor();
    assert.equal(await page.getByTestId('event-row').count(), 0);
  });

  it('filters by category, tag and text', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Filters');
    await addEvent(page, { at: '2026-03-01 09:00', actor: 'A', summary: 'edit one', category: 'edit', tags: 'sock' });
    await addEvent(page, { at: '2026-03-02 09:00', actor: 'B', summary: 'block one', category: 'block' });
    await addEvent(page, { at: '2026-03-03 09:00', actor: 'A', summary: 'edit two', category: 'edit' });

    await page.locator('[data-testid="filter-category"][data-value="edit"]').click();
    assert.deepEqual(await rows(page), ['edit one', 'edit two']);
    assert.match((await page.getByTestId('timeline-count').textContent()) ?? '', /2 of 3/);
    await page.locator('[data-testid="filter-tag"][data-value="sock"]').click();
    assert.deepEqual(await rows(page), ['edit one']);
    await page.getByTestId('clear-filters').click();
    assert.deepEqual(await rows(page), ['edit one', 'block one', 'edit two']);
    await page.getByTestId('timeline-filter-text').fill('block');
    assert.deepEqual(await rows(page), ['block one']);
    await page.getByTestId('timeline-filter-text').fill('nothing matches');
    await page.getByTestId('timeline-empty').waitFor();
  });

  it('zooms and pans from buttons and keys, between minutes and decades', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Zoom');
    await addEvent(page, { at: '2020-01-01 00:00', actor: 'A', summary: 'old' });
    await addEvent(page, { at: '2026-01-01 00:00', actor: 'A', summary: 'new' });
    await page.getByTestId('zoom-fit').click();
    assert.match((await page.getByTestId('zoom-span').textContent()) ?? '', /years/);
    for (let i = 0; i < 20; i++) await page.getByTestId('zoom-in').click();
    assert.match((await page.getByTestId('zoom-span').textContent()) ?? '', /15 minutes/);
    await page.getByTestId('timeline-canvas').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('-');
    assert.match((await page.getByTestId('zoom-span').textContent()) ?? '', /hours|days/);
    await page.keyboard.press(']');
    await page.getByTestId('event-details').waitFor();
  });

  it('selects an event by clicking its mark on the canvas', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Click');
    await addEvent(page, { at: '2026-03-01 09:00', actor: 'A', summary: 'only event' });
    await page.getByTestId('event-details').locator('button[aria-label]').click(); // close details
    await page.getByTestId('zoom-fit').click();
    const box = await page.getByTestId('timeline-canvas').boundingBox();
    // fit() centres a single event; its lane is the only one, under the 26 px ruler, 46 px tall at most.
    const wrapH = await page.getByTestId('timeline-canvas').evaluate((c) => c.parentElement.clientHeight);
    const h = Math.max(24, Math.min(46, wrapH - 26));
    await page.mouse.click(box.x + 150 + (box.width - 150) / 2, box.y + 26 + h / 2);
    await page.getByTestId('event-details').waitFor();
    assert.equal(await page.getByTestId('detail-summary').textContent(), 'only event');
  });

  it('stays light with 10,000 events: canvas chart, virtualized list', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Big');
    const ref = await page.getByTestId('case-reference').textContent();
    await mock(page, (r) => window.__casebookMock.seedEvents(r, 10000), ref);
    await page.getByTestId('back').click();
    await page.getByTestId('case-row').first().click();
    await page.waitForFunction(() => document.querySelector('[data-testid="timeline-count"]')?.textContent?.includes('10000'));
    const domRows = await page.getByTestId('event-row').count();
    assert.ok(domRows > 5 && domRows < 120, `virtualized list renders ${domRows} rows`);
    const drawn = Number(await page.getByTestId('timeline-canvas').getAttribute('data-drawn'));
    assert.ok(drawn > 0, 'events drawn on the canvas');
    // The list is still in time order.
    const times = await page.getByTestId('event-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-occurred-at')));
    assert.deepEqual([...times].sort(), times);
    // Zooming all the way in still draws (timings belong in the benchmark, not here).
    for (let i = 0; i < 30; i++) await page.getByTestId('zoom-in').click();
    assert.match((await page.getByTestId('zoom-span').textContent()) ?? '', /15 minutes/);
    await page.getByTestId('zoom-fit').click();
    assert.ok(Number(await page.getByTestId('timeline-canvas').getAttribute('data-drawn')) > 0);
  });
});

describe('case panels', () => {
  it('adds subjects and evidence by path, shows the full SHA-256', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Panels');
    await page.getByTestId('tab-subjects').click();
    await page.getByTestId('subject-username').fill('Vandal42');
    await page.getByTestId('subject-wiki').fill('en.wikipedia.org');
    await page.getByTestId('subject-role').selectOption('reported_party');
    await page.getByTestId('add-subject').click();
    await page.getByTestId('subject-row').waitFor();
    assert.equal(await page.getByTestId('subject-name').textContent(), 'Vandal42');

    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('evidence-path-input').fill('/home/inv/diff.png');
    await page.getByTestId('evidence-path-add').click();
    await page.getByTestId('evidence-row').waitFor();
    const expected = await mock(page, () => window.__casebookMock.state.evidence[0].sha256);
    assert.equal(await page.getByTestId('evidence-sha256').textContent(), expected);
    assert.match(expected, /^[0-9a-f]{64}$/);
  });

  it('shows a backend error for a file that cannot be read', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Errors');
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('evidence-path-input').fill('/nowhere/missing.pdf');
    await page.getByTestId('evidence-path-add').click();
    const error = page.getByTestId('error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'io');
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await page.getByTestId('evidence-row').count(), 0);
  });

  it('keeps restricted evidence hidden until an audited reveal', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'CP report', 'child_protection');
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('evidence-path-input').fill('/home/inv/image.png');
    await page.getByTestId('evidence-path-add').click();
    await page.getByTestId('evidence-row').click();
    await page.getByTestId('evidence-restricted').waitFor();
    assert.equal(await page.getByTestId('evidence-image').count(), 0, 'no preview before reveal');
    assert.equal(await page.getByTestId('evidence-sensitivity').textContent(), 'Restricted');
    await page.getByTestId('evidence-reveal').click();
    await page.getByTestId('evidence-image').waitFor();
    const calls = await mock(page, () => window.__casebookMock.state.calls);
    assert.ok(calls.includes('evidence_reveal'));
  });

  it('previews text in a sandbox with no scripts', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Preview');
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('evidence-path-input').fill('/home/inv/log.txt');
    await page.getByTestId('evidence-path-add').click();
    await page.getByTestId('evidence-row').click();
    const frame = page.getByTestId('evidence-frame');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('sandbox'), '');
    assert.match((await frame.getAttribute('src')) ?? '', /^casebook-evidence:\/\/localhost\//);
  });

  it('renders notes as markdown without ever injecting HTML', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Notes');
    await page.getByTestId('tab-notes').click();
    await page.getByTestId('note-body').fill('# Finding\n**Bold** claim <img src=x onerror="window.pwned=1"> [x](javascript:alert(1))');
    await page.getByTestId('add-note').click();
    const note = page.getByTestId('note');
    await note.waitFor();
    assert.equal(await note.locator('strong').textContent(), 'Bold');
    assert.equal(await note.locator('img').count(), 0);
    assert.equal(await note.locator('a').count(), 0);
    assert.match((await note.textContent()) ?? '', /<img src=x/);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
  });

  it('shows the audit trail and verifies the chain, or reports it broken', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await createCase(page, 'Audit');
    await page.getByTestId('tab-audit').click();
    await page.getByTestId('audit-row').first().waitFor();
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verified').waitFor();
    await mock(page, () => {
      window.__casebookMock.state.auditBroken = true;
    });
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('error').waitFor();
    assert.equal(await page.getByTestId('error').getAttribute('data-code'), 'audit_broken');
  });
});

describe('settings', () => {
  it('shows identity and contacts, switches language, saves the lock timeout', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('identity-name').waitFor();
    assert.equal(await page.getByTestId('contact-row').count(), 1);
    await page.getByTestId('lock-timeout').selectOption('5');
    await page.waitForFunction(() => window.__casebookMock.state.lock_timeout_secs === 300);
    await page.getByTestId('language').selectOption('es');
    await page.getByText('Ajustes', { exact: true }).first().waitFor();
    assert.equal(await page.getByTestId('lock').textContent().then((s) => s?.trim()), 'Bloquear');
    assert.equal(await mock(page, () => window.__casebookMock.state.language), 'es');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  });
});

describe('review (second stage)', () => {
  async function enrol(page) {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('server-url').fill('https://review.example.org');
    await page.getByTestId('server-token').fill('ENROL-OK');
    await page.getByTestId('server-device').fill('laptop');
    await page.getByTestId('enrol').click();
    await page.getByTestId('enrolled').waitFor();
  }

  it('refuses a bad enrolment token with its code', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('server-url').fill('https://review.example.org');
    await page.getByTestId('server-token').fill('WRONG');
    await page.getByTestId('server-device').fill('laptop');
    await page.getByTestId('enrol').click();
    await page.getByTestId('error').waitFor();
    assert.equal(await page.getByTestId('error').getAttribute('data-code'), 'enrolment_refused');
    assert.equal(await page.getByTestId('directory-row').count(), 0);
  });

  it('submits a case to chosen reviewers with progress, then syncs the outbox', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await enrol(page);
    assert.equal(await page.getByTestId('directory-row').count(), 4);
    await page.getByTestId('nav-cases').click();
    await createCase(page, 'For review');
    await page.getByTestId('tab-review').click();
    const reviewers = page.getByTestId('reviewer');
    await reviewers.first().waitFor();
    assert.equal(await reviewers.count(), 3, 'everyone in the directory but the author');
    assert.equal(await reviewers.nth(2).isDisabled(), true, 'revoked reviewers cannot be chosen');
    await page.getByTestId('submit-review').click();
    assert.equal(await page.getByTestId('outbox-row').count(), 0, 'no submission without a reviewer');
    await reviewers.nth(0).check();
    await page.getByTestId('submit-review').click();
    await page.getByTestId('progress').waitFor();
    await page.locator('[data-testid="outbox-row"][data-state="queued"]').waitFor();
    const args = await mock(page, () => window.__casebookMock.state.outbox.length);
    assert.equal(args, 1);
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="outbox-row"][data-state="sent"]').waitFor();
  });

  it('opens bundles: a tampered one imports nothing; a good one shows every check and takes a decision', async (t) => {
    const page = await fresh(t);
    await createVault(page, PASS);
    await enrol(page);
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('sync').click();
    await page.getByTestId('inbox-row').nth(1).waitFor();

    await page.locator('[data-testid="inbox-row"][data-id="bundle-tampered"] [data-testid="inbox-open"]').click();
    await page.getByTestId('error').waitFor();
    assert.equal(await page.getByTestId('error').getAttribute('data-code'), 'bad_signature');
    assert.equal(await page.getByTestId('verification').count(), 0);
    assert.equal(await mock(page, () => window.__casebookMock.state.cases.length), 0, 'nothing imported');

    await page.locator('[data-testid="inbox-row"][data-id="bundle-good"] [data-testid="inbox-open"]').click();
    const panel = page.getByTestId('verification');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('data-ok'), 'true');
    assert.equal(await page.getByTestId('author-fingerprint').textContent(), 'I2NV-ST8G-AT0R-2KEY');
    const checks = await page.getByTestId('check').evaluateAll((els) => els.map((e) => e.getAttribute('data-ok')));
    assert.ok(checks.length >= 5 && checks.every((ok) => ok === 'true'));

    await page.getByTestId('decision-changes_requested').check();
    await page.getByTestId('rationale').fill('Timeline lacks the off-wiki evidence for 3 September.');
    await page.getByTestId('record-decision').click();
    await page.locator('[data-testid="outbox-row"]').waitFor();
    const audit = await mock(page, () => window.__casebookMock.state.audit.at(-1).action);
    assert.equal(audit, 'review.changes_requested');

    // The received case is read-only: no forms to change it.
    await page.getByTestId('open-received-case').click();
    await page.getByTestId('tab-timeline').waitFor();
    assert.equal(await page.getByTestId('add-event').count(), 0);
    await page.getByTestId('tab-evidence').click();
    assert.equal(await page.getByTestId('evidence-path-input').count(), 0);
  });
});
