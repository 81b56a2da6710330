// The review commands of the mock backend (docs/desktop.md, "Review commands"): enrolment, the
// key directory, sealing into the outbox, sync, the inbox and signed decisions.
import type { Args, MockContext } from './mock';
import { fail } from './mock';
import type { OutboxItem } from './types';

interface ProgressSink {
  onmessage?: (m: { done: number; total: number }) => void;
}

export async function handleReview(ctx: MockContext, cmd: string, a: Args, payload: Args | undefined): Promise<unknown> {
  const { state, now, nextId, str, findCase, audit } = ctx;
  switch (cmd) {
  case 'sync_enroll': {
    const server = str(a, 'server');
    if (!/^https:\/\//.test(server) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(server))
      fail('invalid_input', 'the server URL must use https (or http on loopback)');
    if (str(a, 'token') !== 'ENROL-OK') fail('enrolment_refused', 'the enrolment token is unknown or used');
    str(a, 'device_name');
    state.server = { server, user: state.owner, fingerprint: state.fingerprint };
    state.directory = [
      { name: state.owner, roles: ['investigator'], fingerprint: state.fingerprint, revoked: false },
      { name: 'Reviewer One', roles: ['reviewer'], fingerprint: 'R3VW-PL6N-QE2B-HT5S', revoked: false },
      { name: 'Legal Two', roles: ['reviewer', 'committee'], fingerprint: 'L2GL-9XPQ-MM4C-7WEA', revoked: false },
      { name: 'Former Reviewer', roles: ['reviewer'], fingerprint: 'F0RM-ER8R-EV1E-WER9', revoked: true },
    ];
    return state.server;
  }
  case 'directory_list':
    return state.directory;
  case 'case_submit': {
    const c = findCase(str(a, 'reference'));
    if (c.origin) fail('read_only', 'a received case cannot be submitted');
    const reviewers = Array.isArray(a.reviewers) ? (a.reviewers as string[]) : [];
    if (reviewers.length === 0) fail('invalid_input', 'choose at least one reviewer');
    const sink = payload?.onProgress as ProgressSink | undefined;
    for (let done = 1; done <= 4; done++) {
      sink?.onmessage?.({ done: done * 256, total: 1024 });
      await new Promise((r) => setTimeout(r, 40));
    }
    const item: OutboxItem = { id: nextId(), case_reference: c.reference, kind: 'submission', state: 'queued', bytes_sent: 0, size: 48_213 };
    state.outbox.push(item);
    c.status = 'submitted';
    audit('case.submit', c.id, item.id);
    return item;
  }
  case 'outbox_list':
    return state.outbox;
  case 'sync_run': {
    if (!state.server) fail('not_enrolled', 'this device is not enrolled with a review server');
    if (state.offline) return { pushed: 0, pulled: 0, decisions: 0, offline: true };
    const pushed = state.outbox.filter((o) => o.state !== 'sent').length;
    for (const o of state.outbox) {
      o.state = 'sent';
      o.bytes_sent = o.size;
    }
    let pulled = 0;
    if (state.inbox.length === 0) {
      state.inbox.push(
        { id: 'bundle-good', case_reference: 'TS-2026-0107', author: 'Investigator Two', author_fingerprint: 'I2NV-ST8G-AT0R-2KEY', kind: 'submission', size: 2_483_120, received_at: now().toISOString(), opened: false },
        { id: 'bundle-tampered', case_reference: 'TS-2026-0110', author: 'Unknown', author_fingerprint: 'XXXX-XXXX-XXXX-XXXX', kind: 'submission', size: 90_112, received_at: now().toISOString(), opened: false },
      );
      pulled = 2;
    }
    return { pushed, pulled, decisions: 0, offline: false };
  }
  case 'inbox_list':
    return state.inbox;
  case 'inbox_open': {
    const id = str(a, 'id');
    const item = state.inbox.find((i) => i.id === id) ?? fail('not_found', `bundle ${id}`);
    const sink = payload?.onProgress as ProgressSink | undefined;
    for (let done = 1; done <= 4; done++) {
      sink?.onmessage?.({ done, total: 4 });
      await new Promise((r) => setTimeout(r, 40));
    }
    if (id === 'bundle-tampered')
      fail('bad_signature', 'the envelope signature does not verify against the key directory; nothing was imported');
    item.opened = true;
    if (!state.cases.some((c) => c.reference === item.case_reference))
      state.cases.push({
        id: nextId(),
        reference: item.case_reference,
        title: 'Harassment campaign against a steward (received)',
        kind: 'harassment',
        status: 'in_review',
        priority: 'high',
        summary: '',
        opened_at: '2026-08-30T10:00:00Z',
        legal_hold: false,
        default_sensitivity: 'normal',
        origin: item.author_fingerprint,
      });
    return {
      case_reference: item.case_reference,
      author: item.author,
      fingerprint: item.author_fingerprint,
      checks: [
        { name: 'envelope signature (Ed25519) from a directory key', ok: true },
        { name: 'sequence number newer than any seen', ok: true },
        { name: 'ciphertext SHA-256 matches the envelope', ok: true },
        { name: 'manifest signature', ok: true },
        { name: 'every evidence blob hash (14 of 14)', ok: true },
        { name: 'audit chain of the case (213 rows)', ok: true },
      ],
    };
  }
  case 'review_decide': {
    const c = findCase(str(a, 'reference'));
    const decision = str(a, 'decision');
    if (!['approve', 'decline', 'changes_requested'].includes(decision)) fail('invalid_input', `unknown decision ${decision}`);
    if (!c.origin) fail('invalid_input', 'the author cannot decide on their own case');
    if (!str(a, 'rationale', false).trim()) fail('invalid_input', 'a rationale is required');
    const item: OutboxItem = { id: nextId(), case_reference: c.reference, kind: 'decision', state: 'queued', bytes_sent: 0, size: 1_532 };
    state.outbox.push(item);
    audit(`review.${decision}`, c.id, item.id);
    return item;
  }
    default:
      return fail('unknown_command', `mock backend has no command ${cmd}`);
  }
}
