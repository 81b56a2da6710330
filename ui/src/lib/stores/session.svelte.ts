// The vault session: which gate screen shows, and the one place a lock wipes what the UI holds.
import * as ipc from '../ipc';
import type { AppStatus, Language, LockReason } from '../ipc';
import { createActivityThrottle } from '../activity';
import { setLanguage } from '../i18n/index.svelte';
import { notices } from './notices.svelte';
import { caseList } from './cases.svelte';
import { workspace } from './workspace.svelte';
import { router } from './router.svelte';
import { review } from './review.svelte';
import { imports } from './imports.svelte';
import { intake } from './intake.svelte';
import { register } from './register.svelte';
import { chain } from './chain.svelte';
import { dmca, caseDialogs } from './dmca.svelte';

export type Phase = 'loading' | 'create' | 'created' | 'locked' | 'unlocked';

export class Session {
  phase = $state<Phase>('loading');
  fingerprint = $state<string | null>(null);
  lockReason = $state<LockReason | 'error' | null>(null);
  lockTimeoutSecs = $state(600);
  busy = $state(false);
  private throttle = createActivityThrottle(() => ipc.activity());

  async init(): Promise<void> {
    ipc.setLockedHandler(() => this.dropAll('error'));
    try {
      const s = await ipc.appStatus();
      this.apply(s);
      this.phase = !s.vault_exists ? 'create' : s.unlocked ? 'unlocked' : 'locked';
    } catch (e) {
      notices.fail(e);
      this.phase = 'locked';
    }
  }

  apply(s: AppStatus): void {
    this.fingerprint = s.fingerprint;
    this.lockTimeoutSecs = s.lock_timeout_secs;
    setLanguage(s.language);
  }

  async create(passphrase: string, owner?: string): Promise<boolean> {
    return this.gate(async () => {
      const r = await ipc.vaultCreate(passphrase, owner?.trim() || undefined);
      this.fingerprint = r.fingerprint;
      this.phase = 'created';
    });
  }

  async unlock(passphrase: string): Promise<boolean> {
    return this.gate(async () => {
      const r = await ipc.vaultUnlock(passphrase);
      this.fingerprint = r.fingerprint;
      this.lockReason = null;
      this.phase = 'unlocked';
      this.throttle.reset();
    });
  }

  /** First run from a backup: restores it into the vault directory and unlocks it. */
  async restore(from: string, passphrase: string): Promise<boolean> {
    return this.gate(async () => {
      const r = await ipc.vaultRestore(from, passphrase);
      this.fingerprint = r.fingerprint;
      this.lockReason = null;
      this.phase = 'unlocked';
      this.throttle.reset();
    });
  }

  enter(): void {
    this.phase = 'unlocked';
  }

  async lock(): Promise<void> {
    try {
      await ipc.vaultLock();
    } catch (e) {
      notices.fail(e);
    }
    // The backend's vault-locked event does the same; doing it here too keeps a lock instant
    // even if the event is slow or lost.
    this.dropAll('manual');
  }

  /** Forgets every piece of case data and returns to the unlock screen. */
  dropAll(reason: LockReason | 'error'): void {
    workspace.clear();
    caseList.clear();
    review.clear();
    imports.clear();
    intake.clear();
    register.clear();
    chain.clear();
    dmca.clear();
    caseDialogs.clear();
    router.reset();
    if (this.phase === 'create' || this.phase === 'loading') return;
    notices.clear();
    this.lockReason = reason;
    this.phase = 'locked';
  }

  /** User input happened: ping the backend's idle timer, at most every 15 s. */
  touch(): boolean {
    if (this.phase !== 'unlocked') return false;
    return this.throttle.touch();
  }

  /** Switches the UI language now and saves it; `quiet` for the gate screens, where a failed
   * save must not look like an unlock error. */
  async setLanguage(language: Language, quiet = false): Promise<void> {
    setLanguage(language);
    try {
      this.apply(await ipc.settingsSet({ language }));
    } catch (e) {
      if (!quiet) notices.fail(e);
    }
  }

  async setLockTimeout(secs: number): Promise<boolean> {
    try {
      this.apply(await ipc.settingsSet({ lock_timeout_secs: secs }));
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    }
  }

  private async gate(work: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    notices.clear();
    try {
      await work();
      return true;
    } catch (e) {
      notices.fail(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

export const session = new Session();
