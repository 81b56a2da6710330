// The review commands of the mock backend (docs/desktop.md, "Review commands"): enrolment, the
// key directory, sealing into the outbox, sync, the inbox and signed decisions; and the bundle
// files of "Investigation commands" (seal to a file, open a file).
import type { Args, MockContext, MockJob } from './mock-context';
import { fail } from './mock-context';
import type { CaseStatus, OpenedBundle, OutboxItem } from './types';

interface ProgressSink {
  onmessage?: (m: { done: number; total: number }) => void;
}

export const REVIEW_COMMANDS = new Set([
  'sync_enroll',
  'directory_list',
  'case_submit',
  'outbox_list',
  'sync_run',
  'inbox_list',
  'inbox_open',
  'review_decide',
  'bundle_seal_file',
  'bundle_open_file',
]);

/** The review server's rules (casebook-server's cycle.rs), without roles: state → decisions. */
const NEXT: Record<string, Partial<Record<string, string>>> = {
  submitted: { approve: 'approved', decline: 'declined', changes_requested: 'changes_requested' },
  in_review: { approve: 'approved', decline: 'declined', changes_requested: 'changes_requested' },
  approved: { global_ban: 'action_recorded', event_ban: 'action_recorded', warning: 'action_recorded', no_action: 'action_recorded' },
  action_recorded: { close: 'closed', appeal: 'committee_review' },
  declined: { close: 'closed' },
  closed: { appeal: 'committee_review' },
  committee_review: { uphold: 'upheld', overturn: 'overturned' },
  upheld: { close: 'closed' },
  overturned: { close: 'closed' },
};
const JUDGES = new Set(['approve', 'decline', 'changes_requested', 'uphold', 'overturn']);
const STATUS_OF: Record<string, CaseStatus> = {
  submitted: 'submitted',
  in_review: 'in_review',
  changes_requested: 'changes_requested',
  approved: 'approved',
  declined: 'declined',
  action_recorded: 'action_recorded',
  closed: 'closed',
};

const GOOD_CHECKS = [
  { name: 'envelope signature (Ed25519) from a directory key', ok: true },
  { name: 'sequence number newer than any seen', ok: true },
  { name: 'ciphertext SHA-256 matches the envelope', ok: true },
  { name: 'manifest signature', ok: true },
  { name: 'every evidence blob hash (14 of 14)', ok: true },
  { name: 'audit chain of the case (213 rows)', ok: true },
];

