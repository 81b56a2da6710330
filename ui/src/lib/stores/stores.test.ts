// The stores against the in-memory backend, through the real IPC module.
import { beforeEach, describe, expect, it } from 'vitest';
import { createMockBackend, useMockBackend, type MockBackend } from '../ipc/mock';
import { session } from './session.svelte';
import { caseList } from './cases.svelte';
import { workspace, insertSorted } from './workspace.svelte';
import { notices } from './notices.svelte';
import { router } from './router.svelte';
import { language } from '../i18n/index.svelte';
import type { CaseEvent } from '../ipc';

let backend: MockBackend;

beforeEach(async () => {
  backend = createMockBackend(() => new Date('2026-04-01T12:00:00Z'));
  useMockBackend(backend);
  notices.clear();
  session.phase = 'loading';
  session.lockReason = null;
  workspace.clear();
  caseList.clear();
  await session.init();
});

describe('session', () => {
  it('starts on the create screen, then shows the fingerprint, then unlocks', async () => {
    expect(session.phase).toBe('create');
    expect(await session.create('correct horse battery staple')).toBe(true);
    expect(session.phase).toBe('created');
    expect(session.fingerprint).toBe(backend.state.fingerprint);
    session.enter();
    expect(session.phase).toBe('unlocked');
  });

  it('shows wrong_passphrase and stays locked', async () => {
    await session.create('correct horse battery staple');
    await session.lock();
    expect(session.phase).toBe('locked');
    expect(await session.unlock('wrong')).toBe(false);
    expect(session.phase).toBe('locked');
    expect(notices.error?.code).toBe('wrong_passphrase');
    expect(await session.unlock('correct horse battery staple')).toBe(true);
    expect(notices.error).toBeNull();
    expect(session.phase).toBe('unlocked');
  });

  it('drops every piece of case data on lock', async () => {
    await session.create('correct horse battery staple');
    session.enter();
    const c = await caseList.create({ title: 'T', kind: 'harassment' });
    router.openCase(c!.reference);
    await workspace.open(c!.reference);
    await workspace.addSubject({ username: 'U', wiki: 'w', role: 'witness' });
    expect(workspace.subjects).toHaveLength(1);
    session.dropAll('idle');
    expect(session.phase).toBe('locked');
    expect(session.lockReason).toBe('idle');
    expect(workspace.current).toBeNull();
    expect(workspace.subjects).toHaveLength(0);
    expect(caseList.cases).toHaveLength(0);
    expect(router.route).toEqual({ name: 'cases' });
  });

  it('pings activity at most once per 15 s and only when unlocked', async () => {
    expect(session.touch()).toBe(false);
    await session.create('correct horse battery staple');
    session.enter();
    expect(session.touch()).toBe(true);
    expect(session.touch()).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(backend.state.calls.filter((c) => c === 'activity')).toHaveLength(1);
  });

  it('persists the language through settings_set', async () => {
    await session.create('correct horse battery staple');
    await session.setLanguage('es');
    expect(language()).toBe('es');
    expect(backend.state.language).toBe('es');
    await session.setLanguage('en');
  });
});

