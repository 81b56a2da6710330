// An in-memory stand-in for the Rust backend, for flow tests and `vite --mode flows`. It keeps
// state and answers with the contract's `{ code, message }` errors, so the UI is exercised the
// way the real app exercises it. Never part of the production bundle (see main.ts).
import { clearMocks, mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type {
  AppStatus,
  AuditEntry,
  Case,
  CaseEvent,
  CaseKind,
  Evidence,
  Language,
  LockReason,
  Note,
  Priority,
  Subject,
  SubjectRole,
  Precision,
  Contact,
  InboxItem,
  OutboxItem,
  Person,
} from './types';

interface Args {
  [key: string]: unknown;
}

class MockError {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

const fail = (code: string, message: string): never => {
  throw new MockError(code, message);
};

export interface MockState {
  passphrase: string | null;
  owner: string;
  unlocked: boolean;
  fingerprint: string;
  lock_timeout_secs: number;
  language: Language;
  cases: Case[];
  subjects: Subject[];
  events: CaseEvent[];
  evidence: Evidence[];
  notes: Note[];
  audit: AuditEntry[];
  revealed: Set<string>;
  calls: string[];
  auditBroken: boolean;
  server: { server: string; user: string; fingerprint: string } | null;
  directory: Person[];
  outbox: OutboxItem[];
  inbox: InboxItem[];
  offline: boolean;
}

interface ProgressSink {
  onmessage?: (m: { done: number; total: number }) => void;
}

function uuid(n: number): string {
  return `0192f0c0-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

async function sha256Hex(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  pdf: 'application/pdf',
  txt: 'text/plain',
  html: 'text/html',
  eml: 'message/rfc822',
};

export function createMockBackend(now: () => Date = () => new Date()) {
  let seq = 0;
  const state: MockState = {
    passphrase: null,
    owner: 'investigator',
    unlocked: false,
    fingerprint: 'K7QF-2MXA-ZRTD-V4HC',
    lock_timeout_secs: 600,
    language: 'en',
    cases: [],
    subjects: [],
    events: [],
    evidence: [],
    notes: [],
    audit: [],
    revealed: new Set(),
    calls: [],
    auditBroken: false,
    server: null,
    directory: [],
    outbox: [],
    inbox: [],
    offline: false,
  };

  const nextId = () => uuid(++seq);
  const status = (): AppStatus => ({
    vault_exists: state.passphrase !== null,
    unlocked: state.unlocked,
    fingerprint: state.passphrase !== null ? state.fingerprint : null,
    lock_timeout_secs: state.lock_timeout_secs,
    language: state.language,
  });
  const str = (a: Args, key: string, required = true): string => {
    const v = a[key];
    if (v === undefined || v === null || v === '') {
      if (required) fail('invalid_input', `${key} is required`);
      return '';
    }
    if (typeof v !== 'string') return fail('invalid_input', `${key} must be a string`);
    return v;
  };
  const requireUnlocked = () => {
    if (!state.unlocked) fail('locked', 'the vault is locked');
  };
  const findCase = (reference: string): Case =>
    state.cases.find((c) => c.reference === reference) ?? fail('not_found', `case ${reference} not found`);
  const writable = (c: Case): Case => (c.origin ? fail('read_only', `case ${c.reference} was received for review`) : c);
  const audit = (action: string, caseId: string | null, entity: string) => {
    const prev = state.audit.at(-1);
    const n = state.audit.length + 1;
    state.audit.push({
      seq: n,
      at: now().toISOString(),
      actor: state.owner,
      action,
      case_id: caseId,
      entity,
      payload_hash: n.toString(16).padStart(64, 'a'),
      prev_hash: prev?.hash ?? '0'.repeat(64),
      hash: n.toString(16).padStart(64, 'f'),
    });
  };
  const sortEvents = () =>
    state.events.sort((a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at));
  const parseEvent = (a: Args, c: Case, id: string): CaseEvent => {
    const occurred = str(a, 'occurred_at');
    if (Number.isNaN(Date.parse(occurred))) fail('invalid_input', `occurred_at ${occurred} is not RFC 3339`);
    const precision = str(a, 'precision') as Precision;
    if (!['exact', 'minute', 'day', 'approximate'].includes(precision))
      fail('invalid_input', `unknown Precision ${precision}`);
    return {
      id,
      case_id: c.id,
      occurred_at: new Date(occurred).toISOString(),
      precision,
      actor: str(a, 'actor'),
      summary: str(a, 'summary'),
      place: str(a, 'place', false),
      category: str(a, 'category', false),
      tags: Array.isArray(a.tags) ? (a.tags as string[]) : [],
      evidence: Array.isArray(a.evidence) ? (a.evidence as string[]) : [],
      source: 'manual',
      import_id: null,
    };
  };

  async function handle(cmd: string, payload: Args | undefined): Promise<unknown> {
    // Channels travel beside `args`, as `onProgress`.
    const a: Args = (payload?.args as Args | undefined) ?? {};
    state.calls.push(cmd);
    switch (cmd) {
      case 'app_status':
        return status();
      case 'vault_create': {
        if (state.passphrase !== null) fail('vault_exists', 'a vault already exists');
        const p = str(a, 'passphrase');
        if (p.length < 8) fail('invalid_input', 'passphrase too short');
        state.passphrase = p;
        state.owner = str(a, 'owner', false) || 'investigator';
        state.unlocked = true;
        return { fingerprint: state.fingerprint };
      }
      case 'vault_unlock': {
        if (state.passphrase === null) fail('no_vault', 'no vault');
        if (a.passphrase !== state.passphrase) fail('wrong_passphrase', 'wrong passphrase');
        state.unlocked = true;
        return { fingerprint: state.fingerprint };
      }
      case 'vault_lock':
        await lock('manual');
        return null;
      case 'activity':
        return null;
      case 'settings_set': {
        if (typeof a.lock_timeout_secs === 'number') {
          if (a.lock_timeout_secs < 30) fail('invalid_input', 'lock timeout below 30 s');
          state.lock_timeout_secs = a.lock_timeout_secs;
        }
        if (a.language === 'en' || a.language === 'es') state.language = a.language;
        return status();
      }
    }
    requireUnlocked();
    switch (cmd) {
      case 'case_list':
        return state.cases.filter(
          (c) =>
            (a.kind === undefined || c.kind === a.kind) &&
            (a.status === undefined || c.status === a.status) &&
            (a.priority === undefined || c.priority === a.priority),
        );
      case 'case_create': {
        const title = str(a, 'title').trim();
        if (!title) fail('invalid_input', 'title is required');
        const kind = str(a, 'kind') as CaseKind;
        const priority: Priority =
          (a.priority as Priority | undefined) ??
          (kind === 'threat_of_harm' ? 'urgent' : kind === 'child_protection' ? 'high' : 'normal');
        const c: Case = {
          id: nextId(),
          reference: `TS-${now().getUTCFullYear()}-${String(state.cases.length + 1).padStart(4, '0')}`,
          title,
          kind,
          status: 'open',
          priority,
          summary: str(a, 'summary', false),
          opened_at: now().toISOString(),
          legal_hold: false,
          default_sensitivity: kind === 'child_protection' ? 'restricted' : 'normal',
        };
        state.cases.push(c);
        audit('case.create', c.id, c.reference);
        return c;
      }
      case 'case_get':
        return findCase(str(a, 'reference'));
      case 'search': {
        const q = str(a, 'query').toLowerCase();
        const inCase = (id: string) => {
          const c = state.cases.find((x) => x.id === id);
          return c && (a.reference === undefined || c.reference === a.reference) ? c : undefined;
        };
        const mark = (text: string) => {
          const i = text.toLowerCase().indexOf(q);
          return i < 0 ? text : `${text.slice(0, i)}[${text.slice(i, i + q.length)}]${text.slice(i + q.length)}`;
        };
        const hits = [];
        for (const e of state.events) {
          const c = inCase(e.case_id);
          if (c && `${e.summary} ${e.place} ${e.actor}`.toLowerCase().includes(q))
            hits.push({ case_reference: c.reference, entity: 'event', entity_id: e.id, snippet: mark(e.summary), rank: -1 });
        }
        for (const s of state.subjects) {
          const c = inCase(s.case_id);
          if (c && s.username.toLowerCase().includes(q))
            hits.push({ case_reference: c.reference, entity: 'subject', entity_id: s.id, snippet: mark(s.username), rank: -1 });
        }
        for (const n of state.notes) {
          const c = inCase(n.case_id);
          if (c && n.body.toLowerCase().includes(q))
            hits.push({ case_reference: c.reference, entity: 'note', entity_id: n.id, snippet: mark(n.body.slice(0, 80)), rank: -1 });
        }
        return hits.slice(0, 50);
      }
      case 'subject_list': {
        const c = findCase(str(a, 'reference'));
        return state.subjects.filter((s) => s.case_id === c.id);
      }
      case 'subject_add': {
        const c = writable(findCase(str(a, 'reference')));
        const s: Subject = {
          id: nextId(),
          case_id: c.id,
          username: str(a, 'username'),
          wiki: str(a, 'wiki'),
          role: str(a, 'role') as SubjectRole,
          linked_accounts: [],
          nonpublic: {},
          added_at: now().toISOString(),
        };
        state.subjects.push(s);
        audit('subject.add', c.id, s.id);
        return s;
      }
      case 'event_list': {
        const c = findCase(str(a, 'reference'));
        return state.events.filter((e) => e.case_id === c.id);
      }
      case 'event_add': {
        const c = writable(findCase(str(a, 'reference')));
        const e = parseEvent(a, c, nextId());
        state.events.push(e);
        sortEvents();
        audit('event.add', c.id, e.id);
        return e;
      }
      case 'event_update': {
        const c = writable(findCase(str(a, 'reference')));
        const id = str(a, 'id');
        const i = state.events.findIndex((e) => e.id === id && e.case_id === c.id);
        if (i < 0) fail('not_found', `event ${id} not found`);
        const e = parseEvent(a, c, id);
        state.events[i] = e;
        sortEvents();
        audit('event.update', c.id, e.id);
        return e;
      }
      case 'evidence_list': {
        const c = findCase(str(a, 'reference'));
        return state.evidence.filter((e) => e.case_id === c.id);
      }
      case 'evidence_add': {
        const c = writable(findCase(str(a, 'reference')));
        const path = str(a, 'path');
        if (path.includes('missing')) fail('io', `cannot read ${path}`);
        const name = path.split(/[\\/]/).pop() ?? path;
        const ext = name.split('.').pop()?.toLowerCase() ?? '';
        const ev: Evidence = {
          id: nextId(),
          case_id: c.id,
          kind: ext === 'png' || ext === 'jpg' ? 'screenshot' : 'file',
          title: str(a, 'title', false) || name,
          source_url: null,
          captured_at: now().toISOString(),
          captured_by: state.owner,
          sha256: await sha256Hex(path),
          size: 1000 + path.length * 371,
          mime: MIME[ext] ?? 'application/octet-stream',
          original_name: name,
          sensitivity: c.default_sensitivity,
        };
        state.evidence.push(ev);
        audit('evidence.add', c.id, ev.id);
        return ev;
      }
      case 'evidence_reveal': {
        const c = findCase(str(a, 'reference'));
        const id = str(a, 'id');
        if (!state.evidence.some((e) => e.id === id && e.case_id === c.id)) fail('not_found', `evidence ${id}`);
        state.revealed.add(id);
        audit('evidence.reveal', c.id, id);
        return null;
      }
      case 'note_list': {
        const c = findCase(str(a, 'reference'));
        return state.notes.filter((n) => n.case_id === c.id);
      }
      case 'note_add': {
        const c = writable(findCase(str(a, 'reference')));
        const n: Note = { id: nextId(), case_id: c.id, body: str(a, 'body'), created_at: now().toISOString(), author: state.owner };
        state.notes.push(n);
        audit('note.add', c.id, n.id);
        return n;
      }
      case 'audit_list': {
        const c = findCase(str(a, 'reference'));
        return state.audit.filter((r) => r.case_id === c.id);
      }
      case 'audit_verify':
        if (state.auditBroken) fail('audit_broken', 'audit chain broken at row 2');
        return { rows: state.audit.length };
      case 'identity_get':
        return {
          name: state.owner,
          fingerprint: state.fingerprint,
          signing_key: 'ed25519:Q2FzZWJvb2sgc2lnbmluZyBrZXkgZm9yIHRlc3Rz',
          encryption_key: 'age1casebookmockrecipientkeyforflowtests0000000000000000',
        };
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
      case 'contact_list':
        return [
          {
            fingerprint: 'R3VW-PL6N-QE2B-HT5S',
            name: 'Reviewer One',
            signing_key: 'ed25519:cmV2aWV3ZXI=',
            recipient: 'age1reviewer',
            source: 'file',
            added_at: '2026-01-05T10:00:00Z',
          },
        ] satisfies Contact[];
      default:
        return fail('unknown_command', `mock backend has no command ${cmd}`);
    }
  }

  async function lock(reason: LockReason) {
    state.unlocked = false;
    state.revealed.clear();
    await emit('vault-locked', { reason });
  }

  /** Fills a case with `n` synthetic events over several years, for the 10,000-event timeline. */
  function seedEvents(reference: string, n: number, actors = ['Vandal42', 'SockPuppet7', 'Reporter_A', 'Admin_B']) {
    const c = findCase(reference);
    const categories = ['edit', 'block', 'report', 'message', 'offwiki'];
    const start = Date.parse('2023-01-01T00:00:00Z');
    const span = Date.parse('2026-06-01T00:00:00Z') - start;
    for (let i = 0; i < n; i++) {
      // A deterministic spread with bursts, like real harassment campaigns.
      const t = start + ((i * 7919) % n) / n * span + (i % 13) * 60_000;
      state.events.push({
        id: nextId(),
        case_id: c.id,
        occurred_at: new Date(t).toISOString(),
        precision: i % 17 === 0 ? 'day' : 'minute',
        actor: actors[i % actors.length] ?? 'unknown',
        summary: `Synthetic event ${i + 1}`,
        place: 'en.wikipedia.org',
        category: categories[i % categories.length] ?? 'edit',
        tags: i % 5 === 0 ? ['sock'] : [],
        evidence: [],
        source: 'imported',
        import_id: 'seed',
      });
    }
    sortEvents();
  }

  /** A small, realistic case for screenshots and manual checks in the browser preview. */
  function seedDemo(reference: string) {
    const c = findCase(reference);
    const subjects: [string, SubjectRole][] = [
      ['Vandal42', 'reported_party'],
      ['SockPuppet7', 'reported_party'],
      ['ClerkAlice', 'affected'],
      ['Reporter_A', 'reporter'],
    ];
    for (const [username, role] of subjects)
      state.subjects.push({
        id: nextId(),
        case_id: c.id,
        username,
        wiki: 'en.wikipedia.org',
        role,
        linked_accounts: username === 'SockPuppet7' ? [{ username: 'Vandal42', wiki: 'en.wikipedia.org', confidence: 0.85 }] : [],
        nonpublic: username === 'Vandal42' ? { email: '[redacted]', ip: '[redacted]' } : {},
        added_at: now().toISOString(),
      });
    const rows: [string, string, string, string, string, string[]][] = [
      ['2026-09-01T08:12:00Z', 'Vandal42', 'Reverts closure of arbitration request', 'User talk:ClerkAlice', 'edit', []],
      ['2026-09-01T09:30:00Z', 'ClerkAlice', 'Restores closure, warns Vandal42', 'Wikipedia:Arbitration/Requests', 'edit', []],
      ['2026-09-01T11:02:00Z', 'Vandal42', 'Edit war: third revert within an hour', 'Wikipedia:Arbitration/Requests', 'edit', ['3rr']],
      ['2026-09-01T11:40:00Z', 'Reporter_A', 'Reports edit warring at the noticeboard', "Wikipedia:Administrators' noticeboard", 'report', []],
      ['2026-09-02T07:15:00Z', 'SockPuppet7', 'Account registered', 'Special:Log/newusers', 'account', ['sock']],
      ['2026-09-02T07:31:00Z', 'SockPuppet7', 'Repeats the revert as a new account', 'Wikipedia:Arbitration/Requests', 'edit', ['sock']],
      ['2026-09-02T18:11:00Z', 'ClerkAlice', 'Blocks Vandal42 for 31 hours', 'Special:Log/block', 'block', []],
      ['2026-09-03T00:00:00Z', 'Vandal42', 'Off-wiki post naming ClerkAlice', 'External forum thread', 'offwiki', ['doxxing']],
      ['2026-09-03T21:15:00Z', 'SockPuppet7', "Posts 'you will regret this' on talk page", 'User talk:ClerkAlice', 'threat', ['sock', 'threat']],
      ['2026-09-03T21:20:00Z', 'Reporter_A', 'Emails emergency@ about the threat', 'Email', 'report', ['threat']],
      ['2026-09-04T10:05:00Z', 'ClerkAlice', 'Requests checkuser on SockPuppet7', 'Wikipedia:Sockpuppet investigations', 'report', ['sock']],
      ['2026-09-05T14:45:00Z', 'SockPuppet7', 'Blocked indefinitely as a sock of Vandal42', 'Special:Log/block', 'block', ['sock']],
      ['2026-09-06T09:00:00Z', 'Vandal42', 'Emails ClerkAlice through Special:EmailUser', 'Email', 'message', ['threat']],
    ];
    for (const [at, actor, summary, place, category, tags] of rows)
      state.events.push({
        id: nextId(),
        case_id: c.id,
        occurred_at: at,
        precision: at.endsWith('T00:00:00Z') ? 'day' : 'minute',
        actor,
        summary,
        place,
        category,
        tags,
        evidence: [],
        source: 'manual',
        import_id: null,
      });
    sortEvents();
  }

  return { state, handle, lock, seedEvents, seedDemo };
}

export type MockBackend = ReturnType<typeof createMockBackend>;

/** Installs the mock as the app's IPC and exposes it on `window.__casebookMock` for flow tests. */
export function installMockBackend(): MockBackend {
  mockWindows('main');
  const backend = createMockBackend();
  mockIPC((cmd, payload) => backend.handle(cmd, payload as Args | undefined), { shouldMockEvents: true });
  (window as unknown as { __casebookMock: MockBackend }).__casebookMock = backend;
  return backend;
}

/** For unit tests: routes IPC to `backend` (events not mocked) after clearing earlier mocks. */
export function useMockBackend(backend: MockBackend): void {
  clearMocks();
  mockIPC((cmd, payload) => backend.handle(cmd, payload as Args | undefined));
}
