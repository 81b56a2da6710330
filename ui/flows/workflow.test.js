// Flow tests of the workflow screens: the intake queue (emergency clock, triage, reveal), the
// office-action register (filters, sort, exports) and the tiered review chain.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { suite, createVault, mock, argsOf } from './harness.js';

const fresh = suite();
const seeded = async (page) => {
  await createVault(page);
  return mock(page, () => window.__casebookMock.seedWorkflow());
};
/** The case list loaded before the seed: leave it and come back. */
const toCases = async (page) => {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('nav-cases').click();
};
const rowOf = (page, channel) => page.locator(`[data-testid="intake-row"][data-channel="${channel}"]`).first();

describe('intake queue', () => {
  it('puts the emergency first with a ticking clock against the target, and flags urgent and overdue reports', async (t) => {
    const page = await fresh(t);
    await seeded(page);
    await page.keyboard.press('Alt+q');
    await page.getByTestId('intake-row').first().waitFor();
    const channels = await page.getByTestId('intake-row').evaluateAll((els) => els.map((e) => e.dataset.channel));
    assert.equal(channels[0], 'emergency', channels.join());
    assert.equal(channels.length, 5, 'the declined report is hidden');
    assert.equal(await page.getByTestId('intake-clock').count(), 1, 'one emergency awaits its first action');

    const clock = page.getByTestId('intake-clock');
    const first = Number(await clock.getAttribute('data-elapsed'));
    assert.match((await clock.textContent()).trim(), /^00:40:\d\d \/ 01:00:00$/);
    assert.equal(await clock.getAttribute('data-over'), 'false');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="intake-clock"]').dataset.elapsed) >= n + 2, first);
    assert.notEqual((await clock.textContent()).trim(), `00:40:${String(first % 60).padStart(2, '0')} / 01:00:00`);

    // Not by colour alone: the overdue and urgent rows carry a label.
    const general = rowOf(page, 'general');
    assert.equal(await general.getAttribute('data-overdue'), 'true');
    await general.getByTestId('intake-overdue').waitFor();
    await rowOf(page, 'emergency').getByTestId('intake-urgent').waitFor();
    await rowOf(page, 'child_protection').getByTestId('intake-restricted').waitFor();

    // A 30-minute target (Settings) puts the 40-minute-old emergency over it.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('intake-target').fill('30');
    await page.getByTestId('intake-target-save').click();
    await page.getByTestId('info').filter({ hasText: 'Emergency target saved' }).waitFor();
    assert.deepEqual((await argsOf(page, 'intake_target_set'))[0], { minutes: 30 });
    await page.getByTestId('nav-intake').click();
    await page.locator('[data-testid="intake-clock"][data-over="true"]').waitFor();
    assert.match(await rowOf(page, 'emergency').textContent(), /Over target/);
    assert.match((await page.getByTestId('intake-clock').textContent()).trim(), / \/ 00:30:00$/);

    // Showing closed reports brings the declined one back.
    await page.getByTestId('intake-include-closed').check();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="intake-row"]').length === 6);
  });

  it('adds a report from the dialog (keyboard: N, Escape cancels)', async (t) => {
    const page = await fresh(t);
    await seeded(page);
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-row').first().waitFor();
    await page.keyboard.press('n');
    const dialog = page.getByTestId('intake-new-dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('intake-new').click();
    await page.getByTestId('report-create').click();
    await page.getByTestId('report-missing').waitFor();
    await page.getByTestId('report-channel').selectOption('emergency');
    await page.getByTestId('report-reporter').fill('Event organiser');
    await page.getByTestId('report-contact').fill('+351 555 0100');
    await page.getByTestId('report-text').fill('Threat received by phone.');
    await page.getByTestId('report-received').fill('2999-01-01 10:00');
    await page.getByTestId('report-create').click();
    await page.getByTestId('report-received-error').waitFor();
    const tenAgo = new Date(Date.now() - 10 * 60_000).toISOString().slice(0, 16).replace('T', ' ');
    await page.getByTestId('report-received').fill(tenAgo);
    await page.getByTestId('report-create').click();
    await dialog.waitFor({ state: 'detached' });
    const [args] = await argsOf(page, 'intake_add');
    assert.equal(args.channel, 'emergency');
    assert.equal(args.reporter_contact, '+351 555 0100');
    assert.equal(args.received_at, `${tenAgo.replace(' ', 'T')}:00Z`);
    // The older emergency stays first; the new one is second, with its own clock.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="intake-clock"]').length === 2);
    await page.locator('[data-testid="intake-detail-reporter"]', { hasText: 'Event organiser' }).waitFor();
    assert.equal(await page.getByTestId('intake-contact-redacted').textContent(), '[redacted]');
  });

  it('triages: acknowledge, prioritise, assign, attach, reveal with a reason, open as case, merge, decline', async (t) => {
    const page = await fresh(t);
    await seeded(page);
    await page.getByTestId('nav-intake').click();
    const emergency = rowOf(page, 'emergency');
    await emergency.click();
    const detail = page.getByTestId('intake-detail');
    await detail.waitFor();
    await page.getByTestId('intake-detail-clock').waitFor();

    // Acknowledge (key A): the first action stops the clock.
    await page.keyboard.press('a');
    await page.locator('[data-testid="intake-detail"][data-state="acknowledged"]').waitFor();
    assert.equal(await page.getByTestId('intake-clock').count(), 0);
    await page.getByTestId('intake-acknowledged').waitFor();

    // Prioritise (key P): a reason is required.
    await page.keyboard.press('p');
    await page.getByTestId('intake-prioritise-dialog').waitFor();
    await page.getByTestId('intake-severity-1').check();
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('intake-reason-error').waitFor();
    await page.getByTestId('intake-reason').fill('Credible threat against a named person');
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('intake-prioritise-dialog').waitFor({ state: 'detached' });
    assert.deepEqual((await argsOf(page, 'intake_prioritise'))[0].severity, 1);
    await emergency.getByTestId('intake-severity').filter({ hasText: 'Critical' }).waitFor();

    // Assign: lead, assisting, due.
    await page.getByTestId('intake-assign').click();
    await page.getByTestId('intake-lead').fill('Emergency desk');
    await page.getByTestId('intake-assisting').fill('Reviewer One, Legal Two');
    await page.getByTestId('intake-due').fill('tomorrow');
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('intake-due-error').waitFor();
    await page.getByTestId('intake-due').fill('2030-01-02 09:30');
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('intake-assign-dialog').waitFor({ state: 'detached' });
    assert.deepEqual((await argsOf(page, 'intake_assign'))[0], {
      id: await emergency.getAttribute('data-id'),
      assignee: 'Emergency desk',
      assisting: ['Reviewer One', 'Legal Two'],
      due_at: '2030-01-02T09:30:00Z',
    });
    await page.getByTestId('intake-assignee').filter({ hasText: 'Emergency desk' }).waitFor();

    // Attach files through the native picker.
    await mock(page, () => {
      window.__casebookMock.state.dialog.open = ['/home/inv/threat-screenshot.png', '/home/inv/call-notes.txt'];
    });
    await page.getByTestId('intake-attach').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="intake-attachment"]').length === 2);

    // Open as case: the kind defaults from the channel.
    await page.getByTestId('intake-open-case').click();
    assert.equal(await page.getByTestId('intake-case-kind').inputValue(), 'threat_of_harm');
    await page.getByTestId('intake-case-title').fill('Threat against the Lisbon meetup organiser');
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('info').filter({ hasText: /Opened as TS-/ }).waitFor();
    const opened = await mock(page, () => window.__casebookMock.state.cases.find((c) => c.title.startsWith('Threat against')));
    assert.equal(opened.kind, 'threat_of_harm');
    assert.equal(opened.priority, 'urgent');
    assert.equal(opened.assignee, 'Emergency desk');
    assert.equal(await page.locator('[data-testid="intake-row"][data-channel="emergency"]').count(), 0, 'left the open queue');

    // A restricted report: nothing shown until a reveal with a reason.
    const cp = rowOf(page, 'child_protection');
    await cp.click();
    await page.getByTestId('intake-text-restricted').waitFor();
    assert.equal(await page.getByTestId('intake-text').count(), 0);
    assert.equal(await page.getByTestId('intake-contact').count(), 0);
    await page.getByTestId('intake-reveal').click();
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('intake-reason-error').waitFor();
    assert.equal((await argsOf(page, 'intake_reveal')).length, 0, 'no reveal without a reason');
    await page.getByTestId('intake-reason').fill('Triage: decide whether to escalate to the authorities');
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('intake-text').filter({ hasText: 'Commons' }).waitFor();
    assert.equal(await page.getByTestId('intake-contact').textContent(), 'reader.4471@example.net');
    const access = await mock(page, () => window.__casebookMock.state.audit.filter((r) => r.action === 'intake.reveal').length);
    assert.equal(access, 1, 'the reveal was audited');
    await page.getByTestId('intake-hide').click();
    await page.getByTestId('intake-contact-redacted').waitFor();

    // Merge the DMCA report into the case just opened.
    await rowOf(page, 'dmca').click();
    await page.keyboard.press('m');
    await page.getByTestId('intake-merge-dialog').waitFor();
    await page.getByTestId('intake-merge-case').selectOption(opened.reference);
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('info').filter({ hasText: `Merged into ${opened.reference}` }).waitFor();
    assert.deepEqual((await argsOf(page, 'intake_merge'))[0].reference, opened.reference);

    // Decline (key D) with a reason; Escape first cancels without a call.
    await rowOf(page, 'other').click();
    await page.keyboard.press('d');
    await page.getByTestId('intake-decline-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('intake-decline-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('intake-decline').click();
    await page.getByTestId('intake-reason').fill('Press enquiry: answered by communications');
    await page.getByTestId('intake-confirm').click();
    await page.getByTestId('info').filter({ hasText: 'Report declined' }).waitFor();
    assert.equal((await argsOf(page, 'intake_decline')).length, 1);
    assert.equal(await page.getByTestId('intake-row').count(), 2);
  });
});

