// An in-memory stand-in for the Rust backend, for flow tests and `vite --mode flows`. It keeps
// state and answers with the contract's `{ code, message }` errors, so the UI is exercised the
// way the real app exercises it. Never part of the production bundle (see main.ts).
//
// This module only dispatches: the state and helpers are in mock-context.ts, the commands in
// mock-core.ts, mock-review.ts and mock-investigation.ts, the synthetic data in mock-seed.ts.
import { clearMocks, mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { createContext, fail, type Args } from './mock-context';
import { CORE_COMMANDS, handleCore } from './mock-core';
import { REVIEW_COMMANDS, handleReview } from './mock-review';
import { INVESTIGATION_COMMANDS, PRE_UNLOCK_COMMANDS, handleInvestigation } from './mock-investigation';
import { seedCrossWiki, seedDemo, seedEvents } from './mock-seed';
import { WORKFLOW_COMMANDS, chainDecides, decideInChain, handleWorkflow, seedWorkflow, workflowOf } from './mock-workflow';
import { DMCA_COMMANDS, handleDmca, seedDmca } from './mock-dmca';
import { TIMESTAMP_COMMANDS, handleTimestamps, timestampsOf } from './mock-timestamps';
import type { AppStatus, LockReason } from './types';

export type { Args, MockContext, MockState } from './mock-context';

export function createMockBackend(now: () => Date = () => new Date()) {
  const ctx = createContext(now);
  const { state, str } = ctx;

  const status = (): AppStatus => ({
    vault_exists: state.passphrase !== null,
    unlocked: state.unlocked,
    fingerprint: state.passphrase !== null ? state.fingerprint : null,
    lock_timeout_secs: state.lock_timeout_secs,
    language: state.language,
  });

  async function handle(cmd: string, payload: Args | undefined): Promise<unknown> {
    // Channels travel beside `args`, as `onProgress`.
    const a: Args = (payload?.args as Args | undefined) ?? {};
    state.calls.push(cmd);
    state.log.push({ cmd, args: a });
    switch (cmd) {
      case 'app_status':
        return status();
      case 'vault_create': {
        if (state.passphrase !== null) fail('vault_exists', 'a vault already exists');
        const p = str(a, 'passphrase');
        if (p.length < 8) fail('invalid_input', 'passphrase too short');
        state.passphrase = p;
        state.owner = str(a, 'owner', false) || 'investigator';
        state.unlocked = true;
        return { fingerprint: state.fingerprint };
      }
      case 'vault_unlock': {
        if (state.passphrase === null) fail('no_vault', 'no vault');
        if (a.passphrase !== state.passphrase) fail('wrong_passphrase', 'wrong passphrase');
        state.unlocked = true;
        return { fingerprint: state.fingerprint };
      }
      case 'vault_lock':
        await lock('manual');
        return null;
      case 'activity':
        return null;
      case 'settings_set': {
        if (typeof a.lock_timeout_secs === 'number') {
          if (a.lock_timeout_secs < 30) fail('invalid_input', 'lock timeout below 30 s');
          state.lock_timeout_secs = a.lock_timeout_secs;
        }
        if (a.language === 'en' || a.language === 'es') state.language = a.language;
        return status();
      }
      // The dialog plugin: answers what a test queued in `state.dialog`, else a plausible path.
      case 'plugin:dialog|save': {
        const options = (payload?.options ?? {}) as { defaultPath?: string };
        const queued = state.dialog.save;
        state.dialog.save = undefined;
        return queued !== undefined ? queued : `/home/inv/exports/${options.defaultPath ?? 'export'}`;
      }
      case 'plugin:dialog|open': {
        const queued = state.dialog.open;
        state.dialog.open = undefined;
        return queued !== undefined ? queued : null;
      }
    }
    if (PRE_UNLOCK_COMMANDS.has(cmd)) return handleInvestigation(ctx, cmd, a, payload);
    if (!state.unlocked) fail('locked', 'the vault is locked');
    if (CORE_COMMANDS.has(cmd)) return handleCore(ctx, cmd, a);
    if (cmd === 'review_decide' && chainDecides(ctx, a)) return decideInChain(ctx, a);
    if (WORKFLOW_COMMANDS.has(cmd)) return handleWorkflow(ctx, cmd, a);
    if (REVIEW_COMMANDS.has(cmd)) return handleReview(ctx, cmd, a, payload);
    if (INVESTIGATION_COMMANDS.has(cmd)) return handleInvestigation(ctx, cmd, a, payload);
    if (DMCA_COMMANDS.has(cmd)) return handleDmca(ctx, cmd, a);
    if (TIMESTAMP_COMMANDS.has(cmd)) return handleTimestamps(ctx, cmd, a);
    return fail('unknown_command', `mock backend has no command ${cmd}`);
  }

  async function lock(reason: LockReason) {
    state.unlocked = false;
    state.revealed.clear();
    // Locking cancels every running job.
    for (const job of state.jobs.values()) job.cancelled = true;
    await emit('vault-locked', { reason });
  }

  return {
    state,
    handle,
    lock,
    /** Fills a case with `n` synthetic events over several years (the 10,000-event timeline). */
    seedEvents: (reference: string, n: number, actors?: string[]) => seedEvents(ctx, reference, n, actors),
    /** A small, realistic case for screenshots and manual checks in the browser preview. */
    seedDemo: (reference: string) => seedDemo(ctx, reference),
    /** Files dropped on the window from the desktop (the webview's drag-drop event). */
    dropFiles: (paths: string[]) => emit('tauri://drag-drop', { paths, position: { x: 10, y: 10 } }),
    /** Imported edits of three accounts on two wikis, with shared pages and talk messages. */
    seedCrossWiki: (reference: string) => seedCrossWiki(ctx, reference),
    /** Intake, register and chain state (reports in the clear, register rows, chains, exports). */
    workflow: workflowOf(ctx),
    /** Reports (an emergency one 40 minutes old), register rows and two cases mid-chain. */
    seedWorkflow: () => seedWorkflow(ctx),
    /** a DMCA case with an incomplete notice and a countered takedown; its reference. */
    seedDmca: () => seedDmca(ctx),
    /** The time-stamping authority, its queue, and whether it answers. */
    timestamps: timestampsOf(ctx),
  };
}

export type MockBackend = ReturnType<typeof createMockBackend>;

/** Installs the mock as the app's IPC and exposes it on `window.__casebookMock` for flow tests. */
export function installMockBackend(): MockBackend {
  mockWindows('main');
  const backend = createMockBackend();
  mockIPC((cmd, payload) => backend.handle(cmd, payload as Args | undefined), { shouldMockEvents: true });
  (window as unknown as { __casebookMock: MockBackend }).__casebookMock = backend;
  return backend;
}

/** For unit tests: routes IPC to `backend` (events not mocked) after clearing earlier mocks. */
export function useMockBackend(backend: MockBackend): void {
  clearMocks();
  mockIPC((cmd, payload) => backend.handle(cmd, payload as Args | undefined));
}
