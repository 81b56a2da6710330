// The intake queue: reports in the backend's order, the one being triaged, and the
// reports revealed (with a reason, audited) in this session. Dropped on lock.
import * as ipc from '../ipc';
import type { Case, CaseKind, NewReport, Report } from '../ipc';
import { SvelteMap } from 'svelte/reactivity';
import { notices } from './notices.svelte';

export class Intake {
  reports = $state<Report[]>([]);
  includeClosed = $state(false);
  selectedId = $state<string | null>(null);
  loading = $state(false);
  busy = $state(false);
  /** The emergency target in minutes (`intake.emergency_target_minutes`). */
  targetMinutes = $state(60);
  /** Reports whose restricted text and reporter contact were revealed, by id. */
  readonly revealed = new SvelteMap<string, Report>();

  get selected(): Report | null {
    return this.reports.find((r) => r.id === this.selectedId) ?? null;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.reports = await ipc.intakeList(this.includeClosed);
      if (this.selectedId && !this.reports.some((r) => r.id === this.selectedId)) this.selectedId = null;
    } catch (e) {
      notices.fail(e);
    } finally {
      this.loading = false;
    }
  }

  async loadTarget(): Promise<void> {
    try {
      this.targetMinutes = await ipc.intakeTargetGet();
    } catch (e) {
      notices.fail(e);
    }
  }

  async setTarget(minutes: number): Promise<boolean> {
    try {
      await ipc.intakeTargetSet(minutes);
      this.targetMinutes = minutes;
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    }
  }

  async add(r: NewReport): Promise<Report | null> {
    const added = await this.act(() => ipc.intakeAdd(r));
    if (added) this.selectedId = added.id;
    return added;
  }

  /** The text and contact stay in `revealed` only (the detail shows them); the list keeps redacted copies. */
  async reveal(id: string, reason: string): Promise<Report | null> {
    this.busy = true;
    try {
      const r = await ipc.intakeReveal(id, reason);
      this.revealed.set(id, r);
      return r;
    } catch (e) {
      notices.fail(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  acknowledge = (id: string) => this.act(() => ipc.intakeAck(id));
  prioritise = (id: string, severity: number, reason: string) => this.act(() => ipc.intakePrioritise(id, severity, reason));
  assign = (id: string, assignee: string, assisting: string[], due?: string) => this.act(() => ipc.intakeAssign(id, assignee, assisting, due));
  merge = (id: string, reference: string) => this.act(() => ipc.intakeMerge(id, reference));
  decline = (id: string, reason: string) => this.act(() => ipc.intakeDecline(id, reason));

  /** Attaches files one by one; stops at the first failure. Resolves to how many were attached. */
  async attach(id: string, paths: string[]): Promise<number> {
    let n = 0;
    for (const path of paths) {
      if (!(await this.act(() => ipc.intakeAttach(id, path), false))) break;
      n++;
    }
    await this.load();
    return n;
  }

  async openCase(id: string, title: string, kind?: CaseKind): Promise<Case | null> {
    this.busy = true;
    try {
      const c = await ipc.intakeOpenCase(id, title, kind);
      await this.load();
      return c;
    } catch (e) {
      notices.fail(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** Runs one triage command, then (by default) reloads: the queue's order follows the backend. */
  private async act(work: () => Promise<Report>, reload = true): Promise<Report | null> {
    this.busy = true;
    try {
      const r = await work();
      const i = this.reports.findIndex((x) => x.id === r.id);
      if (i >= 0) this.reports[i] = r;
      if (reload) await this.load();
      return r;
    } catch (e) {
      notices.fail(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  clear(): void {
    this.reports = [];
    this.selectedId = null;
    this.includeClosed = false;
    this.revealed.clear();
  }
}

export const intake = new Intake();
