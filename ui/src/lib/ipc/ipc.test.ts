import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import * as ipc from './index';
import { IpcError } from './error';
import { evidenceUrlFor } from './url';

afterEach(() => clearMocks());

describe('ipc', () => {
  let calls: { cmd: string; payload: unknown }[];
  beforeEach(() => {
    calls = [];
  });

  it('wraps every command argument in `args`, snake_case, without undefined fields', async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      return cmd === 'case_list' ? [] : null;
    });
    await ipc.caseList({ kind: 'dmca', status: undefined });
    await ipc.evidenceAdd({ reference: 'TS-1', path: '/tmp/x' });
    await ipc.settingsSet({ lock_timeout_secs: 300 });
    expect(calls).toEqual([
      { cmd: 'case_list', payload: { args: { kind: 'dmca' } } },
      { cmd: 'evidence_add', payload: { args: { reference: 'TS-1', path: '/tmp/x' } } },
      { cmd: 'settings_set', payload: { args: { lock_timeout_secs: 300 } } },
    ]);
  });

  it('turns `{code, message}` rejections into IpcError', async () => {
    mockIPC(() => {
      throw { code: 'wrong_passphrase', message: 'nope' };
    });
    const err = await ipc.vaultUnlock('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect(err).toMatchObject({ code: 'wrong_passphrase', message: 'nope' });
  });

  it('normalizes odd rejections', () => {
    expect(IpcError.from('boom')).toMatchObject({ code: 'internal', message: 'boom' });
    expect(IpcError.from(new Error('x'))).toMatchObject({ code: 'internal', message: 'x' });
    expect(IpcError.from({ code: 42 })).toMatchObject({ code: '42', message: '' });
  });

  it('tells the session when a command meets a locked vault', async () => {
    const handler = vi.fn();
    ipc.setLockedHandler(handler);
    mockIPC(() => {
      throw { code: 'locked', message: 'locked' };
    });
    await expect(ipc.eventList('TS-1')).rejects.toMatchObject({ code: 'locked' });
    expect(handler).toHaveBeenCalledOnce();
    ipc.setLockedHandler(null);
  });

  it('builds evidence URLs per platform', () => {
    expect(evidenceUrlFor('TS-2026-0042', 'abc', 'Mozilla/5.0 (X11; Linux x86_64)')).toBe(
      'casebook-evidence://localhost/TS-2026-0042/abc',
    );
    expect(evidenceUrlFor('TS 1', 'a/b', 'Mozilla/5.0 (Windows NT 10.0)')).toBe(
      'http://casebook-evidence.localhost/TS%201/a%2Fb',
    );
  });
});
