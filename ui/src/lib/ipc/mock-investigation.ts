// The investigation commands of the mock backend (docs/desktop.md, "Investigation commands"):
// jobs and cancellation, case updates, the known-wiki list, a fake MediaWiki import that reports
// progress page by page, interactions, bulk event import, exports, reveals, backup and restore.
import type { Args, MockContext, MockJob } from './mock-context';
import { fail } from './mock-context';
import {
  CASE_STATUSES,
  PRIORITIES,
  type AttachedWikis,
  type Case,
  type CaseEvent,
  type ImportRecord,
  type ImportUpdate,
  type ImportWikiResult,
  type Interactions,
  type KnownWiki,
  type PairGap,
  type SharedPage,
  type TalkMessages,
} from './types';

export const INVESTIGATION_COMMANDS = new Set([
  'job_cancel',
  'case_update',
  'wiki_list',
  'wiki_list_set',
  'wiki_attached',
  'import_start',
  'import_list',
  'import_resume',
  'interactions_get',
  'events_import',
  'evidence_export',
  'case_report',
  'subject_reveal',
  'access_log',
  'vault_backup',
  'pending_file_take',
]);
/** Commands that run before a vault exists or is unlocked. */
export const PRE_UNLOCK_COMMANDS = new Set(['vault_restore']);

/** The passphrase of the backup the mock "restores". */
export const BACKUP_PASSPHRASE = 'correct horse battery staple';

/** Audit actions that are an access to non-public or restricted material (as core's). */
const ACCESS_ACTIONS = ['subject.reveal_nonpublic', 'dmca.reveal_complainant', 'evidence.reveal', 'evidence.export_restricted', 'evidence.read_restricted', 'evidence.sensitivity'];

const TITLES = ['Talk:Climate change', 'Wikipedia:Arbitration/Requests', 'Climate change', 'User talk:ClerkAlice', 'Sea level rise', 'Template:Climate'];
const PAGES_PER_WIKI = 4;
const ITEMS_PER_PAGE = 5;

interface Sink<M> {
  onmessage?: (m: M) => void;
}

const hostOf = (api: string): string => {
  try {
    return new URL(api).host;
  } catch {
    return fail('invalid_input', `${api} is not a URL`);
  }
};

const zeroCounts = () => ({ pages_fetched: 0, items_stored: 0, items_already_known: 0 });
const validApi = (api: string) => /^https?:\/\/[^/]+\/.*api\.php$/.test(api);

