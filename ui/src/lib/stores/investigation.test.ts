// The investigation stores against the in-memory backend, through the real IPC module.
import { beforeEach, describe, expect, it } from 'vitest';
import { createMockBackend, useMockBackend, type MockBackend } from '../ipc/mock';
import { session } from './session.svelte';
import { caseList } from './cases.svelte';
import { workspace } from './workspace.svelte';
import { notices } from './notices.svelte';
import { review } from './review.svelte';
import { applyResult, applyUpdate, imports, initialRows, overall, type ImportRow } from './imports.svelte';
import * as ipc from '../ipc';

let backend: MockBackend;

beforeEach(async () => {
  backend = createMockBackend(() => new Date('2026-04-01T12:00:00Z'));
  useMockBackend(backend);
  notices.clear();
  session.phase = 'loading';
  workspace.clear();
  caseList.clear();
  imports.clear();
  await session.init();
  await session.create('correct horse battery staple');
  session.enter();
});

/** Polls until `cond` holds (no timing assertion: a real hang fails the test's timeout). */
async function until(cond: () => boolean) {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

async function openCase() {
  const c = (await caseList.create({ title: 'T', kind: 'harassment' }))!;
  await workspace.open(c.reference);
  return c.reference;
}

describe('import rows', () => {
  const accounts = [
    { username: 'A', apis: ['https://en.wikipedia.org/w/api.php', 'https://es.wikipedia.org/w/api.php'] },
    { username: 'B', apis: ['https://en.wikipedia.org/w/api.php'] },
  ];
  it('starts with one waiting row per account and wiki host', () => {
    expect(initialRows(accounts).map((r) => [r.wiki, r.account, r.state])).toEqual([
      ['en.wikipedia.org', 'A', 'pending'],
      ['es.wikipedia.org', 'A', 'pending'],
      ['en.wikipedia.org', 'B', 'pending'],
    ]);
  });
  it('folds each list into its account × wiki row, adds unknown rows, settles from the result', () => {
    const total = { pages_fetched: 0, items_stored: 0, items_already_known: 0 };
    let rows: ImportRow[] = initialRows(accounts);
    rows = applyUpdate(rows, { wiki: 'en.wikipedia.org', account: 'A', list: 'contributions', pages_fetched: 2, items_stored: 9, items_already_known: 1, state: 'running', message: null, total });
    rows = applyUpdate(rows, { wiki: 'en.wikipedia.org', account: 'A', list: 'logs', pages_fetched: 1, items_stored: 3, items_already_known: 0, state: 'done', message: null, total });
    rows = applyUpdate(rows, { wiki: 'wiki.example.org', account: 'A', list: 'logs', pages_fetched: 1, items_stored: 1, items_already_known: 0, state: 'done', message: null, total });
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ pages_fetched: 3, items_stored: 12, items_already_known: 1, state: 'running' });
    // Contributions not seen yet: the new row is still running.
    expect(rows[3]).toMatchObject({ state: 'running' });
    rows = applyUpdate(rows, { wiki: 'en.wikipedia.org', account: 'A', list: 'contributions', pages_fetched: 3, items_stored: 12, items_already_known: 1, state: 'done', message: null, total });
    expect(rows[0]).toMatchObject({ items_stored: 15, state: 'done' });
    rows = applyUpdate(rows, { wiki: 'en.wikipedia.org', account: 'A', list: 'abuselog', pages_fetched: 0, items_stored: 0, items_already_known: 0, state: 'done', message: 'AbuseFilter is not available on this wiki', total });
    expect(rows[0]).toMatchObject({ state: 'done', message: 'AbuseFilter is not available on this wiki' });
    expect(overall(rows)).toEqual({ done: 1, total: 4 });
    rows = applyResult(rows, {
      wikis: [
        { wiki: 'en.wikipedia.org', api: '', users: ['A', 'B'], state: 'done', message: '', import_id: '1', pages_fetched: 2, items_stored: 9, items_already_known: 1 },
        { wiki: 'es.wikipedia.org', api: '', users: ['A'], state: 'queued', message: 'unreachable', import_id: '2', pages_fetched: 0, items_stored: 0, items_already_known: 0 },
        { wiki: 'wiki.example.org', api: '', users: ['A'], state: 'done', message: '', import_id: '3', pages_fetched: 1, items_stored: 1, items_already_known: 0 },
      ],
    });
    expect(rows.map((r) => r.state)).toEqual(['done', 'queued', 'done', 'done']);
    expect(rows[1]!.message).toBe('unreachable');
    expect(overall(rows)).toEqual({ done: 4, total: 4 });
  });

});

