// The review cycle as the UI sees it: enrolment, the key directory, the outbox and the inbox.
import * as ipc from '../ipc';
import type { Decision, InboxItem, OpenedBundle, OutboxItem, Person, SyncResult } from '../ipc';
import { notices } from './notices.svelte';

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

  async enrol(server: string, token: string, device: string): Promise<boolean> {
    return this.run(async () => {
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
    await this.run(async () => {
      this.progress = 0;
      item = await ipc.caseSubmit(reference, reviewers, (p) => (this.progress = progressFraction(p)));
      this.outbox = [...this.outbox, item];
    });
    return item;
  }

  async sync(): Promise<SyncResult | null> {
    let result: SyncResult | null = null;
    await this.run(async () => {
      result = await ipc.syncRun();
      this.lastSync = result;
      [this.outbox, this.inbox] = await Promise.all([ipc.outboxList(), ipc.inboxList()]);
    });
    return result;
  }

  async open(id: string): Promise<OpenedBundle | null> {
    this.opened = null;
    await this.run(async () => {
      this.progress = 0;
      this.opened = await ipc.inboxOpen(id, (p) => (this.progress = progressFraction(p)));
      this.inbox = await ipc.inboxList();
    });
    return this.opened;
  }

  async decide(reference: string, decision: Decision, rationale: string): Promise<OutboxItem | null> {
    let item: OutboxItem | null = null;
    await this.run(async () => {
      item = await ipc.reviewDecide(reference, decision, rationale);
      this.outbox = [...this.outbox, item];
    });
    return item;
  }

  clear(): void {
    this.directory = [];
    this.outbox = [];
    this.inbox = [];
    this.opened = null;
    this.progress = null;
    this.lastSync = null;
  }

  private async run(work: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    try {
      await work();
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }
}

export const review = new Review();