describe('office-action register', () => {
  it('filters, sorts, flags the review due, and exports CSV and the public log through the save dialog', async (t) => {
    const page = await fresh(t);
    await seeded(page);
    await page.keyboard.press('Alt+g');
    await page.getByTestId('register-row').first().waitFor();
    assert.equal(await page.getByTestId('register-row').count(), 6);
    const due = page.locator('[data-testid="register-row"][data-review-due="true"]');
    assert.equal(await due.count(), 1);
    assert.match(await due.textContent(), /Review due/);

    await page.getByTestId('register-filter-kind').selectOption('global_ban');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="register-row"]').length === 2);
    assert.deepEqual((await argsOf(page, 'register_list')).at(-1), { kind: 'global_ban' });
    await page.getByTestId('register-filter-account').fill('sockpuppet');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="register-row"]').length === 1);
    await page.getByTestId('register-filter-kind').selectOption('');
    await page.getByTestId('register-filter-account').fill('');
    await page.getByTestId('register-filter-status').selectOption('expired');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="register-row"]').length === 1);
    assert.equal(await page.getByTestId('register-row').getAttribute('data-kind'), 'conduct_warning');
    await page.getByTestId('register-filter-status').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="register-row"]').length === 6);

    // Sorting by the review date, from the keyboard.
    const sort = page.locator('[data-testid="register-sort"][data-column="review_on"]');
    await sort.focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('th', { has: sort }).getAttribute('aria-sort'), 'ascending');
    assert.equal(await page.getByTestId('register-row').first().getAttribute('data-review-due'), 'true');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('th', { has: sort }).getAttribute('aria-sort'), 'descending');

    await mock(page, () => {
      window.__casebookMock.state.dialog.save = '/home/inv/exports/register.csv';
    });
    await page.getByTestId('register-export-csv').click();
    await page.getByTestId('info').filter({ hasText: 'Exported 6 rows to /home/inv/exports/register.csv' }).waitFor();
    assert.deepEqual((await argsOf(page, 'register_export'))[0], { format: 'csv', path: '/home/inv/exports/register.csv' });
    const csv = await mock(page, () => window.__casebookMock.workflow.exported['/home/inv/exports/register.csv']);
    assert.match(csv, /^reference,kind,accounts,wikis,event,effective_on,review_on,expires_on,status\r\n/);

    // The public log: the save dialog proposes a dated name; no case references in it.
    await page.getByTestId('register-export-wiki').click();
    await page.getByTestId('info').filter({ hasText: /Exported 4 rows to \/home\/inv\/exports\/office-actions-public-log-\d{4}-\d\d-\d\d\.wiki/ }).waitFor();
    const [, wiki] = await argsOf(page, 'register_export');
    assert.equal(wiki.format, 'wiki');
    const text = await mock(page, (p) => window.__casebookMock.workflow.exported[p], wiki.path);
    assert.match(text, /^\{\| class="wikitable/);
    assert.doesNotMatch(text, /TS-\d{4}/);

    // A cancelled save dialog exports nothing.
    await mock(page, () => {
      window.__casebookMock.state.dialog.save = null;
    });
    await page.getByTestId('register-export-csv').click();
    await page.waitForTimeout(200);
    assert.equal((await argsOf(page, 'register_export')).length, 2);
  });

  it('previews each export with the current filters, read-only, and copies it', async (t) => {
    const page = await fresh(t);
    await seeded(page);
    await page.keyboard.press('Alt+g');
    await page.getByTestId('register-row').first().waitFor();

    await page.getByTestId('register-preview-wiki').click();
    const box = page.getByTestId('register-preview');
    await page.waitForFunction(() => document.querySelector('[data-testid="register-preview"]')?.value.startsWith('{|'));
    assert.equal(await box.getAttribute('readonly'), '');
    const wiki = await box.inputValue();
    assert.match(wiki, /\[\[User:/);
    assert.doesNotMatch(wiki, /TS-\d{4}/, 'no case reference in the public log');
    assert.deepEqual((await argsOf(page, 'register_render')).at(-1), { format: 'wiki' });

    // The filters follow into the preview: one global ban account matches "sockpuppet".
    await page.getByTestId('register-filter-kind').selectOption('global_ban');
    await page.getByTestId('register-filter-account').fill('sockpuppet');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="register-row"]').length === 1);
    await page.getByTestId('register-preview-csv').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="register-preview"]')?.value.startsWith('reference,kind'));
    assert.deepEqual((await argsOf(page, 'register_render')).at(-1), { format: 'csv', kind: 'global_ban', account: 'sockpuppet' });
    const csv = await box.inputValue();
    // (a textarea shows CRLF as LF; Copy takes the backend's text as it is)
    assert.equal(csv.trim().split(/\r?\n/).length, 2, csv);
    assert.match(csv, /sockpuppet/i);

    await page.getByTestId('register-preview-copy').click();
    await page.getByTestId('info').filter({ hasText: /Copied to the clipboard|press Ctrl\+C/ }).waitFor();
    await page.getByTestId('register-preview-close').click();
    assert.equal(await page.getByTestId('register-preview').count(), 0);
  });
});

