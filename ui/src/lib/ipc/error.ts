/** The backend's `{ code, message }` error. The UI branches on `code`, never on `message`. */
export class IpcError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
  }

  /** Normalizes whatever a rejected `invoke` produced into an IpcError. */
  static from(raw: unknown): IpcError {
    if (raw instanceof IpcError) return raw;
    if (typeof raw === 'object' && raw !== null && 'code' in raw) {
      const r = raw as { code: unknown; message?: unknown };
      return new IpcError(String(r.code), typeof r.message === 'string' ? r.message : '');
    }
    if (raw instanceof Error) return new IpcError('internal', raw.message);
    return new IpcError('internal', typeof raw === 'string' ? raw : 'unexpected error');
  }
}

/** Error codes the UI treats specially. */
export const ErrorCode = {
  WrongPassphrase: 'wrong_passphrase',
  Locked: 'locked',
  NotFound: 'not_found',
  InvalidInput: 'invalid_input',
  ReadOnly: 'read_only',
  AuditBroken: 'audit_broken',
  NoVault: 'no_vault',
  VaultExists: 'vault_exists',
  CorruptVault: 'corrupt_vault',
} as const;