describe('cases and workspace', () => {
  beforeEach(async () => {
    await session.create('correct horse battery staple');
    session.enter();
  });

  it('applies kind templates and filters', async () => {
    await caseList.create({ title: 'Threat', kind: 'threat_of_harm' });
    await caseList.create({ title: 'CP', kind: 'child_protection' });
    expect(caseList.cases.map((c) => c.priority)).toEqual(['urgent', 'high']);
    expect(caseList.cases[1]!.default_sensitivity).toBe('restricted');
    await caseList.setFilter({ priority: 'urgent' });
    expect(caseList.cases.map((c) => c.title)).toEqual(['Threat']);
    await caseList.setFilter({ priority: undefined });
    expect(caseList.filter).toEqual({});
    expect(caseList.cases).toHaveLength(2);
  });

  it('reports create errors with their code', async () => {
    expect(await caseList.create({ title: '  ', kind: 'other' })).toBeNull();
    expect(notices.error?.code).toBe('invalid_input');
  });

  it('keeps events in time order as they are added and edited', async () => {
    const c = (await caseList.create({ title: 'T', kind: 'harassment' }))!;
    await workspace.open(c.reference);
    const add = (at: string, summary: string) =>
      workspace.saveEvent({ occurred_at: at, precision: 'minute', actor: 'A', summary });
    await add('2026-01-03T00:00:00Z', 'third');
    await add('2026-01-01T00:00:00Z', 'first');
    const second = await add('2026-01-05T00:00:00Z', 'second');
    await workspace.saveEvent(
      { occurred_at: '2026-01-02T00:00:00Z', precision: 'day', actor: 'A', summary: 'second' },
      second!.id,
    );
    expect(workspace.events.map((e) => e.summary)).toEqual(['first', 'second', 'third']);
    expect(workspace.events[1]!.precision).toBe('day');
  });

  it('records reveals of restricted evidence', async () => {
    const c = (await caseList.create({ title: 'CP', kind: 'child_protection' }))!;
    await workspace.open(c.reference);
    await workspace.addEvidence(['/evidence/a.png']);
    const ev = workspace.evidence[0]!;
    expect(ev.sensitivity).toBe('restricted');
    expect(workspace.revealed.has(ev.id)).toBe(false);
    expect(await workspace.reveal(ev.id)).toBe(true);
    expect(workspace.revealed.has(ev.id)).toBe(true);
    expect(backend.state.audit.at(-1)!.action).toBe('evidence.reveal');
  });

  it('stops adding files at the first failure and says why', async () => {
    const c = (await caseList.create({ title: 'T', kind: 'other' }))!;
    await workspace.open(c.reference);
    const n = await workspace.addEvidence(['/a.txt', '/missing.txt', '/b.txt']);
    expect(n).toBe(1);
    expect(notices.error?.code).toBe('io');
  });
});

describe('insertSorted', () => {
  const e = (id: string, at: string) => ({ id, occurred_at: at }) as CaseEvent;
  it('inserts after equal times', () => {
    const list = [e('a', '2026-01-01T00:00:00Z'), e('b', '2026-01-02T00:00:00Z')];
    expect(insertSorted(list, e('c', '2026-01-01T00:00:00Z')).map((x) => x.id)).toEqual(['a', 'c', 'b']);
    expect(insertSorted([], e('c', '2026-01-01T00:00:00Z')).map((x) => x.id)).toEqual(['c']);
  });
});

describe('review', () => {
  it('reads progress from the shapes a channel may carry', async () => {
    const { progressFraction } = await import('./review.svelte');
    expect(progressFraction({ done: 1, total: 4 })).toBe(0.25);
    expect(progressFraction({ bytes: 50, total: 100 })).toBe(0.5);
    expect(progressFraction(0.3)).toBe(0.3);
    expect(progressFraction(75)).toBe(0.75);
    expect(progressFraction({ done: 5, total: 0 })).toBe(0);
    expect(progressFraction(null)).toBe(0);
  });

  it('submits, syncs, opens and decides through the contract', async () => {
    const { review } = await import('./review.svelte');
    await session.create('correct horse battery staple');
    session.enter();
    expect(await review.enrol('https://review.example.org', 'ENROL-OK', 'laptop')).toBe(true);
    expect(review.directory.length).toBeGreaterThan(1);
    const c = (await caseList.create({ title: 'T', kind: 'harassment' }))!;
    const item = await review.submit(c.reference, ['R3VW-PL6N-QE2B-HT5S']);
    expect(item?.state).toBe('queued');
    const result = await review.sync();
    expect(result).toMatchObject({ pushed: 1, pulled: 2, offline: false });
    expect(review.outbox.every((o) => o.state === 'sent')).toBe(true);
    expect(await review.open('bundle-tampered')).toBeNull();
    expect(notices.error?.code).toBe('bad_signature');
    const opened = await review.open('bundle-good');
    expect(opened?.checks.every((x) => x.ok)).toBe(true);
    expect(await review.decide(opened!.case_reference, 'approve', 'ok')).toMatchObject({ kind: 'decision' });
    session.dropAll('manual');
    expect(review.outbox).toHaveLength(0);
    expect(review.opened).toBeNull();
  });
});