export async function handleReview(ctx: MockContext, cmd: string, a: Args, payload: Args | undefined): Promise<unknown> {
  const { state, now, nextId, str, findCase, audit, startJob, checkCancelled, checkpoint, sleep } = ctx;
  const sink = payload?.onProgress as ProgressSink | undefined;
  /** An optional job_id (case_submit, sync_run): registered when given. */
  const optionalJob = (): { job: MockJob; done: () => void } =>
    a.job_id === undefined ? { job: { cancelled: false }, done: () => {} } : startJob(a);
  const receivedCase = (reference: string, origin: string) => {
    if (!state.cases.some((c) => c.reference === reference))
      state.cases.push({
        id: nextId(),
        reference,
        title: 'Harassment campaign against a steward (received)',
        kind: 'harassment',
        status: 'in_review',
        priority: 'high',
        summary: '',
        opened_at: '2026-08-30T10:00:00Z',
        legal_hold: false,
        default_sensitivity: 'normal',
        assignee: '',
        origin,
      });
    state.reviewStates[reference] ??= 'in_review';
  };
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
    const { job, done } = optionalJob();
    try {
      for (let step = 1; step <= 4; step++) {
        await checkpoint(job, step - 1);
        sink?.onmessage?.({ done: step * 256, total: 1024 });
        await sleep(40);
      }
      checkCancelled(job);
    } finally {
      done();
    }
    const item: OutboxItem = { id: nextId(), case_reference: c.reference, kind: 'submission', decision: '', state: 'queued', message: '', bytes_sent: 0, size: 48_213 };
    state.outbox.push(item);
    c.status = 'submitted';
    state.reviewStates[c.reference] = 'submitted';
    audit('case.submit', c.id, item.id);
    return item;
  }
  case 'outbox_list':
    return state.outbox;
  case 'sync_run': {
    if (!state.server) fail('not_enrolled', 'this device is not enrolled with a review server');
    const { job, done } = optionalJob();
    try {
      if (state.offline) return { pushed: 0, pulled: 0, decisions: 0, offline: true, refused: [], cases: [] };
      let pushed = 0;
      for (const o of state.outbox) {
        if (o.state === 'sent') continue;
        await checkpoint(job, pushed);
        await sleep(30);
        o.state = 'sent';
        o.bytes_sent = o.size;
        pushed++;
      }
      let pulled = 0;
      if (state.inbox.length === 0) {
        state.inbox.push(
          { id: 'bundle-good', case_reference: 'TS-2026-0107', author: 'Investigator Two', author_fingerprint: 'I2NV-ST8G-AT0R-2KEY', kind: 'submission', decision: '', size: 2_483_120, received_at: now().toISOString(), opened: false },
          { id: 'bundle-tampered', case_reference: 'TS-2026-0110', author: 'Unknown', author_fingerprint: 'XXXX-XXXX-XXXX-XXXX', kind: 'submission', decision: '', size: 90_112, received_at: now().toISOString(), opened: false },
        );
        pulled = 2;
      }
      // The server's state of every case this vault sent or received moves the local status.
      const cases = Object.entries(state.reviewStates).map(([reference, st]) => {
        const c = state.cases.find((x) => x.reference === reference);
        const status = STATUS_OF[st];
        if (c && status) c.status = status;
        return { case_id: c?.id ?? reference, case_reference: c ? reference : null, state: st, approvals: [], approvals_needed: 2, transitions: 1, verified: true, unverified: [] };
      });
      return { pushed, pulled, decisions: 0, offline: false, refused: [], cases };
    } finally {
      done();
    }
  }
  case 'inbox_list':
    return state.inbox;
  case 'inbox_open': {
    const id = str(a, 'id');
    const item = state.inbox.find((i) => i.id === id) ?? fail('not_found', `bundle ${id}`);
    for (let done = 1; done <= 4; done++) {
      sink?.onmessage?.({ done, total: 4 });
      await sleep(40);
    }
    if (id === 'bundle-tampered')
      fail('bad_signature', 'the envelope signature does not verify against the key directory; nothing was imported');
    item.opened = true;
    receivedCase(item.case_reference, item.author_fingerprint);
    return { case_reference: item.case_reference, author: item.author, fingerprint: item.author_fingerprint, checks: GOOD_CHECKS } satisfies OpenedBundle;
  }
  case 'review_decide': {
    const c = findCase(str(a, 'reference'));
    const decision = str(a, 'decision');
    if (!Object.values(NEXT).some((n) => decision in n)) fail('invalid_input', `unknown decision ${decision}`);
    if (JUDGES.has(decision) && !c.origin) fail('invalid_input', 'the author cannot decide on their own case');
    if (!str(a, 'rationale', false).trim()) fail('invalid_input', 'a rationale is required');
    const current = state.reviewStates[c.reference];
    if (!current) fail('invalid_input', `${c.reference} has not been submitted for review`);
    const next = NEXT[current!]?.[decision];
    if (!next) fail('out_of_order', `a case that is ${current} cannot take the decision ${decision}`);
    state.reviewStates[c.reference] = next!;
    if (STATUS_OF[next!]) c.status = STATUS_OF[next!]!;
    const kind = decision === 'appeal' ? 'appeal' : 'decision';
    const item: OutboxItem = { id: nextId(), case_reference: c.reference, kind, decision, state: 'queued', message: '', bytes_sent: 0, size: 1_532 };
    state.outbox.push(item);
    audit(`review.${decision}`, c.id, item.id);
    return item;
  }
  case 'bundle_seal_file': {
    const c = findCase(str(a, 'reference'));
    const recipients = Array.isArray(a.recipients) ? (a.recipients as string[]) : [];
    if (recipients.length === 0) fail('invalid_input', 'choose at least one recipient');
    const to = str(a, 'to');
    if (to.includes('missing')) fail('io', `cannot write ${to}`);
    const { job, done } = startJob(a);
    try {
      const total = 6 * 65_536;
      for (let step = 1; step <= 6; step++) {
        await checkpoint(job, step - 1);
        sink?.onmessage?.({ done: step * 65_536, total });
        await sleep(state.importStepMs / 2);
      }
      checkCancelled(job);
      state.files[to] = total;
      audit('bundle.seal_file', c.id, to);
      return { path: to, bundle_id: nextId(), size: total };
    } finally {
      done();
    }
  }
  case 'bundle_open_file': {
    const path = str(a, 'path');
    const { job, done } = startJob(a);
    try {
      for (let step = 1; step <= 4; step++) {
        await checkpoint(job, step - 1);
        sink?.onmessage?.({ done: step, total: 4 });
        await sleep(40);
      }
    } finally {
      done();
    }
    if (path.includes('tampered'))
      fail('tampered', 'a blob hash does not match the manifest; nothing was imported');
    if (path.includes('missing')) fail('io', `cannot read ${path}`);
    const reference = 'TS-2026-0201';
    receivedCase(reference, 'I2NV-ST8G-AT0R-2KEY');
    return { case_reference: reference, author: 'Investigator Two', fingerprint: 'I2NV-ST8G-AT0R-2KEY', checks: GOOD_CHECKS } satisfies OpenedBundle;
  }
    default:
      return fail('unknown_command', `mock backend has no command ${cmd}`);
  }
}
