// A wiki import as the UI follows it: one row per account × wiki fed by the progress channel,
// the running total, Cancel, and the case's queued imports with Resume. While pages land the
// open case's timeline reloads, at most once a second.
import * as ipc from '../ipc';
import type { ImportCounts, ImportRecord, ImportRequest, ImportResult, ImportUpdate } from '../ipc';
import { IpcError } from '../ipc/error';
import { hostOf } from '../wikis';
import { throttle, type Throttled } from '../throttle';
import { notices } from './notices.svelte';
import { workspace } from './workspace.svelte';

export type RowState = 'pending' | 'running' | 'done' | 'queued' | 'failed' | 'cancelled';

export interface ImportRow extends ImportCounts {
  key: string;
  wiki: string;
  account: string;
  state: RowState;
  message: string;
  /** Each list's own counts and state, as the backend last reported them. */
  lists?: Record<string, ImportCounts & { state: ImportUpdate['state'] }>;
}

const rowKey = (wiki: string, account: string) => `${wiki}|${account}`;
const zero = (): ImportCounts => ({ pages_fetched: 0, items_stored: 0, items_already_known: 0 });

/** Rows waiting for their first update: one per account and wiki (the API's host). */
export function initialRows(accounts: ImportRequest['accounts']): ImportRow[] {
  const rows: ImportRow[] = [];
  for (const a of accounts)
    for (const api of a.apis) {
      const wiki = hostOf(api);
      const key = rowKey(wiki, a.username);
      if (!rows.some((r) => r.key === key)) rows.push({ key, wiki, account: a.username, state: 'pending', message: '', ...zero() });
    }
  return rows;
}

/** Lists that every account's import has on every wiki; a row is done once both are. */
const CORE_LISTS = ['contributions', 'logs'];

/**
 * Folds one list's update into its account × wiki row: the row's counts are the sum over its
 * lists, it is failed or queued as soon as one list is, and done once its core lists are and
 * nothing runs (the command's result settles the rest). Unknown rows are added.
 */
export function applyUpdate(rows: readonly ImportRow[], u: ImportUpdate): ImportRow[] {
  const key = rowKey(u.wiki, u.account);
  const i = rows.findIndex((r) => r.key === key);
  const prev: ImportRow =
    i < 0 ? { key, wiki: u.wiki, account: u.account, state: 'pending', message: '', ...zero(), lists: {} } : rows[i]!;
  const lists = { ...(prev.lists ?? {}), [u.list]: { pages_fetched: u.pages_fetched, items_stored: u.items_stored, items_already_known: u.items_already_known, state: u.state } };
  const all = Object.values(lists);
  const sum = (k: keyof ImportCounts) => all.reduce((n, l) => n + l[k], 0);
  let state: RowState = 'running';
  if (all.some((l) => l.state === 'failed')) state = 'failed';
  else if (all.some((l) => l.state === 'queued')) state = 'queued';
  else if (CORE_LISTS.every((name) => lists[name]?.state === 'done') && all.every((l) => l.state === 'done')) state = 'done';
  const next: ImportRow = {
    key,
    wiki: u.wiki,
    account: u.account,
    pages_fetched: sum('pages_fetched'),
    items_stored: sum('items_stored'),
    items_already_known: sum('items_already_known'),
    state,
    // The latest thing a list had to say (a wiki without AbuseFilter, why it was queued).
    message: u.message ?? prev.message,
    lists,
  };
  return i < 0 ? [...rows, next] : rows.map((r, j) => (j === i ? next : r));
}

/** The command's result settles rows the channel left open (a wiki queued before any page). */
export function applyResult(rows: readonly ImportRow[], result: ImportResult): ImportRow[] {
  return rows.map((r) => {
    if (r.state !== 'pending' && r.state !== 'running') return r;
    const w = result.wikis.find((x) => x.wiki === r.wiki && x.users.includes(r.account)) ?? result.wikis.find((x) => x.wiki === r.wiki);
    return w ? { ...r, state: w.state, message: w.message || r.message } : r;
  });
}

/** Rows finished (whatever the outcome) out of all rows: the overall bar. */
export function overall(rows: readonly ImportRow[]): { done: number; total: number } {
  return { done: rows.filter((r) => r.state !== 'pending' && r.state !== 'running').length, total: rows.length };
}

export function sumRows(rows: readonly ImportRow[]): ImportCounts {
  const s = zero();
  for (const r of rows) {
    s.pages_fetched += r.pages_fetched;
    s.items_stored += r.items_stored;
    s.items_already_known += r.items_already_known;
  }
  return s;
}

export type Phase = 'idle' | 'running' | 'finished' | 'cancelled' | 'failed';

export class ImportJob {
  rows = $state<ImportRow[]>([]);
  total = $state<ImportCounts>(zero());
  phase = $state<Phase>('idle');
  cancelling = $state(false);
  queued = $state<ImportRecord[]>([]);
  private jobId: string | null = null;
  private refresh: Throttled = throttle(() => void workspace.refreshData(), 1000);

  get running(): boolean {
    return this.phase === 'running';
  }

  async loadQueued(reference: string): Promise<void> {
    try {
      this.queued = (await ipc.importList(reference)).filter((r) => r.state === 'queued');
    } catch (e) {
      notices.fail(e);
    }
  }

  start(request: ImportRequest): Promise<void> {
    this.rows = initialRows(request.accounts);
    return this.run((id, onProgress) => ipc.importStart(id, request, onProgress));
  }

  resume(): Promise<void> {
    this.rows = this.queued.flatMap((r) =>
      r.users.map((account) => ({ key: rowKey(r.wiki, account), wiki: r.wiki, account, state: 'pending' as const, message: '', ...zero() })),
    );
    return this.run((id, onProgress) => ipc.importResume(id, onProgress));
  }

  async cancel(): Promise<void> {
    if (!this.jobId || this.cancelling) return;
    this.cancelling = true;
    try {
      await ipc.jobCancel(this.jobId);
    } catch (e) {
      notices.fail(e);
      this.cancelling = false;
    }
  }

  reset(): void {
    this.refresh.cancel();
    this.rows = [];
    this.total = zero();
    this.phase = 'idle';
    this.cancelling = false;
    this.jobId = null;
  }

  clear(): void {
    this.reset();
    this.queued = [];
  }

  private async run(work: (jobId: string, onProgress: (u: ImportUpdate) => void) => Promise<ImportResult>): Promise<void> {
    const reference = workspace.reference;
    this.jobId = ipc.newJobId();
    this.total = zero();
    this.phase = 'running';
    this.cancelling = false;
    const onProgress = (u: ImportUpdate) => {
      this.total = { ...u.total };
      this.rows = applyUpdate(this.rows, u);
      if (u.items_stored > 0) this.refresh();
    };
    try {
      const result = await work(this.jobId, onProgress);
      this.rows = applyResult(this.rows, result);
      if (sumRows(this.rows).items_stored > this.total.items_stored) this.total = sumRows(this.rows);
      this.phase = 'finished';
    } catch (e) {
      const err = IpcError.from(e);
      if (err.code === 'cancelled') {
        this.phase = 'cancelled';
        this.rows = this.rows.map((r) => (r.state === 'running' || r.state === 'pending' ? { ...r, state: 'cancelled' } : r));
      } else {
        this.phase = 'failed';
        notices.fail(err);
      }
    } finally {
      this.jobId = null;
      this.cancelling = false;
      // Whatever was committed is in the case now: show all of it.
      this.refresh.cancel();
      if (workspace.reference === reference && reference) {
        await workspace.refreshData();
        await this.loadQueued(reference);
      }
    }
  }
}

export const imports = new ImportJob();
