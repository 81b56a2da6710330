// The core commands of the mock backend (docs/desktop.md, "Commands"): cases, search, subjects,
// events, evidence, notes, audit, identity and contacts. The vault commands live in mock.ts.
import type { Args, MockContext } from './mock-context';
import { fail } from './mock-context';
import { encodeEventColumns } from './event-columns';
import type { Case, CaseEvent, CaseKind, Contact, Evidence, Note, Precision, Priority, Subject, SubjectRole } from './types';

export async function sha256Hex(text: string): Promise<string> {
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

export const CORE_COMMANDS = new Set([
  'case_list', 'case_create', 'case_get', 'search', 'subject_list', 'subject_add', 'event_list', 'event_add',
  'event_update', 'evidence_list', 'evidence_add', 'evidence_reveal', 'evidence_set_sensitivity', 'note_list', 'note_add', 'audit_list',
  'audit_verify', 'identity_get', 'contact_list',
]);

export async function handleCore(ctx: MockContext, cmd: string, a: Args): Promise<unknown> {
  const { state, now, nextId, str, findCase, writable, audit, sortEvents } = ctx;
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
        return encodeEventColumns(state.events.filter((e) => e.case_id === c.id));
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
      case 'evidence_set_sensitivity': {
        const c = writable(findCase(str(a, 'reference')));
        const item = state.evidence.find((e) => e.id === str(a, 'id') && e.case_id === c.id);
        if (!item) fail('not_found', `evidence ${str(a, 'id')}`);
        if (!str(a, 'reason').trim()) fail('invalid_input', "say why the item's sensitivity changes");
        const to = str(a, 'sensitivity') as Evidence['sensitivity'];
        if (c.kind === 'child_protection' && to !== 'restricted')
          fail('invalid_input', `items of this case are at least restricted; an item cannot be made ${to}`);
        item!.sensitivity = to;
        audit('evidence.sensitivity', c.id, item!.id);
        return item;
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