export async function handleInvestigation(ctx: MockContext, cmd: string, a: Args, payload: Args | undefined): Promise<unknown> {
  const { state, now, nextId, str, findCase, writable, audit, sortEvents, startJob, checkpoint, sleep } = ctx;

  /** Runs one recorded import (one wiki, its users), page by page, committing as it goes. */
  async function runImport(
    record: ImportRecord,
    opts: { since?: string; with_content: boolean },
    job: MockJob,
    send: (u: ImportUpdate) => void,
    total: { pages_fetched: number; items_stored: number; items_already_known: number },
  ): Promise<ImportWikiResult> {
    const host = record.wiki;
    const c = findCase(record.case_reference);
    const result: ImportWikiResult = {
      wiki: host,
      api: record.api,
      users: record.users,
      state: 'done',
      message: '',
      import_id: record.id,
      pages_fetched: 0,
      items_stored: 0,
      items_already_known: 0,
    };
    if (state.unreachable.includes(host)) {
      record.state = 'queued';
      record.error = `${host} is unreachable`;
      for (const account of record.users)
        send({ wiki: host, account, list: 'contributions', pages_fetched: 0, items_stored: 0, items_already_known: 0, state: 'queued', message: record.error, total: { ...total } });
      return { ...result, state: 'queued', message: record.error };
    }
    record.state = 'running';
    const base = Date.parse(opts.since ?? '2026-08-01T00:00:00Z');
    for (const [ai, account] of record.users.entries()) {
      const row = { pages_fetched: 0, items_stored: 0, items_already_known: 0 };
      if (host.includes('broken')) {
        record.state = 'failed';
        record.error = 'the wiki answered with an error: readapidenied';
        send({ wiki: host, account, list: 'contributions', ...row, state: 'failed', message: record.error, total: { ...total } });
        return { ...result, state: 'failed', message: record.error };
      }
      for (let p = 0; p < PAGES_PER_WIKI; p++) {
        await checkpoint(job, total.pages_fetched);
        await sleep(state.importStepMs);
        await checkpoint(job, total.pages_fetched);
        for (let k = 0; k < ITEMS_PER_PAGE; k++) {
          const n = p * ITEMS_PER_PAGE + k;
          const title = TITLES[n % TITLES.length]!;
          const at = new Date(base + n * 7 * 3_600_000 + ai * 23 * 60_000 + hostSalt(host) * 60_000).toISOString();
          const place = `${host}: ${title}`;
          const known = state.events.some((e) => e.case_id === c.id && e.actor === account && e.occurred_at === at && e.place === place);
          if (known) {
            row.items_already_known++;
            total.items_already_known++;
            continue;
          }
          state.events.push(importedEvent(c, nextId(), record.id, account, at, place, `Edit to ${title} (+${(n * 37) % 900} bytes)`));
          row.items_stored++;
          total.items_stored++;
        }
        row.pages_fetched++;
        total.pages_fetched++;
        sortEvents();
        send({ wiki: host, account, list: 'contributions', ...row, state: 'running', message: null, total: { ...total } });
      }
      result.pages_fetched += row.pages_fetched;
      result.items_stored += row.items_stored;
      result.items_already_known += row.items_already_known;
      send({ wiki: host, account, list: 'contributions', ...row, state: 'done', message: null, total: { ...total } });
      send({ wiki: host, account, list: 'logs', ...zeroCounts(), state: 'done', message: null, total: { ...total } });
    }
    record.state = 'done';
    record.error = null;
    record.finished_at = now().toISOString();
    audit('import.mediawiki', c.id, record.id);
    return result;
  }

  async function runAll(records: ImportRecord[], opts: { since?: string; with_content: boolean }) {
    const { job, done } = startJob(a);
    const sink = payload?.onProgress as Sink<ImportUpdate> | undefined;
    const total = { pages_fetched: 0, items_stored: 0, items_already_known: 0 };
    const send = (u: ImportUpdate) => sink?.onmessage?.(u);
    try {
      const wikis: ImportWikiResult[] = [];
      for (const r of records) {
        try {
          wikis.push(await runImport(r, opts, job, send, total));
        } catch (e) {
          // Cancelled: the pages already stored stay; the request waits to be resumed.
          r.state = 'queued';
          r.error = 'cancelled';
          throw e;
        }
      }
      return { wikis };
    } finally {
      done();
    }
  }

  switch (cmd) {
    case 'job_cancel': {
      const job = state.jobs.get(str(a, 'job_id'));
      if (!job) return { cancelled: false };
      job.cancelled = true;
      return { cancelled: true };
    }
    case 'case_update': {
      const c = writable(findCase(str(a, 'reference')));
      const patch: Partial<Case> = {};
      if (a.title !== undefined) {
        const title = str(a, 'title').trim();
        if (!title) fail('invalid_input', 'title is required');
        patch.title = title;
      }
      if (a.status !== undefined) {
        if (!(CASE_STATUSES as readonly unknown[]).includes(a.status)) fail('invalid_input', `unknown CaseStatus ${String(a.status)}`);
        patch.status = a.status as Case['status'];
      }
      if (a.priority !== undefined) {
        if (!(PRIORITIES as readonly unknown[]).includes(a.priority)) fail('invalid_input', `unknown Priority ${String(a.priority)}`);
        patch.priority = a.priority as Case['priority'];
      }
      if (a.summary !== undefined) patch.summary = str(a, 'summary', false);
      if (a.legal_hold !== undefined) {
        if (typeof a.legal_hold !== 'boolean') fail('invalid_input', 'legal_hold must be a boolean');
        patch.legal_hold = a.legal_hold as boolean;
      }
      if (a.assignee !== undefined) patch.assignee = str(a, 'assignee', false).trim();
      if (a.assisting !== undefined) {
        if (!Array.isArray(a.assisting) || a.assisting.some((x) => typeof x !== 'string')) fail('invalid_input', 'assisting must be a list of names');
        patch.assisting = a.assisting as string[];
      }
      if (a.due_at !== undefined) {
        const due = str(a, 'due_at');
        if (Number.isNaN(Date.parse(due))) fail('invalid_input', `due_at ${due} is not RFC 3339`);
        patch.due_at = new Date(due).toISOString();
      }
      Object.assign(c, patch);
      audit('case.update', c.id, c.reference);
      return { ...c };
    }
    case 'wiki_list':
      return state.wikis;
    case 'wiki_list_set': {
      const wikis = Array.isArray(a.wikis) ? (a.wikis as KnownWiki[]) : fail('invalid_input', 'wikis is required');
      for (const w of wikis) {
        if (!w.name?.trim()) fail('invalid_input', 'every wiki needs a name');
        if (!validApi(w.api)) fail('invalid_input', `${w.api} is not an http(s) URL ending in api.php`);
      }
      state.wikis = wikis.map((w) => ({ name: w.name.trim(), api: w.api.trim() }));
      return state.wikis;
    }
    case 'wiki_attached': {
      const api = str(a, 'api');
      const username = str(a, 'username');
      const host = hostOf(api);
      if (state.unreachable.includes(host)) fail('server_unreachable', `${host} is unreachable`);
      const central = /wikipedia|wikimedia|wikidata/.test(host);
      const result: AttachedWikis = central
        ? {
            available: true,
            home: 'en.wikipedia.org',
            wikis: [
              { wiki: 'enwiki', api: 'https://en.wikipedia.org/w/api.php', editcount: 1520 + username.length, groups: ['extendedconfirmed'], registration: '2019-04-02T10:11:12Z' },
              { wiki: 'eswiki', api: 'https://es.wikipedia.org/w/api.php', editcount: 87, groups: [], registration: '2021-01-15T08:00:00Z' },
              { wiki: 'commonswiki', api: 'https://commons.wikimedia.org/w/api.php', editcount: 12, groups: [], registration: '2021-01-15T08:00:00Z' },
              { wiki: 'metawiki', api: 'https://meta.wikimedia.org/w/api.php', editcount: 0, groups: [], registration: null },
            ],
          }
        : { available: false, home: null, wikis: [] };
      return result;
    }
    case 'import_start': {
      const c = writable(findCase(str(a, 'reference')));
      const accounts = Array.isArray(a.accounts) ? (a.accounts as { username: string; apis: string[] }[]) : [];
      if (accounts.length === 0) fail('invalid_input', 'name at least one account');
      if (typeof a.with_content !== 'boolean') fail('invalid_input', 'with_content is required');
      if (a.namespaces !== undefined && !(Array.isArray(a.namespaces) && a.namespaces.every((n) => Number.isInteger(n))))
        fail('invalid_input', 'namespaces must be integers');
      const byApi = new Map<string, string[]>();
      for (const acc of accounts) {
        if (!acc.username?.trim()) fail('invalid_input', 'every account needs a username');
        if (!Array.isArray(acc.apis) || acc.apis.length === 0) fail('invalid_input', `${acc.username} has no wiki`);
        for (const api of acc.apis) {
          if (!validApi(api)) fail('invalid_input', `${api} is not an http(s) URL ending in api.php`);
          const users = byApi.get(api) ?? [];
          if (!users.includes(acc.username)) users.push(acc.username);
          byApi.set(api, users);
        }
      }
      const records = [...byApi].map(([api, users]) => {
        const r: ImportRecord = {
          id: nextId(),
          case_reference: c.reference,
          wiki: hostOf(api),
          api,
          users,
          state: 'running',
          error: null,
          created_at: now().toISOString(),
          finished_at: null,
        };
        state.imports.unshift(r);
        return r;
      });
      return runAll(records, { since: str(a, 'since', false) || undefined, with_content: a.with_content as boolean });
    }
    case 'import_list': {
      const reference = str(a, 'reference', false);
      return state.imports.filter((r) => !reference || r.case_reference === reference);
    }
    case 'import_resume': {
      const queued = state.imports.filter((r) => r.state === 'queued');
      return runAll(queued, { with_content: false });
    }
    case 'interactions_get':
      return interactions(state.events.filter((e) => e.case_id === findCase(str(a, 'reference')).id));
    case 'events_import': {
      const c = writable(findCase(str(a, 'reference')));
      const path = str(a, 'path');
      if (path.includes('missing')) fail('io', `cannot read ${path}`);
      if (path.includes('bad')) fail('invalid_input', 'line 3: occurred_at is not RFC 3339; nothing was written');
      const { job, done } = startJob(a);
      const sink = payload?.onProgress as Sink<{ done: number; total: number }> | undefined;
      const total = 2000;
      const batch = 250;
      const importId = nextId();
      try {
        let written = 0;
        let batches = 0;
        while (written < total) {
          await checkpoint(job, batches);
          await sleep(state.importStepMs / 2);
          await checkpoint(job, batches);
          for (let i = written; i < written + batch; i++)
            state.events.push({
              id: nextId(),
              case_id: c.id,
              occurred_at: new Date(Date.parse('2025-01-01T00:00:00Z') + i * 3_600_000).toISOString(),
              precision: 'minute',
              actor: ['Vandal42', 'SockPuppet7'][i % 2]!,
              summary: `Imported line ${i + 1}`,
              place: 'discord: #general',
              category: 'offwiki',
              tags: [],
              evidence: [],
              source: 'imported',
              import_id: importId,
            });
          written += batch;
          batches++;
          sortEvents();
          sink?.onmessage?.({ done: written, total });
        }
        audit('import.events', c.id, importId);
        return { import_id: importId, events: total, batches };
      } finally {
        done();
      }
    }
    case 'evidence_export': {
      const c = findCase(str(a, 'reference'));
      const id = str(a, 'id');
      const to = str(a, 'to');
      const ev = state.evidence.find((e) => e.id === id && e.case_id === c.id) ?? fail('not_found', `evidence ${id}`);
      if (to.includes('missing')) fail('io', `cannot write ${to}`);
      state.files[to] = ev.size;
      audit('evidence.export', c.id, id);
      return ev;
    }
    case 'case_report': {
      const c = findCase(str(a, 'reference'));
      const to = str(a, 'to');
      if (!/\.(pdf|html?)$/i.test(to)) fail('invalid_input', `${to}: a report is written to a .pdf or .html file`);
      if (to in state.files) fail('invalid_input', `${to} already exists; choose a new file`);
      const reason = str(a, 'nonpublic_reason', false).trim();
      if (reason) {
        audit('subject.reveal_nonpublic', c.id, c.id);
        state.accessReasons[state.audit[state.audit.length - 1]!.seq] = reason;
      }
      audit('case.report', c.id, c.id);
      const items = state.evidence.filter((e) => e.case_id === c.id);
      state.files[to] = 4096;
      return {
        report: to,
        manifest: `${to}.manifest.json`,
        format: to.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html',
        sha256: 'ab'.repeat(32),
        size: 4096,
        items: items.length,
        exported: 0,
        restricted_listed: items.filter((e) => e.sensitivity === 'restricted').length,
        audit_head_seq: state.audit.length,
      };
    }
    case 'subject_reveal': {
      const c = findCase(str(a, 'reference'));
      const id = str(a, 'id');
      const s = state.subjects.find((x) => x.id === id && x.case_id === c.id) ?? fail('not_found', `subject ${id}`);
      if (!str(a, 'reason', false).trim()) fail('invalid_input', 'a reason is required to reveal non-public fields');
      audit('subject.reveal_nonpublic', c.id, id);
      state.accessReasons[state.audit[state.audit.length - 1]!.seq] = str(a, 'reason').trim();
      return { ...s, nonpublic: state.hidden[id] ?? {} };
    }
    case 'access_log': {
      const reference = str(a, 'reference', false);
      const c = reference ? findCase(reference) : null;
      const actor = str(a, 'actor', false);
      return state.audit
        .filter((r) => ACCESS_ACTIONS.includes(r.action) && (!c || r.case_id === c.id) && (!actor || r.actor === actor))
        .map((r) => ({
          seq: r.seq,
          at: r.at,
          actor: r.actor,
          action: r.action,
          case_reference: state.cases.find((x) => x.id === r.case_id)?.reference ?? null,
          entity: r.entity,
          reason: state.accessReasons[r.seq] ?? null,
        }));
    }
    case 'vault_backup': {
      const to = str(a, 'to');
      if (to.includes('missing')) fail('io', `cannot write ${to}`);
      state.files[to] = 1;
      audit('vault.backup', null, to);
      return { cases: state.cases.length, events: state.events.length, evidence: state.evidence.length, audit_rows: state.audit.length };
    }
    case 'vault_restore': {
      if (state.passphrase !== null) fail('vault_exists', 'a vault already exists');
      const from = str(a, 'from');
      if (from.includes('missing')) fail('io', `cannot read ${from}`);
      if (a.passphrase !== BACKUP_PASSPHRASE) fail('wrong_passphrase', 'wrong passphrase for this backup');
      state.passphrase = BACKUP_PASSPHRASE;
      state.unlocked = true;
      state.cases.push({
        id: nextId(),
        reference: 'TS-2026-0042',
        title: 'Restored: coordinated vandalism on climate articles',
        kind: 'disinformation',
        status: 'open',
        priority: 'high',
        summary: '',
        opened_at: '2026-05-02T09:00:00Z',
        legal_hold: false,
        default_sensitivity: 'normal',
        assignee: '',
      });
      return { fingerprint: state.fingerprint };
    }
    case 'pending_file_take': {
      const p = state.pendingFile;
      state.pendingFile = null;
      return p;
    }
    default:
      return fail('unknown_command', `mock backend has no command ${cmd}`);
  }
}

