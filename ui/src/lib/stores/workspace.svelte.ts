// Everything the open case holds in memory. Dropped on lock.
import * as ipc from '../ipc';
import type {
  AuditEntry,
  Case,
  CaseEvent,
  CaseUpdate,
  Evidence,
  EventInput,
  Interactions,
  NonpublicFields,
  Region,
  Note,
  Subject,
  SubjectRole,
  Sensitivity,
  TimestampStatus,
} from '../ipc';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { Highlight } from '../interactions';
import { notices } from './notices.svelte';
import { clearMarks, mark } from '../perf';

export class Workspace {
  current = $state<Case | null>(null);
  events = $state.raw<CaseEvent[]>([]);
  subjects = $state<Subject[]>([]);
  evidence = $state<Evidence[]>([]);
  /** Each item's trusted timestamp, or why it waits, by item id. */
  timestamps = $state.raw<Record<string, TimestampStatus>>({});
  notes = $state<Note[]>([]);
  audit = $state<AuditEntry[]>([]);
  /** Restricted evidence revealed (and audited) in this session. */
  readonly revealed = new SvelteSet<string>();
  /** Subjects' non-public fields revealed (with a reason, audited) in this session, by subject id. */
  readonly revealedSubjects = new SvelteMap<string, NonpublicFields>();
  interactions = $state.raw<Interactions | null>(null);
  /** A pair's shared-page edits picked in the interactions view, shown on every timeline. */
  highlight = $state.raw<{ label: string; data: Highlight } | null>(null);
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
    clearMarks('open:start', 'open:loaded', 'timeline:drawn');
    mark('open:start');
    try {
      const [c, events, subjects, evidence, notes] = await Promise.all([
        ipc.caseGet(reference),
        ipc.eventList(reference),
        ipc.subjectList(reference),
        ipc.evidenceList(reference),
        ipc.noteList(reference),
      ]);
      mark('open:loaded');
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
    void this.sendTimestamps();
  }

  /** Sends queued timestamp requests (offline they stay queued, which the statuses show),
   * then re-reads the case's statuses. Never an error banner: being offline is normal. */
  async sendTimestamps(): Promise<void> {
    const reference = this.reference;
    if (!reference) return;
    try {
      await ipc.timestampSend();
    } catch {
      // The statuses below say why an item still waits.
    }
    try {
      const statuses = await ipc.timestampStatuses(reference);
      if (this.reference === reference) this.timestamps = statuses;
    } catch {
      // A locked vault or a closed case: nothing to show.
    }
  }

  /** Reloads what long jobs add (events, evidence, subjects) without closing the case. */
  async refreshData(): Promise<void> {
    const reference = this.reference;
    if (!reference) return;
    try {
      const [events, evidence, subjects] = await Promise.all([
        ipc.eventList(reference),
        ipc.evidenceList(reference),
        ipc.subjectList(reference),
      ]);
      if (this.reference !== reference) return;
      this.events = events;
      this.evidence = evidence;
      this.subjects = subjects;
    } catch (e) {
      notices.fail(e);
    }
  }

  /** Re-reads the case itself (its status moves with submit and sync). */
  async refreshCase(): Promise<void> {
    const reference = this.reference;
    if (!reference) return;
    try {
      const c = await ipc.caseGet(reference);
      if (this.reference === reference) this.current = c;
    } catch (e) {
      notices.fail(e);
    }
  }

  async update(patch: CaseUpdate): Promise<Case | null> {
    try {
      const c = await ipc.caseUpdate(this.reference, patch);
      this.current = c;
      return c;
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  async exportEvidence(id: string, to: string): Promise<Evidence | null> {
    try {
      return await ipc.evidenceExport(this.reference, id, to);
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  async revealSubject(id: string, reason: string): Promise<Subject | null> {
    try {
      const s = await ipc.subjectReveal(this.reference, id, reason);
      this.revealedSubjects.set(id, s.nonpublic);
      return s;
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  async loadInteractions(): Promise<void> {
    try {
      this.interactions = await ipc.interactionsGet(this.reference);
    } catch (e) {
      notices.fail(e);
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
    if (added > 0) void this.sendTimestamps();
    return added;
  }

  /** Stores a redacted copy beside the original; resolves to the copy (listed) or null. */
  async redact(id: string, redact: { regions?: Region[]; phrases?: string[]; pages?: number[] }, reason: string): Promise<Evidence | null> {
    try {
      const copy = await ipc.evidenceRedact(this.reference, id, redact, reason);
      this.evidence = [...this.evidence, copy];
      void this.sendTimestamps();
      return copy;
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  /** Raises or lowers an item's sensitivity, for a reason (audited); false on refusal. */
  async setSensitivity(id: string, sensitivity: Sensitivity, reason: string): Promise<boolean> {
    try {
      const item = await ipc.evidenceSetSensitivity(this.reference, id, sensitivity, reason);
      this.evidence = this.evidence.map((e) => (e.id === id ? item : e));
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    }
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
    this.timestamps = {};
    this.notes = [];
    this.audit = [];
    this.revealed.clear();
    this.revealedSubjects.clear();
    this.interactions = null;
    this.highlight = null;
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
