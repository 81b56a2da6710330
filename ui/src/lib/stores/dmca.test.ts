// The DMCA store and the office-action / appeal commands against the in-memory backend.
import { beforeEach, describe, expect, it } from 'vitest';
import { createMockBackend, useMockBackend, type MockBackend } from '../ipc/mock';
import { session } from './session.svelte';
import { workspace } from './workspace.svelte';
import { notices } from './notices.svelte';
import { dmca } from './dmca.svelte';
import * as ipc from '../ipc';

let backend: MockBackend;
// A Wednesday: "last Friday" is 2026-09-04, Labor Day the Monday after.
const NOW = new Date('2026-09-09T12:00:00Z');

beforeEach(async () => {
  backend = createMockBackend(() => NOW);
  useMockBackend(backend);
  notices.clear();
  session.phase = 'loading';
  workspace.clear();
  dmca.clear();
  await session.init();
  await session.create('correct horse battery staple');
  session.enter();
});

describe('DMCA notices', () => {
  it('seeds one incomplete notice and one countered takedown whose window follows last Friday', async () => {
    const reference = backend.seedDmca();
    await dmca.load(reference);
    expect(dmca.list).toHaveLength(2);
    const [countered, incomplete] = dmca.list;
    expect(countered!.counter_notice!.received_at.slice(0, 10)).toBe('2026-09-04');
    expect(countered!.restore_window).toEqual(['2026-09-21', '2026-09-25']);
    expect(incomplete!.complete).toBe(false);
    expect(incomplete!.missing).toEqual(['accuracy', 'signature']);
    // Non-public: redacted in every listing.
    expect(countered!.complainant).toEqual({ name: '[redacted]', address: '[redacted]', email: '[redacted]', phone: '[redacted]' });
    expect(incomplete!.complainant.address).toBe('');
  });

  it('reveals the complainant with a reason, audited in the access log', async () => {
    const reference = backend.seedDmca();
    await dmca.load(reference);
    const id = dmca.list[0]!.id;
    expect(await dmca.reveal(id, '')).toBe(false);
    expect(notices.error?.code).toBe('invalid_input');
    expect(await dmca.reveal(id, 'Court order 2026/114')).toBe(true);
    expect(dmca.revealed.get(id)?.email).toBe('ana@costa-photo.example');
    const log = await ipc.accessLog(reference);
    expect(log.map((r) => r.reason)).toContain('Court order 2026/114');
  });

  it('refuses a takedown while incomplete, then runs takedown, notice and counter-notice', async () => {
    const c = await ipc.caseCreate({ title: 'DMCA', kind: 'dmca' });
    await workspace.open(c.reference);
    await dmca.load(c.reference);
    const input = {
      work: 'Song lyrics',
      material: 'Quoted in full',
      urls: ['https://en.wikipedia.org/wiki/Song'],
      complainant: { name: 'Label Ltd', address: '', email: 'legal@label.example', phone: '' },
      good_faith: true,
      accuracy: false,
      signature: '',
    };
    const n = (await dmca.add(input))!;
    expect(n.missing).toEqual(['accuracy', 'signature']);
    expect(await dmca.takedown(n.id, [{ wiki: 'en.wikipedia.org', page: 'Song', revisions: [1] }])).toBeNull();
    expect(notices.error?.code).toBe('invalid_input');

    const fixed = (await dmca.update(n.id, { ...input, accuracy: true, signature: '/Label Ltd/' }))!;
    expect(fixed.complete).toBe(true);
    const taken = (await dmca.takedown(n.id, [{ wiki: 'en.wikipedia.org', page: 'Song', revisions: [11, 12] }]))!;
    expect(taken.takedown?.items[0]?.revisions).toEqual([11, 12]);
    const notified = (await dmca.notify(n.id, 'Uploader1'))!;
    expect(notified.uploader_notified_at).toBe('2026-09-09T12:00:00Z');
    const countered = (await dmca.counter(n.id, 'Uploader1', 'Fair use.', '2026-09-04T10:00:00Z'))!;
    expect(countered.restore_window).toEqual(['2026-09-21', '2026-09-25']);
    const entry = (await dmca.archive(n.id))!;
    expect(entry).toContain('Song');
    expect(entry).not.toContain('legal@label.example');
  });
});

describe('office action and appeal', () => {
  async function approvedCase() {
    const c = await ipc.caseCreate({ title: 'Ban', kind: 'global_ban' });
    await ipc.subjectAdd({ reference: c.reference, username: 'Reporter_A', wiki: 'en.wikipedia.org', role: 'reporter' });
    backend.state.cases.find((x) => x.reference === c.reference)!.status = 'approved';
    backend.state.reviewStates[c.reference] = 'approved';
    return c.reference;
  }

  it('records an office action only after approval, with its accounts', async () => {
    const open = await ipc.caseCreate({ title: 'Open', kind: 'harassment' });
    await expect(ipc.actionRecord(open.reference, { kind: 'global_ban', accounts: [{ username: 'V', wiki: 'en.wikipedia.org' }], effective_on: '2026-09-09' })).rejects.toMatchObject({ code: 'invalid_input' });
    const reference = await approvedCase();
    await expect(ipc.actionRecord(reference, { kind: 'event_ban', accounts: [{ username: 'V', wiki: 'en.wikipedia.org' }], effective_on: '2026-09-09' })).rejects.toMatchObject({ code: 'invalid_input' });
    const a = await ipc.actionRecord(reference, { kind: 'global_ban', accounts: [{ username: 'Vandal42', wiki: 'en.wikipedia.org' }], effective_on: '2026-09-09', review_on: '2027-09-09' });
    expect(a.status).toBe('active');
    expect(backend.state.outbox.at(-1)).toMatchObject({ case_reference: reference, decision: 'global_ban', state: 'queued' });
    expect((await ipc.caseGet(reference)).status).toBe('action_recorded');
  });

  it('takes an appeal from a party within the window only', async () => {
    const reference = await approvedCase();
    await ipc.actionRecord(reference, { kind: 'global_ban', accounts: [{ username: 'Vandal42', wiki: 'en.wikipedia.org' }], effective_on: '2026-09-09' });
    await expect(ipc.appealRecord(reference, 'Stranger', 'sanctioned', 'Unfair.')).rejects.toMatchObject({ code: 'invalid_input', message: 'Stranger is not a party of the office action' });
    const item = await ipc.appealRecord(reference, 'Reporter_A', 'requesting', 'Too lenient.');
    expect(item.kind).toBe('appeal');
    backend.state.appealDeadlines[reference] = '2026-09-01T00:00:00Z';
    await expect(ipc.appealRecord(reference, 'Vandal42', 'sanctioned', 'Unfair.')).rejects.toMatchObject({ message: 'the appeal window closed on 2026-09-01' });
  });
});
