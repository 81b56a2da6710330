// Flow tests: DMCA notices (missing elements, takedown, counter-notice and
// the restore window, the archive entry), the office-action dialog and the appeal dialog.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { suite, createVault, createCase, mock, argsOf } from './harness.js';

const fresh = suite();
const liveMissing = (page) => page.getByTestId('dmca-live-missing-item').evaluateAll((els) => els.map((e) => e.dataset.element));

/** The seeded DMCA case (an incomplete notice, a countered takedown), opened on its DMCA tab. */
async function seededCase(page) {
  await createVault(page);
  const ref = await mock(page, () => window.__casebookMock.seedDmca());
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('nav-cases').click();
  await page.locator(`[data-testid="case-row"][data-reference="${ref}"]`).click();
  await page.getByTestId('tab-dmca').click();
  await page.getByTestId('dmca-notice').waitFor();
  return ref;
}

describe('DMCA notices', () => {
  it('flags the missing elements while typing and after saving, then completes the notice', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Copyright notice: lyrics', 'dmca');
    // A DMCA case shows the tab; Alt+8 reaches it from the keyboard.
    await page.keyboard.press('Alt+8');
    await page.getByTestId('dmca-empty').waitFor();
    await page.getByTestId('dmca-new').click();
    await page.getByTestId('dmca-form').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'dmca-work', 'the form starts on its first element');
    assert.equal((await liveMissing(page)).length, 8, 'everything is missing at first');

    await page.getByTestId('dmca-work').fill('Song lyrics “Harbour Lights”, © Tidewater Music 2021');
    await page.getByTestId('dmca-material').fill('The full lyrics quoted in the article');
    await page.getByTestId('dmca-url-0').fill('https://en.wikipedia.org/wiki/Harbour_Lights_(song)');
    await page.getByTestId('dmca-url-0').press('Enter'); // Enter adds the next URL
    await page.getByTestId('dmca-url-1').fill('ftp://nope');
    await page.getByTestId('dmca-url-error-1').waitFor();
    assert.equal(await page.getByTestId('dmca-save').isDisabled(), true, 'a bad URL blocks saving');
    await page.getByTestId('dmca-url-1').fill('https://en.wikipedia.org/wiki/Tidewater_Music');
    await page.getByTestId('dmca-good-faith').check();
    assert.deepEqual(await liveMissing(page), ['complainant_name', 'complainant_contact', 'accuracy', 'signature']);
    assert.match(await page.getByTestId('dmca-save').textContent(), /incomplete/);
    await page.getByTestId('dmca-save').click();

    await page.getByTestId('dmca-incomplete').waitFor();
    const missing = await page.getByTestId('dmca-missing-item').evaluateAll((els) => els.map((e) => e.dataset.element));
    assert.deepEqual(missing, ['complainant_name', 'complainant_contact', 'accuracy', 'signature']);
    assert.equal(await page.getByTestId('dmca-takedown-blocked').count(), 1, 'no takedown on an incomplete notice');
    assert.equal(await page.locator('[data-testid="dmca-item"][data-complete="false"]').count(), 1);
    const [added] = await argsOf(page, 'dmca_add');
    assert.deepEqual(added.notice.urls, ['https://en.wikipedia.org/wiki/Harbour_Lights_(song)', 'https://en.wikipedia.org/wiki/Tidewater_Music']);
    assert.equal(added.notice.good_faith, true);

    // Completing it: no contact was held, so the form opens without a reveal.
    await page.getByTestId('dmca-edit').click();
    await page.getByTestId('dmca-c-name').fill('Tidewater Music Ltd');
    await page.getByTestId('dmca-c-email').fill('legal@tidewater.example');
    await page.getByTestId('dmca-accuracy').check();
    await page.getByTestId('dmca-signature').fill('/R. Marsh/');
    await page.getByTestId('dmca-live-complete').waitFor();
    await page.getByTestId('dmca-save').click();
    await page.getByTestId('dmca-complete').waitFor();
    assert.equal(await page.getByTestId('dmca-missing').count(), 0);
    assert.equal((await argsOf(page, 'dmca_update')).length, 1);

    // The saved contact is redacted; the reveal asks why (the same UX as the subjects').
    await page.getByTestId('dmca-hide').click();
    await page.getByTestId('dmca-complainant-redacted').waitFor();
    assert.equal(await page.getByText('legal@tidewater.example').count(), 0);
    await page.getByTestId('dmca-reveal').click();
    await page.getByTestId('dmca-reveal-dialog').waitFor();
    await page.getByTestId('dmca-reveal-confirm').click();
    await page.getByTestId('dmca-reveal-reason-error').waitFor();
    await page.getByTestId('dmca-reveal-reason').fill('Replying to the complainant');
    await page.getByTestId('dmca-reveal-confirm').click();
    await page.locator('[data-testid="dmca-complainant-field"][data-field="email"]').filter({ hasText: 'legal@tidewater.example' }).waitFor();
    assert.equal((await argsOf(page, 'dmca_reveal'))[0].reason, 'Replying to the complainant');
  });

  it('is reachable from any case through "Add DMCA notice"', async (t) => {
    const page = await fresh(t);
    await createVault(page);
    await createCase(page, 'Harassment with a copyright angle', 'harassment');
    assert.equal(await page.getByTestId('tab-dmca').count(), 0, 'no DMCA tab on other kinds at first');
    await page.getByTestId('dmca-add-open').click();
    await page.getByTestId('dmca-form').waitFor();
    assert.equal(await page.getByTestId('tab-dmca').getAttribute('aria-selected'), 'true');
    await page.getByTestId('dmca-work').fill('A photograph');
    await page.getByTestId('dmca-save').click();
    await page.getByTestId('dmca-incomplete').waitFor();
    // The tab stays once the case holds a notice.
    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('tab-dmca').waitFor();
  });

  it('records the takedown, notifies the uploader and shows the restore window of a counter-notice', async (t) => {
    const page = await fresh(t);
    await seededCase(page);
    // The seeded counter-notice arrived last Friday: its window is ahead, counted in business days.
    const restore = page.getByTestId('dmca-restore');
    await restore.waitFor();
    assert.equal(await restore.getAttribute('data-phase'), 'waiting');
    assert.match(await page.getByTestId('dmca-restore-countdown').textContent(), /^\d+ business days until the earliest restore \(\d+ calendar days\)$/);

    // A fresh complete notice through every step.
    await page.getByTestId('dmca-new').click();
    await page.getByTestId('dmca-work').fill('Map “Lisbon metro 2024”');
    await page.getByTestId('dmca-material').fill('The map file');
    await page.getByTestId('dmca-url-0').fill('https://commons.wikimedia.org/wiki/File:Lisbon_metro_map.svg');
    await page.getByTestId('dmca-c-name').fill('Metro Design');
    await page.getByTestId('dmca-c-phone').fill('+351 21 111 1111');
    await page.getByTestId('dmca-good-faith').check();
    await page.getByTestId('dmca-accuracy').check();
    await page.getByTestId('dmca-signature').fill('/Metro Design/');
    await page.getByTestId('dmca-save').click();
    await page.getByTestId('dmca-complete').waitFor();

    // The takedown form starts from the notice's URLs.
    assert.equal(await page.getByTestId('dmca-td-wiki-0').inputValue(), 'commons.wikimedia.org');
    assert.equal(await page.getByTestId('dmca-td-page-0').inputValue(), 'File:Lisbon_metro_map.svg');
    await page.getByTestId('dmca-takedown-record').click();
    await page.getByTestId('dmca-td-error-0').waitFor(); // revision ids are required
    await page.getByTestId('dmca-td-revs-0').fill('880001, 880002');
    await page.getByTestId('dmca-takedown-record').click();
    await page.getByTestId('dmca-td-row').waitFor();
    const [td] = (await argsOf(page, 'dmca_takedown')).slice(-1);
    assert.deepEqual(td.items, [{ wiki: 'commons.wikimedia.org', page: 'File:Lisbon_metro_map.svg', revisions: [880001, 880002] }]);

    await page.getByTestId('dmca-uploader').fill('MapMaker');
    await page.getByTestId('dmca-notify').click();
    await page.getByTestId('dmca-notified').filter({ hasText: 'MapMaker' }).waitFor();

    await page.getByTestId('dmca-counter-from').fill('MapMaker');
    await page.getByTestId('dmca-counter-date').fill('2026-09-04 16:20');
    await page.getByTestId('dmca-counter-statement').fill('I drew this map from public data.');
    await page.getByTestId('dmca-counter-record').click();
    await page.getByTestId('dmca-counter').waitFor();
    // Friday 4 September 2026: Labor Day skipped; 10 and 14 business days later.
    assert.equal(await page.getByTestId('dmca-restore-earliest').textContent(), '2026-09-21');
    assert.equal(await page.getByTestId('dmca-restore-latest').textContent(), '2026-09-25');
    const [counter] = (await argsOf(page, 'dmca_counter')).slice(-1);
    assert.deepEqual(counter, { id: counter.id, from: 'MapMaker', statement: 'I drew this map from public data.', received_at: '2026-09-04T16:20:00Z' });
  });

  it('shows the public archive entry read-only and copies it', async (t) => {
    const page = await fresh(t);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    await seededCase(page);
    await page.getByTestId('dmca-archive').click();
    const box = page.getByTestId('dmca-archive-text');
    await box.waitFor();
    const text = await box.inputValue();
    assert.match(text, /File:Tram_28_Graca\.jpg/);
    assert.match(text, /912345702, 912399810/);
    assert.doesNotMatch(text, /ana@costa-photo|Rua das Flores|\+351/, 'no complainant contact in the public entry');
    assert.equal(await box.getAttribute('readonly'), '');
    await page.getByTestId('dmca-archive-copy').click();
    await page.getByTestId('info').filter({ hasText: /copied|Ctrl\+C/ }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
    if (copied !== null) assert.equal(copied, text);
  });
});

