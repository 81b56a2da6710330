// Everything the open case holds in memory. Dropped on lock.
import * as ipc from '../ipc';
import type { AuditEntry, Case, CaseEvent, Evidence, EventInput, Note, Subject, SubjectRole } from '../ipc';
import { SvelteSet } from 'svelte/reactivity';
import { notices } from './notices.svelte';

export class Workspace {
  current = $state<Case | null>(null);
  events = $state.raw<CaseEvent[]>([]);
  subjects = $state<Subject[]>([]);
  evidence = $state<Evidence[]>([]);
  notes = $state<Note[]>([]);
  audit = $state<AuditEntry[]>([]);
  /** Restricted evidence revealed (and audited) in this session. */
  readonly revealed = new SvelteSet<string>();
  loading = $state(false);

  /** A case received in a bundle: shown, never changed. */
  get readOnly(): boolean {
    return Boolean(this.current?.origin);
  }

  get reference(): string {
    return this.current?.reference ?? '';
  }

  async open(reference: string): Promise<void> {
    this.clear();
    this.loading = true;
    try {
      const [c, events, subjects, evidence, notes] = await Promise.all([
        ipc.caseGet(reference),
        ipc.eventList(reference),
        ipc.subjectList(reference),
        ipc.evidenceList(reference),
        ipc.noteList(reference),
      ]);
      this.current = c;
      this.events = events;
      this.subjects = subjects;
      this.evidence = evidence;
      this.notes = notes;
    } catch (e) {
      notices.fail(e);
    } finally {
      this.loading = false;
    }
  }

  async loadAudit(): Promise<void> {
    try {
      this.audit = await ipc.auditList(this.reference);
    } catch (e) {
      notices.fail(e);
    }
  }

  async addSubject(s: { username: string; wiki: string; role: SubjectRole }): Promise<Subject | null> {
    try {
      const added = await ipc.subjectAdd({ reference: this.reference, ...s });
      this.subjects = [...this.subjects, added];
      return added;
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  async saveEvent(input: Omit<EventInput, 'reference'>, id?: string): Promise<CaseEvent | null> {
    try {
      const args = { reference: this.reference, ...input };
      const saved = id ? await ipc.eventUpdate({ ...args, id }) : await ipc.eventAdd(args);
      const rest = this.events.filter((e) => e.id !== saved.id);
      this.events = insertSorted(rest, saved);
      return saved;
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  async addEvidence(paths: string[]): Promise<number> {
    let added = 0;
    for (const path of paths) {
      try {
        const ev = await ipc.evidenceAdd({ reference: this.reference, path });
        this.evidence = [...this.evidence, ev];
        added++;
      } catch (e) {
        notices.fail(e);
        break;
      }
    }
    return added;
  }

  async reveal(id: string): Promise<boolean> {
    try {
      await ipc.evidenceReveal(this.reference, id);
      this.revealed.add(id);
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    }
  }

  async addNote(body: string): Promise<Note | null> {
    try {
      const n = await ipc.noteAdd(this.reference, body);
      this.notes = [...this.notes, n];
      return n;
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  clear(): void {
    this.current = null;
    this.events = [];
    this.subjects = [];
    this.evidence = [];
    this.notes = [];
    this.audit = [];
    this.revealed.clear();
  }
}

/** Inserts keeping `occurred_at` order; equal times keep insertion order. */
export function insertSorted(events: readonly CaseEvent[], e: CaseEvent): CaseEvent[] {
  const t = Date.parse(e.occurred_at);
  let i = events.length;
  while (i > 0 && Date.parse(events[i - 1]!.occurred_at) > t) i--;
  return [...events.slice(0, i), e, ...events.slice(i)];
}

export const workspace = new Workspace();