function hostSalt(host: string): number {
  let h = 0;
  for (const ch of host) h = (h * 31 + ch.charCodeAt(0)) % 11;
  return h;
}

export function importedEvent(c: Case, id: string, importId: string, actor: string, at: string, place: string, summary: string): CaseEvent {
  return {
    id,
    case_id: c.id,
    occurred_at: at,
    precision: 'exact',
    actor,
    summary,
    place,
    category: 'edit',
    tags: [],
    evidence: [],
    source: 'imported',
    import_id: importId,
  };
}

/** The interaction analysis of casebook-core (import/mediawiki/interactions.rs) over events. */
export function interactions(events: readonly CaseEvent[]): Interactions {
  const edits = events
    .filter((e) => e.source === 'imported' && e.category === 'edit' && e.place.includes(': '))
    .map((e) => {
      const i = e.place.indexOf(': ');
      return { user: e.actor, wiki: e.place.slice(0, i), title: e.place.slice(i + 2), at: e.occurred_at, rev: Date.parse(e.occurred_at) / 1000 };
    })
    .sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  const accounts = [...new Set(edits.map((e) => e.user))].sort();
  const byPage = new Map<string, typeof edits>();
  for (const e of edits) {
    const key = `${e.wiki}\u0000${e.title}`;
    byPage.set(key, [...(byPage.get(key) ?? []), e]);
  }
  const shared_pages: SharedPage[] = [];
  for (const list of byPage.values()) {
    const on = [...new Set(list.map((e) => e.user))].sort();
    if (on.length < 2) continue;
    shared_pages.push({
      wiki: list[0]!.wiki,
      title: list[0]!.title,
      accounts: on,
      edits: list.map((e) => [e.user, e.at, e.rev]),
      gaps: gaps(list),
    });
  }
  const talk = new Map<string, TalkMessages>();
  for (const e of edits) {
    if (!e.title.startsWith('User talk:')) continue;
    const owner = e.title.slice('User talk:'.length).split('/')[0]!;
    if (owner === e.user || !accounts.includes(owner)) continue;
    const key = `${e.user}\u0000${owner}\u0000${e.title}`;
    const t = talk.get(key);
    if (t) {
      t.count++;
      t.last = e.at;
    } else talk.set(key, { from: e.user, to: owner, page: `${e.wiki}: ${e.title}`, count: 1, first: e.at, last: e.at });
  }
  return { accounts, shared_pages, talk: [...talk.values()] };
}

function gaps(edits: { user: string; at: string }[]): PairGap[] {
  const seconds = new Map<string, number[]>();
  const latest = new Map<string, number>();
  for (const e of edits) {
    const t = Date.parse(e.at);
    for (const [leader, when] of latest)
      if (leader !== e.user) {
        const key = `${leader}\u0000${e.user}`;
        seconds.set(key, [...(seconds.get(key) ?? []), Math.round((t - when) / 1000)]);
      }
    latest.set(e.user, t);
  }
  return [...seconds].map(([key, s]) => {
    const [leader, follower] = key.split('\u0000') as [string, string];
    s.sort((x, y) => x - y);
    const mid = s.length >> 1;
    const median = s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
    return { leader, follower, times: s.length, min_seconds: s[0]!, median_seconds: median };
  });
}
