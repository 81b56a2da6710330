import * as ipc from '../ipc';
import type { Case, CaseFilter, SearchHit } from '../ipc';
import { notices } from './notices.svelte';

export class CaseList {
  cases = $state<Case[]>([]);
  filter = $state<CaseFilter>({});
  loading = $state(false);
  query = $state('');
  hits = $state<SearchHit[] | null>(null);

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.cases = await ipc.caseList($state.snapshot(this.filter));
    } catch (e) {
      notices.fail(e);
    } finally {
      this.loading = false;
    }
  }

  async setFilter(patch: CaseFilter): Promise<void> {
    const next: CaseFilter = { ...this.filter, ...patch };
    for (const k of Object.keys(next) as (keyof CaseFilter)[]) if (!next[k]) delete next[k];
    this.filter = next;
    await this.load();
  }

  async search(query: string): Promise<void> {
    this.query = query;
    if (!query.trim()) {
      this.hits = null;
      return;
    }
    try {
      this.hits = await ipc.search(query.trim());
    } catch (e) {
      notices.fail(e);
    }
  }

  async create(input: Parameters<typeof ipc.caseCreate>[0]): Promise<Case | null> {
    try {
      const c = await ipc.caseCreate(input);
      this.cases = [...this.cases, c];
      return c;
    } catch (e) {
      notices.fail(e);
      return null;
    }
  }

  clear(): void {
    this.cases = [];
    this.filter = {};
    this.query = '';
    this.hits = null;
  }
}

export const caseList = new CaseList();