describe('office action and appeal', () => {
  async function approvedCase(page) {
    await createVault(page);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('server-url').fill('https://review.example.org');
    await page.getByTestId('server-token').fill('ENROL-OK');
    await page.getByTestId('server-device').fill('laptop');
    await page.getByTestId('enrol').click();
    await page.getByTestId('enrolled').waitFor();
    await page.getByTestId('nav-cases').click();
    await createCase(page, 'Cross-wiki harassment', 'harassment');
    const ref = await page.getByTestId('case-reference').textContent();
    await page.getByTestId('tab-subjects').click();
    for (const [name, role] of [['Vandal42', 'reported_party'], ['SockPuppet7', 'reported_party'], ['Reporter_A', 'reporter']]) {
      await page.getByTestId('subject-username').fill(name);
      await page.getByTestId('subject-wiki').fill('en.wikipedia.org');
      await page.getByTestId('subject-role').selectOption(role);
      await page.getByTestId('add-subject').click();
      await page.getByTestId('subject-name').filter({ hasText: name }).waitFor();
    }
    await page.getByTestId('tab-review').click();
    await page.getByTestId('reviewer').first().check();
    await page.getByTestId('submit-review').click();
    await page.locator('[data-testid="review-state"][data-state="submitted"]').waitFor();
    await mock(page, (r) => {
      window.__casebookMock.state.reviewStates[r] = 'approved';
    }, ref);
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="review-state"][data-state="approved"]').waitFor();
    return ref;
  }

  async function recordBan(page) {
    await page.getByTestId('decision-global_ban').check();
    await page.getByTestId('action-rationale').fill('Sustained harassment across two wikis.');
    await page.getByTestId('record-action').click();
    await page.getByTestId('action-dialog').waitFor();
  }

  it('records an office action after approval, with inline validation', async (t) => {
    const page = await fresh(t);
    const ref = await approvedCase(page);
    await recordBan(page);
    // Escape closes it; nothing recorded.
    await page.keyboard.press('Escape');
    await page.getByTestId('action-dialog').waitFor({ state: 'detached' });
    assert.equal((await argsOf(page, 'action_record')).length, 0);
    await page.getByTestId('record-action').click();
    await page.getByTestId('action-dialog').waitFor();

    assert.equal(await page.getByTestId('action-kind').inputValue(), 'global_ban');
    assert.equal(await page.getByTestId('action-account-0').inputValue(), 'Vandal42@en.wikipedia.org');
    assert.equal(await page.getByTestId('action-account-1').inputValue(), 'SockPuppet7@en.wikipedia.org');
    assert.equal(await page.getByTestId('action-end-review').isChecked(), true, 'a global ban is reviewed');

    // Errors inline: a malformed account, a bad date, event details for an event ban.
    await page.getByTestId('action-account-add').click();
    await page.getByTestId('action-account-2').fill('JustAName');
    await page.getByTestId('action-error-account-2').waitFor();
    await page.getByTestId('action-kind').selectOption('event_ban');
    await page.getByTestId('action-effective').fill('2026-13-01');
    await page.getByTestId('action-save').click();
    for (const f of ['account-2', 'effective', 'event-name', 'event-place', 'event-start', 'event-end', 'end-date'])
      await page.getByTestId(`action-error-${f}`).waitFor();
    assert.equal((await argsOf(page, 'action_record')).length, 0, 'nothing sent while invalid');

    await page.getByTestId('action-account-remove-2').click();
    await page.getByTestId('action-effective').fill('2026-09-10');
    await page.getByTestId('action-event-name').fill('Wikimania 2027');
    await page.getByTestId('action-event-place').fill('Paris');
    await page.getByTestId('action-event-start').fill('2027-08-01');
    await page.getByTestId('action-event-end').fill('2027-07-28');
    await page.getByTestId('action-error-event-end').filter({ hasText: 'ends before' }).waitFor();
    await page.getByTestId('action-event-end').fill('2027-08-04');
    // The expiry follows the event's end.
    assert.equal(await page.getByTestId('action-end-expiry').isChecked(), true);
    assert.equal(await page.getByTestId('action-end-date').inputValue(), '2027-08-04');
    await page.getByTestId('action-save').click();
    await page.getByTestId('action-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('review-pending').waitFor();

    const [args] = await argsOf(page, 'action_record');
    assert.deepEqual(args, {
      reference: ref,
      kind: 'event_ban',
      accounts: [
        { username: 'Vandal42', wiki: 'en.wikipedia.org' },
        { username: 'SockPuppet7', wiki: 'en.wikipedia.org' },
      ],
      effective_on: '2026-09-10',
      event: { name: 'Wikimania 2027', place: 'Paris', starts_on: '2027-08-01', ends_on: '2027-08-04' },
      expires_on: '2027-08-04',
      // The review panel's rationale is signed into the decision the dialog queues.
      rationale: 'Sustained harassment across two wikis.',
    });
    assert.equal((await argsOf(page, 'review_decide')).filter((a) => a.decision === 'global_ban').length, 0, 'the dialog replaces review_decide');
    await page.locator('[data-testid="case-status"][data-status="action_recorded"]').waitFor();
  });

  it('records an appeal from a party before the deadline, shows the backend refusal, and refuses after the deadline', async (t) => {
    const page = await fresh(t);
    const ref = await approvedCase(page);
    await recordBan(page);
    await page.getByTestId('action-end-date').fill('2027-09-10');
    await page.getByTestId('action-save').click();
    await page.getByTestId('action-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="review-state"][data-state="action_recorded"]').waitFor();

    await page.getByTestId('decision-appeal').check();
    await page.getByTestId('action-rationale').fill('Appeal received by email.');
    await page.getByTestId('record-action').click();
    const dialog = page.getByTestId('appeal-dialog');
    await dialog.waitFor();
    const deadline = page.getByTestId('appeal-deadline');
    await page.locator('[data-testid="appeal-deadline"][data-known="true"]').waitFor();
    assert.match(await deadline.textContent(), /Appeal possible until \d{4}-\d{2}-\d{2}/);
    const parties = await page.getByTestId('appeal-party').evaluateAll((els) => els.map((e) => `${e.dataset.name}:${e.dataset.role}`));
    assert.deepEqual(parties, ['Vandal42:sanctioned', 'SockPuppet7:sanctioned', 'Reporter_A:requesting']);

    // Someone who is no party: the backend refuses with a sentence, shown in the dialog.
    await page.getByTestId('appeal-party-other').check();
    await page.getByTestId('appeal-other-name').fill('Stranger');
    await page.getByTestId('appeal-save').click();
    await page.getByTestId('appeal-error-statement').waitFor();
    await page.getByTestId('appeal-statement').fill('The ban is disproportionate.');
    await page.getByTestId('appeal-save').click();
    const failure = page.getByTestId('appeal-failure');
    await failure.waitFor();
    assert.match(await failure.textContent(), /Stranger is not a party of the office action/);

    await page.locator('[data-testid="appeal-party"][data-name="Vandal42"]').check();
    await page.getByTestId('appeal-save').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('review-pending').waitFor();
    const [args] = (await argsOf(page, 'appeal_record')).slice(-1);
    assert.deepEqual(args, { reference: ref, appellant: 'Vandal42', appellant_role: 'sanctioned', statement: 'The ban is disproportionate.' });
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="review-state"][data-state="committee_review"]').waitFor();
  });

  it('refuses an appeal in the UI once the deadline has passed', async (t) => {
    const page = await fresh(t);
    const ref = await approvedCase(page);
    await recordBan(page);
    await page.getByTestId('action-end-date').fill('2027-09-10');
    await page.getByTestId('action-save').click();
    await page.getByTestId('action-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('sync').click();
    await page.locator('[data-testid="review-state"][data-state="action_recorded"]').waitFor();
    await mock(page, (r) => {
      window.__casebookMock.state.appealDeadlines[r] = '2026-01-01T00:00:00Z';
    }, ref);
    await page.getByTestId('decision-appeal').check();
    await page.getByTestId('action-rationale').fill('Late appeal.');
    await page.getByTestId('record-action').click();
    await page.getByTestId('appeal-closed').waitFor();
    assert.equal(await page.getByTestId('appeal-save').isDisabled(), true);
    assert.equal(await page.locator('[data-testid="appeal-deadline"]').getAttribute('data-closed'), 'true');
    await page.getByTestId('appeal-cancel').click();
    await page.getByTestId('appeal-dialog').waitFor({ state: 'detached' });
    assert.equal((await argsOf(page, 'appeal_record')).length, 0);
  });
});