describe('wiki import', () => {
  it('imports accounts on several wikis with progress; an unreachable wiki is queued, then resumed', async () => {
    const reference = await openCase();
    backend.state.importStepMs = 1;
    backend.state.unreachable = ['es.wikipedia.org'];
    await imports.start({
      reference,
      accounts: [{ username: 'Vandal42', apis: ['https://en.wikipedia.org/w/api.php', 'https://es.wikipedia.org/w/api.php'] }],
      with_content: false,
    });
    expect(imports.phase).toBe('finished');
    expect(imports.rows.map((r) => [r.wiki, r.state])).toEqual([
      ['en.wikipedia.org', 'done'],
      ['es.wikipedia.org', 'queued'],
    ]);
    expect(imports.total.items_stored).toBe(20);
    expect(workspace.events).toHaveLength(20);
    expect(imports.queued).toHaveLength(1);
    const call = backend.state.log.find((l) => l.cmd === 'import_start')!;
    expect(Object.keys(call.args).sort()).toEqual(['accounts', 'job_id', 'reference', 'with_content']);

    backend.state.unreachable = [];
    await imports.resume();
    expect(imports.rows.map((r) => r.state)).toEqual(['done']);
    expect(imports.queued).toHaveLength(0);
    expect(workspace.events).toHaveLength(40);
  });

  it('cancels a running import; stored pages stay', async () => {
    const reference = await openCase();
    backend.state.importStepMs = 1;
    backend.state.holdAfter = 2;
    const running = imports.start({ reference, accounts: [{ username: 'A', apis: ['https://en.wikipedia.org/w/api.php'] }], with_content: true });
    await until(() => imports.rows[0]?.pages_fetched === 2);
    await imports.cancel();
    await running;
    expect(imports.phase).toBe('cancelled');
    expect(imports.rows[0]!.state).toBe('cancelled');
    expect(backend.state.jobs.size).toBe(0);
    // Two pages of five edits were committed before the cancel.
    expect(workspace.events).toHaveLength(10);
    expect(notices.error).toBeNull();
  });
});

describe('case and review', () => {
  it('updates status, priority, hold and assignee; the header reflects a submit at once', async () => {
    const reference = await openCase();
    await workspace.update({ priority: 'urgent', legal_hold: true, assignee: 'Ana' });
    expect(workspace.current).toMatchObject({ priority: 'urgent', legal_hold: true, assignee: 'Ana', status: 'open' });
    await review.enrol('https://review.example.org', 'ENROL-OK', 'laptop');
    await review.submit(reference, ['R3VW-PL6N-QE2B-HT5S']);
    expect(workspace.current?.status).toBe('submitted');
    // The reviewers approve; sync brings the state and the header follows.
    backend.state.reviewStates[reference] = 'approved';
    await review.sync();
    expect(workspace.current?.status).toBe('approved');
    expect(review.stateOf(workspace.current!)).toBe('approved');
    expect(await review.decide(reference, 'warning', 'first offence')).toMatchObject({ decision: 'warning' });
    expect(workspace.current?.status).toBe('action_recorded');
  });

  it('cancels a submit: nothing reaches the outbox', async () => {
    const reference = await openCase();
    await review.enrol('https://review.example.org', 'ENROL-OK', 'laptop');
    backend.state.holdAfter = 1;
    const p = review.submit(reference, ['R3VW-PL6N-QE2B-HT5S']);
    await until(() => (review.progress ?? 0) > 0);
    expect(review.jobId).not.toBeNull();
    await review.cancel();
    expect(await p).toBeNull();
    expect(backend.state.outbox).toHaveLength(0);
    expect(notices.info).toMatch(/Cancelled/);
  });

  it('reveals non-public fields only with a reason, and exports evidence', async () => {
    const reference = await openCase();
    backend.seedDemo(reference);
    await workspace.refreshData();
    const vandal = workspace.subjects.find((s) => s.username === 'Vandal42')!;
    expect(await workspace.revealSubject(vandal.id, '  ')).toBeNull();
    expect(notices.error?.code).toBe('invalid_input');
    const s = await workspace.revealSubject(vandal.id, 'checkuser request');
    expect(s?.nonpublic.email).toBe('vandal42@example.net');
    expect(workspace.revealedSubjects.get(vandal.id)?.ip).toBe('203.0.113.42');
    await workspace.addEvidence(['/home/inv/diff.png']);
    const ev = workspace.evidence[0]!;
    expect(await workspace.exportEvidence(ev.id, '/tmp/out.png')).toMatchObject({ id: ev.id });
    expect(backend.state.files['/tmp/out.png']).toBe(ev.size);
    expect(backend.state.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['subject.reveal_nonpublic', 'evidence.export']));
    session.dropAll('manual');
    expect(workspace.revealedSubjects.size).toBe(0);
  });

  it('passes exact argument names to every new command', async () => {
    await openCase();
    const id = ipc.newJobId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await ipc.jobCancel('nothing-running')).toEqual({ cancelled: false });
    await ipc.wikiListSet([{ name: 'Test', api: 'http://127.0.0.1:8080/api.php' }]);
    expect(await ipc.wikiList()).toEqual([{ name: 'Test', api: 'http://127.0.0.1:8080/api.php' }]);
    await expect(ipc.wikiListSet([{ name: 'Bad', api: 'https://x.org/index.php' }])).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await ipc.wikiAttached('https://meta.wikimedia.org/w/api.php', 'A')).toMatchObject({ available: true });
    expect(await ipc.wikiAttached('http://127.0.0.1:8080/api.php', 'A')).toMatchObject({ available: false });
    expect(await ipc.pendingFileTake()).toBeNull();
    const named = backend.state.log.filter((l) => ['job_cancel', 'wiki_list_set', 'wiki_attached'].includes(l.cmd)).map((l) => [l.cmd, Object.keys(l.args).sort()]);
    expect(named).toEqual([
      ['job_cancel', ['job_id']],
      ['wiki_list_set', ['wikis']],
      ['wiki_list_set', ['wikis']],
      ['wiki_attached', ['api', 'username']],
      ['wiki_attached', ['api', 'username']],
    ]);
  });
});
