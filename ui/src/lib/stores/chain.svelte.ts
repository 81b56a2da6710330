// The review chain of the open case: its levels, history, divergences and
// committee votes, and the signed policies. Dropped on lock and when another case opens.
import * as ipc from '../ipc';
import type { ChainView, ReviewPolicy } from '../ipc';
import { IpcError } from '../ipc/error';
import { notices } from './notices.svelte';

export class Chain {
  reference = $state<string | null>(null);
  view = $state<ChainView | null>(null);
  policies = $state<ReviewPolicy[]>([]);
  loading = $state(false);

  /** Loads the chain of a case; a case never submitted simply has none (no error shown). */
  async load(reference: string): Promise<void> {
    if (this.reference !== reference) this.view = null;
    this.reference = reference;
    this.loading = true;
    try {
      const v = await ipc.reviewChain(reference);
      if (this.reference === reference) this.view = v;
    } catch (e) {
      const err = IpcError.from(e);
      if (this.reference === reference) this.view = null;
      if (err.code !== 'not_found' && err.code !== 'not_enrolled' && err.code !== 'invalid_input') notices.fail(err);
    } finally {
      this.loading = false;
    }
  }

  async loadPolicies(): Promise<void> {
    try {
      this.policies = await ipc.reviewPolicies();
    } catch {
      // Not enrolled, or an older server: no policies to show.
      this.policies = [];
    }
  }

  /** The policy a case of `kind` follows: its own, else the default (`"*"`). */
  policyFor(kind: string): ReviewPolicy | null {
    return this.policies.find((p) => p.kind === kind) ?? this.policies.find((p) => p.kind === '*') ?? null;
  }

  clear(): void {
    this.reference = null;
    this.view = null;
    this.policies = [];
  }
}

export const chain = new Chain();
