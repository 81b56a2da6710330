// The open case's DMCA notices , the complainants revealed this session, and
// which of the case's office-action / appeal dialogs is open. Dropped with the case and on lock.
import * as ipc from '../ipc';
import type { ActionKind, Complainant, DmcaNotice, DmcaNoticeInput, TakedownItem } from '../ipc';
import { SvelteMap } from 'svelte/reactivity';
import { notices } from './notices.svelte';

export class Dmca {
  reference = $state('');
  list = $state<DmcaNotice[]>([]);
  loaded = $state(false);
  /** Complainants revealed (with a reason, audited) in this session, by notice id. */
  readonly revealed = new SvelteMap<string, Complainant>();

  /** The case's notices; `quiet` leaves errors unshown (the header's background check). */
  async load(reference: string, quiet = false): Promise<void> {
    if (reference !== this.reference) this.clear();
    this.reference = reference;
    try {
      const list = await ipc.dmcaList(reference);
      if (this.reference === reference) {
        this.list = list;
        this.loaded = true;
      }
    } catch (e) {
      if (!quiet) notices.fail(e);
    }
  }

  private put(n: DmcaNotice): DmcaNotice {
    const i = this.list.findIndex((x) => x.id === n.id);
    this.list = i < 0 ? [...this.list, n] : this.list.map((x) => (x.id === n.id ? n : x));
    return n;
  }

  private async run(work: () => Promise<DmcaNotice>): Promise<DmcaNotice | null> {
    try {
      return this.put(await work());
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  add(input: DmcaNoticeInput): Promise<DmcaNotice | null> {
    return this.run(() => ipc.dmcaAdd(this.reference, input));
  }

  /** Saving an edit leaves the complainant as typed: the form only edits a revealed one. */
  async update(id: string, input: DmcaNoticeInput): Promise<DmcaNotice | null> {
    const n = await this.run(() => ipc.dmcaUpdate(id, input));
    if (n) this.revealed.set(id, { ...input.complainant });
    return n;
  }

  async reveal(id: string, reason: string): Promise<boolean> {
    try {
      const n = await ipc.dmcaReveal(id, reason);
      this.revealed.set(id, n.complainant);
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    }
  }

  takedown(id: string, items: TakedownItem[]) {
    return this.run(() => ipc.dmcaTakedown(id, items));
  }

  notify(id: string, uploader: string) {
    return this.run(() => ipc.dmcaNotify(id, uploader));
  }

  counter(id: string, from: string, statement: string, receivedAt?: string) {
    return this.run(() => ipc.dmcaCounter(id, from, statement, receivedAt));
  }

  async archive(id: string): Promise<string | null> {
    try {
      return await ipc.dmcaArchive(id);
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  clear(): void {
    this.reference = '';
    this.list = [];
    this.loaded = false;
    this.revealed.clear();
  }
}

export const dmca = new Dmca();

/** The case's record dialogs, opened from the review panel and shown by the workspace. */
export class CaseDialogs {
  /** The office-action dialog, with the kind the review decision picked. */
  action = $state<{ kind: ActionKind; rationale?: string } | null>(null);
  appeal = $state(false);

  /** `rationale`: what the review panel's form said, signed into the decision. */
  openAction(kind: ActionKind, rationale?: string): void {
    this.action = { kind, rationale };
  }

  openAppeal(): void {
    this.appeal = true;
  }

  clear(): void {
    this.action = null;
    this.appeal = false;
  }
}

export const caseDialogs = new CaseDialogs();
