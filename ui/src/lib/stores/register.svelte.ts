// The office-action register: filtered rows, the sort the
// investigator picked, and the two exports (CSV, the public log in wikitext). Dropped on lock.
import * as ipc from '../ipc';
import type { OfficeAction, RegisterFilter, RegisterFormat } from '../ipc';
import { sortActions, type RegisterColumn, type SortDir } from '../workflow';
import { notices } from './notices.svelte';

export class Register {
  rows = $state<OfficeAction[]>([]);
  filter = $state<RegisterFilter>({});
  sort = $state<{ column: RegisterColumn; dir: SortDir }>({ column: 'effective_on', dir: 'desc' });
  loading = $state(false);
  exporting = $state<RegisterFormat | null>(null);
  /** The export shown in the preview (its text rendered with the current filters), or null. */
  preview = $state<{ format: RegisterFormat; text: string | null } | null>(null);

  readonly sorted = $derived(sortActions(this.rows, this.sort.column, this.sort.dir));

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.rows = await ipc.registerList($state.snapshot(this.filter));
      if (this.preview) await this.render(this.preview.format);
    } catch (e) {
      notices.fail(e);
    } finally {
      this.loading = false;
    }
  }

  async setFilter(patch: RegisterFilter): Promise<void> {
    const next: RegisterFilter = { ...this.filter, ...patch };
    for (const k of Object.keys(next) as (keyof RegisterFilter)[]) if (!next[k]) delete next[k];
    this.filter = next;
    await this.load();
  }

  /** Clicking the sorted column flips it; another column starts ascending (dates: newest first). */
  sortBy(column: RegisterColumn): void {
    if (this.sort.column === column) this.sort = { column, dir: this.sort.dir === 'asc' ? 'desc' : 'asc' };
    else this.sort = { column, dir: column === 'effective_on' ? 'desc' : 'asc' };
  }

  async export(format: RegisterFormat, path: string): Promise<{ path: string; rows: number } | null> {
    this.exporting = format;
    try {
      return await ipc.registerExport(format, path);
    } catch (e) {
      notices.fail(e);
      return null;
    } finally {
      this.exporting = null;
    }
  }

  /** Opens (or refreshes) the preview of an export, rendered with the screen's filters. */
  async render(format: RegisterFormat): Promise<void> {
    const keep = this.preview?.format === format ? this.preview.text : null;
    this.preview = { format, text: keep };
    try {
      const text = await ipc.registerRender(format, $state.snapshot(this.filter));
      // A later call (another format, or the preview closed) wins.
      if (this.preview?.format === format) this.preview = { format, text };
    } catch (e) {
      if (this.preview?.format === format) this.preview = null;
      notices.fail(e);
    }
  }

  closePreview(): void {
    this.preview = null;
  }

  clear(): void {
    this.preview = null;
    this.rows = [];
    this.filter = {};
    this.sort = { column: 'effective_on', dir: 'desc' };
  }
}

export const register = new Register();
