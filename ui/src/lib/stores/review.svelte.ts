// The review cycle as the UI sees it: enrolment, the key directory, the outbox and the inbox.
import * as ipc from '../ipc';
import type { Case, CaseReviewState, Decision, InboxItem, OpenedBundle, OutboxItem, Person, SealedFile, SyncResult } from '../ipc';
import { IpcError } from '../ipc/error';
import { SvelteMap } from 'svelte/reactivity';
import { t } from '../i18n/index.svelte';
import { notices } from './notices.svelte';
import { workspace } from './workspace.svelte';

export type ReviewJob = 'enrol' | 'submit' | 'sync' | 'seal' | 'open' | 'decide';

/** 0..1 from a progress message; tolerant of the shapes a channel might carry. */
export function progressFraction(p: unknown): number {
  if (typeof p === 'number') return Math.min(1, Math.max(0, p > 1 ? p / 100 : p));
  if (p && typeof p === 'object') {
    const o = p as Record<string, unknown>;
    const done = Number(o.done ?? o.bytes ?? o.bytes_done ?? 0);
    const total = Number(o.total ?? o.bytes_total ?? 0);
    if (total > 0) return Math.min(1, Math.max(0, done / total));
  }
  return 0;
}

export class Review {
  enrolment = $state<{ server: string; user: string; fingerprint: string } | null>(null);
  directory = $state<Person[]>([]);
  outbox = $state<OutboxItem[]>([]);
  inbox = $state<InboxItem[]>([]);
  opened = $state<OpenedBundle | null>(null);
  progress = $state<number | null>(null);
  lastSync = $state<SyncResult | null>(null);
  busy = $state(false);
  /** What runs now, and its job id when it can be cancelled. */
  job = $state<ReviewJob | null>(null);
  jobId = $state<string | null>(null);
  cancelling = $state(false);
  /** The review server's state per case reference, from the last sync. */
  readonly caseStates = new SvelteMap<string, CaseReviewState>();

  /** Where a case stands: the server's state when a sync reported it, else the local status. */
  stateOf(c: Case): string {
    return this.caseStates.get(c.reference)?.state ?? c.status;
  }

  /** My roles in the key directory (empty when not enrolled). */
  myRoles(fingerprint: string | null): string[] {
    return this.directory.find((p) => p.fingerprint === fingerprint)?.roles ?? [];
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

  async enrol(server: string, token: string, device: string): Promise<boolean> {
    return this.run('enrol', false, async () => {
      this.enrolment = await ipc.syncEnroll(server, token, device);
      this.directory = await ipc.directoryList();
    });
  }

  async loadDirectory(): Promise<void> {
    try {
      this.directory = await ipc.directoryList();
    } catch {
      // Not enrolled yet: the directory is simply empty.
      this.directory = [];
    }
  }

  async loadOutbox(): Promise<void> {
    try {
      this.outbox = await ipc.outboxList();
    } catch (e) {
      notices.fail(e);
    }
  }

  async loadInbox(): Promise<void> {
    try {
      this.inbox = await ipc.inboxList();
    } catch (e) {
      notices.fail(e);
    }
  }

  async submit(reference: string, reviewers: string[]): Promise<OutboxItem | null> {
    let item: OutboxItem | null = null;
    await this.run('submit', true, async (jobId) => {
      this.progress = 0;
      item = await ipc.caseSubmit(reference, reviewers, (p) => (this.progress = progressFraction(p)), jobId);
      this.outbox = [...this.outbox, item];
    });
    // The case's status moved to submitted: show it now, not on the next open.
    if (workspace.reference === reference) await workspace.refreshCase();
    return item;
  }

  async sync(): Promise<SyncResult | null> {
    let result: SyncResult | null = null;
    await this.run('sync', true, async (jobId) => {
      const r = await ipc.syncRun(jobId);
      result = r;
      this.lastSync = r;
      for (const c of r.cases ?? []) if (c.case_reference) this.caseStates.set(c.case_reference, c);
      [this.outbox, this.inbox] = await Promise.all([ipc.outboxList(), ipc.inboxList()]);
    });
    if (workspace.current) await workspace.refreshCase();
    return result;
  }

  async open(id: string): Promise<OpenedBundle | null> {
    this.opened = null;
    await this.run('open', false, async () => {
      this.progress = 0;
      this.opened = await ipc.inboxOpen(id, (p) => (this.progress = progressFraction(p)));
      this.inbox = await ipc.inboxList();
    });
    return this.opened;
  }

  /** Opens a `.casebundle` file (picked, dropped or double-clicked) with the same checks. */
  async openFile(path: string): Promise<OpenedBundle | null> {
    this.opened = null;
    await this.run('open', true, async (jobId) => {
      this.progress = 0;
      this.opened = await ipc.bundleOpenFile(jobId, path, (p) => (this.progress = progressFraction(p)));
    });
    return this.opened;
  }

  /** Seals the case to a file for the chosen recipients (carried by hand, not uploaded). */
  async sealToFile(reference: string, recipients: string[], to: string, redactedInPlace = false): Promise<SealedFile | null> {
    let sealed: SealedFile | null = null;
    await this.run('seal', true, async (jobId) => {
      this.progress = 0;
      sealed = await ipc.bundleSealFile(
        jobId,
        reference,
        recipients,
        to,
        (p) => (this.progress = progressFraction(p)),
        redactedInPlace,
      );
    });
    return sealed;
  }

  async decide(reference: string, decision: Decision, rationale: string): Promise<OutboxItem | null> {
    let item: OutboxItem | null = null;
    await this.run('decide', false, async () => {
      item = await ipc.reviewDecide(reference, decision, rationale);
      this.outbox = [...this.outbox, item];
    });
    if (item) {
      // The server's state moves only once the decision is pushed: forget the old one until
      // the next sync reports it.
      this.caseStates.delete(reference);
      if (workspace.reference === reference) await workspace.refreshCase();
    }
    return item;
  }

  clear(): void {
    this.directory = [];
    this.outbox = [];
    this.inbox = [];
    this.opened = null;
    this.progress = null;
    this.lastSync = null;
    this.caseStates.clear();
  }

  private async run(job: ReviewJob, cancellable: boolean, work: (jobId: string) => Promise<void>): Promise<boolean> {
    const id = ipc.newJobId();
    this.busy = true;
    this.job = job;
    // Only a job the backend can stop shows Cancel.
    this.jobId = cancellable ? id : null;
    this.cancelling = false;
    try {
      await work(id);
      return true;
    } catch (e) {
      const err = IpcError.from(e);
      if (err.code === 'cancelled') notices.say(t('job.cancelled'));
      else notices.fail(err);
      return false;
    } finally {
      this.busy = false;
      this.progress = null;
      this.job = null;
      this.jobId = null;
      this.cancelling = false;
    }
  }
}

export const review = new Review();
