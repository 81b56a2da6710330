// An in-memory stand-in for the Rust backend, for flow tests and `vite --mode flows`. It keeps
// state and answers with the contract's `{ code, message }` errors, so the UI is exercised the
// way the real app exercises it. Never part of the production bundle (see main.ts).
import { clearMocks, mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { handleReview } from './mock-review';
import { seedDemo, seedEvents } from './mock-seed';
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

export interface Args {
  [key: string]: unknown;
}

class MockError {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

export const fail = (code: string, message: string): never => {
  throw new MockError(code, message);
};

/** What the command groups in mock-review.ts and mock-seed.ts share with the core. */
export interface MockContext {
  state: MockState;
  now: () => Date;
  nextId: () => string;
  str: (a: Args, key: string, required?: boolean) => string;
  findCase: (reference: string) => Case;
  writable: (c: Case) => Case;
  audit: (action: string, caseId: string | null, entity: string) => void;
  sortEvents: () => void;
}

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

  const ctx: MockContext = { state, now, nextId, str, findCase, writable, audit, sortEvents };

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
      case 'sync_enroll':
      case 'directory_list':
      case 'case_submit':
      case 'outbox_list':
      case 'sync_run':
      case 'inbox_list':
      case 'inbox_open':
      case 'review_decide':
        return handleReview(ctx, cmd, a, payload);
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

  return {
    state,
    handle,
    lock,
    /** Fills a case with `n` synthetic events over several years (the 10,000-event timeline). */
    seedEvents: (reference: string, n: number, actors?: string[]) => seedEvents(ctx, reference, n, actors),
    /** A small, realistic case for screenshots and manual checks in the browser preview. */
    seedDemo: (reference: string) => seedDemo(ctx, reference),
  };
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