describe('review chain', () => {
  it('shows the level-2 reviewer the stepper, level 1’s decision and the divergence, and records an approval', async (t) => {
    const page = await fresh(t);
    const { received } = await seeded(page);
    await toCases(page);
    await page.locator(`[data-testid="case-row"][data-reference="${received}"]`).click();
    await page.getByTestId('tab-review').click();
    await page.getByTestId('chain-stepper').waitFor();
    const levels = () => page.getByTestId('chain-level').evaluateAll((els) => els.map((e) => `${e.dataset.role}:${e.dataset.status}`));
    assert.deepEqual(await levels(), ['tns_manager:done', 'director:current', 'chief:pending']);
    assert.equal(await page.locator('[data-testid="chain-level"][aria-current="step"]').getAttribute('data-role'), 'director');
    assert.match(await page.getByTestId('chain-level').first().textContent(), /Approved by Manager Ana/);

    // Level 1's decision with its rationale, and the divergence the author kept.
    const approval = page.locator('[data-testid="chain-transition"][data-decision="approve"][data-level="0"]');
    assert.match(await approval.textContent(), /Manager Ana.*level 1/s);
    assert.match(await approval.textContent(), /divergence on scope goes to the director/);
    const divergence = page.locator('[data-testid="chain-divergence"][data-level="0"]');
    assert.equal(await divergence.getAttribute('data-response'), 'kept');
    assert.match(await divergence.getByTestId('chain-proposal').textContent(), /Limit the ban to English Wikipedia/);
    assert.match(await divergence.getByTestId('chain-author-note').textContent(), /local ban would move the harassment/);

    // The five level decisions; the old single-step judgements are not offered twice.
    for (const d of ['approve', 'changes_requested', 'propose_modification', 'no_action', 'decline'])
      assert.equal(await page.getByTestId(`chain-decision-${d}`).count(), 1, d);
    assert.equal(await page.getByTestId('decision-approve').count(), 0);
    assert.match(await page.getByTestId('chain-form').textContent(), /Request more research.*Recommend no action/s);

    await page.getByTestId('chain-decision-approve').check();
    await page.getByTestId('chain-record').click();
    await page.getByTestId('chain-rationale-error').waitFor();
    await page.getByTestId('chain-rationale').fill('Global scope is justified by the cross-wiki pattern.');
    await page.getByTestId('chain-record').click();
    await page.getByTestId('info').filter({ hasText: 'Decision signed and queued' }).waitFor();
    assert.deepEqual((await argsOf(page, 'review_decide'))[0], {
      reference: received,
      decision: 'approve',
      rationale: 'Global scope is justified by the cross-wiki pattern.',
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="chain-level"][aria-current="step"]')?.dataset.role === 'chief');
    assert.deepEqual(await levels(), ['tns_manager:done', 'director:done', 'chief:current']);
    // Queued, not yet sent: nothing more to record until it is.
    await page.getByTestId('review-pending').waitFor();
    assert.equal(await page.getByTestId('chain-form').count(), 0);
  });

  it('lets the author answer a proposed modification by keeping their position, with a note', async (t) => {
    const page = await fresh(t);
    const { own } = await seeded(page);
    await toCases(page);
    const row = page.locator(`[data-testid="case-row"][data-reference="${own}"]`);
    assert.equal(await row.getAttribute('data-overdue'), 'true');
    await row.getByTestId('case-overdue').waitFor();
    await row.click();
    await page.getByTestId('tab-review').click();
    await page.locator('[data-testid="chain-state"][data-state="modification_proposed"]').waitFor();
    assert.equal(await page.locator('[data-testid="chain-divergence"]').getAttribute('data-response'), 'pending');
    assert.equal(await page.getByTestId('chain-decision-approve').count(), 0, 'the author does not judge');
    await page.getByTestId('chain-decision-keep_position').check();
    await page.getByTestId('chain-rationale').fill('An indefinite ban matches the two earlier incidents.');
    await page.getByTestId('chain-record').click();
    await page.locator('[data-testid="chain-divergence"][data-response="kept"]').waitFor();
    assert.match(await page.getByTestId('chain-author-note').textContent(), /two earlier incidents/);
    assert.equal((await argsOf(page, 'review_decide'))[0].decision, 'keep_position');
  });

  it('previews the policy levels on a case not yet submitted', async (t) => {
    const page = await fresh(t);
    await seeded(page);
    await page.getByTestId('new-case').click();
    await page.getByTestId('case-title').fill('Sock farm');
    await page.getByTestId('case-kind').selectOption('global_ban');
    await page.getByTestId('create-case').click();
    await page.getByTestId('tab-review').click();
    await page.getByTestId('chain-preview').waitFor();
    const roles = await page.getByTestId('chain-level').evaluateAll((els) => els.map((e) => e.dataset.role));
    assert.deepEqual(roles, ['tns_manager', 'director', 'chief']);
  });
});
