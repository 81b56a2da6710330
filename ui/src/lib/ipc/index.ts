// The only door to the backend. Nothing else in the UI imports @tauri-apps/*: one typed function
// per command of docs/desktop.md, errors normalized to IpcError.
import { invoke, Channel } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open, save } from '@tauri-apps/plugin-dialog';
import { IpcError, ErrorCode } from './error';
import { evidenceUrlFor } from './url';
import { decodeEventColumns, type EventColumns } from './event-columns';
import type {
  Access,
  AttachedWikis,
  BackupCounts,
  CaseUpdate,
  EventsImportResult,
  FileFilter,
  ImportRecord,
  ImportRequest,
  ImportResult,
  ImportUpdate,
  Interactions,
  KnownWiki,
  SealedFile,
  AppStatus,
  AuditEntry,
  Case,
  CaseEvent,
  CaseFilter,
  CaseKind,
  Contact,
  Decision,
  Evidence,
  EventInput,
  Identity,
  InboxItem,
  Language,
  LockReason,
  Note,
  OpenedBundle,
  OutboxItem,
  Person,
  Priority,
  SearchHit,
  Subject,
  SubjectRole,
  SyncResult,
  ReportRequest,
  ReportWritten,
  Region,
  Sensitivity,
  TimestampAuthority,
  TimestampSendSummary,
  TimestampStatus,
} from './types';

export * from './types';
export { IpcError, ErrorCode } from './error';

let lockedHandler: (() => void) | null = null;

/** Called whenever a command fails with `locked`: the session returns to the unlock screen. */
export function setLockedHandler(handler: (() => void) | null): void {
  lockedHandler = handler;
}

async function call<T>(command: string, args: object = {}): Promise<T> {
  try {
    return await invoke<T>(command, { args });
  } catch (raw) {
    const err = IpcError.from(raw);
    if (err.code === ErrorCode.Locked) lockedHandler?.();
    throw err;
  }
}

/** Drops undefined fields so optional arguments are absent rather than null. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// Vault and session.
export const appStatus = () => call<AppStatus>('app_status');
/** `owner` is the name written as the actor of every audit row ("investigator" when absent). */
export const vaultCreate = (passphrase: string, owner?: string) =>
  call<{ fingerprint: string }>('vault_create', defined({ passphrase, owner }));
export const vaultUnlock = (passphrase: string) =>
  call<{ fingerprint: string }>('vault_unlock', { passphrase });
export const vaultLock = () => call<null>('vault_lock');
export const activity = () => call<null>('activity');
export const settingsSet = (s: { lock_timeout_secs?: number; language?: Language }) =>
  call<AppStatus>('settings_set', defined(s));

// Cases and search.
export const caseList = (filter: CaseFilter = {}) => call<Case[]>('case_list', defined(filter));
export const caseCreate = (c: { title: string; kind: CaseKind; summary?: string; priority?: Priority }) =>
  call<Case>('case_create', defined(c));
export const caseGet = (reference: string) => call<Case>('case_get', { reference });
export const search = (query: string, reference?: string) =>
  call<SearchHit[]>('search', defined({ query, reference }));

// Subjects.
export const subjectList = (reference: string) => call<Subject[]>('subject_list', { reference });
export const subjectAdd = (s: { reference: string; username: string; wiki: string; role: SubjectRole }) =>
  call<Subject>('subject_add', s);

// Timeline events.
export const eventList = async (reference: string): Promise<CaseEvent[]> =>
  decodeEventColumns(await call<EventColumns>('event_list', { reference }));
export const eventAdd = (e: EventInput) => call<CaseEvent>('event_add', defined(e));
export const eventUpdate = (e: EventInput & { id: string }) => call<CaseEvent>('event_update', defined(e));

// Evidence.
export const evidenceList = (reference: string) => call<Evidence[]>('evidence_list', { reference });
export const evidenceAdd = (e: { reference: string; path: string; title?: string }) =>
  call<Evidence>('evidence_add', defined(e));
export const evidenceReveal = (reference: string, id: string) =>
  call<null>('evidence_reveal', { reference, id });

// Notes and audit.
export const noteList = (reference: string) => call<Note[]>('note_list', { reference });
export const noteAdd = (reference: string, body: string) => call<Note>('note_add', { reference, body });
export const auditList = (reference: string) => call<AuditEntry[]>('audit_list', { reference });
export const auditVerify = () => call<{ rows: number }>('audit_verify');
export const accessLog = (reference?: string, actor?: string) =>
  call<Access[]>('access_log', defined({ reference, actor }));

// Identity and contacts.
export const identityGet = () => call<Identity>('identity_get');
export const contactList = () => call<Contact[]>('contact_list');

// Review (second stage).
export interface Progress {
  done: number;
  total: number;
}
function channel<M>(onProgress?: (p: M) => void): Channel<M> {
  const ch = new Channel<M>();
  if (onProgress) ch.onmessage = onProgress;
  return ch;
}
export const syncEnroll = (server: string, token: string, device_name: string) =>
  call<{ server: string; user: string; fingerprint: string }>('sync_enroll', { server, token, device_name });
export const directoryList = () => call<Person[]>('directory_list');
/** `job_id` lets `jobCancel` stop the sealing (nothing is then left in the outbox). */
export const caseSubmit = (reference: string, reviewers: string[], onProgress?: (p: Progress) => void, job_id?: string) =>
  invokeWithChannel<OutboxItem, Progress>('case_submit', defined({ reference, reviewers, job_id }), channel(onProgress));
export const outboxList = () => call<OutboxItem[]>('outbox_list');
/** `job_id` lets `jobCancel` stop the sync between bundles. */
export const syncRun = (job_id?: string) => call<SyncResult>('sync_run', defined({ job_id }));
export const inboxList = () => call<InboxItem[]>('inbox_list');
export const inboxOpen = (id: string, onProgress?: (p: Progress) => void) =>
  invokeWithChannel<OpenedBundle, Progress>('inbox_open', { id }, channel(onProgress));
export const reviewDecide = (reference: string, decision: Decision, rationale: string) =>
  call<OutboxItem>('review_decide', { reference, decision, rationale });

async function invokeWithChannel<T, M>(command: string, args: object, onProgress: Channel<M>): Promise<T> {
  try {
    return await invoke<T>(command, { args, onProgress });
  } catch (raw) {
    const err = IpcError.from(raw);
    if (err.code === ErrorCode.Locked) lockedHandler?.();
    throw err;
  }
}

// Investigation (docs/desktop.md, "Investigation commands"). Long work takes a `job_id` chosen
// here and a progress channel; `jobCancel(job_id)` stops it and the command fails `cancelled`.

/** A fresh id for a long job (1–64 characters, unique among running jobs). */
export const newJobId = (): string => crypto.randomUUID();
export const jobCancel = (job_id: string) => call<{ cancelled: boolean }>('job_cancel', { job_id });
export const caseUpdate = (reference: string, patch: CaseUpdate) =>
  call<Case>('case_update', defined({ reference, ...patch }));
export const wikiList = () => call<KnownWiki[]>('wiki_list');
export const wikiListSet = (wikis: KnownWiki[]) => call<KnownWiki[]>('wiki_list_set', { wikis });
export const wikiAttached = (api: string, username: string) => call<AttachedWikis>('wiki_attached', { api, username });
export const importStart = (job_id: string, request: ImportRequest, onProgress?: (u: ImportUpdate) => void) =>
  invokeWithChannel<ImportResult, ImportUpdate>('import_start', defined({ job_id, ...request }), channel(onProgress));
export const importList = (reference?: string) => call<ImportRecord[]>('import_list', defined({ reference }));
export const importResume = (job_id: string, onProgress?: (u: ImportUpdate) => void) =>
  invokeWithChannel<ImportResult, ImportUpdate>('import_resume', { job_id }, channel(onProgress));
export const interactionsGet = (reference: string) => call<Interactions>('interactions_get', { reference });
export const eventsImport = (job_id: string, reference: string, path: string, onProgress?: (p: Progress) => void) =>
  invokeWithChannel<EventsImportResult, Progress>('events_import', { job_id, reference, path }, channel(onProgress));
/** A case report (PDF or HTML by `to`'s extension) and its signed manifest beside it. */
export const caseReport = (request: ReportRequest) => call<ReportWritten>('case_report', defined({ ...request }));
/** A redacted copy: `regions` of an image or `phrases` of a text item, one of the two. */
export const evidenceRedact = (reference: string, id: string, redact: { regions?: Region[]; phrases?: string[]; pages?: number[] }, reason: string) =>
  call<Evidence>('evidence_redact', defined({ reference, id, ...redact, reason }));
export const timestampAuthorityGet = () => call<TimestampAuthority | null>('timestamp_authority_get');
export const timestampAuthoritySet = (url: string, root_pem: string) =>
  call<TimestampAuthority>('timestamp_authority_set', { url, root_pem });
export const timestampAuthorityClear = () => call<null>('timestamp_authority_clear');
/** Each item of a case that has a timestamp or waits for one, by item id. */
export const timestampStatuses = (reference: string) =>
  call<Record<string, TimestampStatus>>('timestamp_statuses', { reference });
export const timestampQueueCase = (reference: string) => call<number>('timestamp_queue_case', { reference });
/** Sends the queue to the authority (nothing without one); tokens are checked and kept. */
export const timestampSend = () => call<TimestampSendSummary>('timestamp_send');
export const evidenceSetSensitivity = (reference: string, id: string, sensitivity: Sensitivity, reason: string) =>
  call<Evidence>('evidence_set_sensitivity', { reference, id, sensitivity, reason });
export const evidenceExport = (reference: string, id: string, to: string) =>
  call<Evidence>('evidence_export', { reference, id, to });
export const subjectReveal = (reference: string, id: string, reason: string) =>
  call<Subject>('subject_reveal', { reference, id, reason });
export const vaultBackup = (to: string) => call<BackupCounts>('vault_backup', { to });
export const vaultRestore = (from: string, passphrase: string) =>
  call<{ fingerprint: string }>('vault_restore', { from, passphrase });
export const bundleSealFile = (
  job_id: string,
  reference: string,
  recipients: string[],
  to: string,
  onProgress?: (p: Progress) => void,
  redacted_in_place = false,
) =>
  invokeWithChannel<SealedFile, Progress>(
    'bundle_seal_file',
    defined({ job_id, reference, recipients, to, redacted_in_place: redacted_in_place || undefined }),
    channel(onProgress),
  );
export const bundleOpenFile = (job_id: string, path: string, onProgress?: (p: Progress) => void) =>
  invokeWithChannel<OpenedBundle, Progress>('bundle_open_file', { job_id, path }, channel(onProgress));
export const pendingFileTake = () => call<string | null>('pending_file_take');

// Events, files and previews.

/** The backend locked the vault (idle timeout or a manual lock elsewhere). */
export function onVaultLocked(cb: (reason: LockReason) => void): Promise<UnlistenFn> {
  return listen<{ reason: LockReason }>('vault-locked', (e) => cb(e.payload.reason));
}

/** URL of an evidence item's bytes, streamed from the vault by the `casebook-evidence` protocol. */
export function evidenceUrl(reference: string, id: string): string {
  return evidenceUrlFor(reference, id);
}

/** The native file dialog; resolves to the chosen paths (empty when cancelled). */
export async function pickEvidenceFiles(): Promise<string[]> {
  const picked = await open({ multiple: true, directory: false });
  if (picked === null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/** The native save dialog; resolves to the chosen path, or null when cancelled. */
export async function pickSavePath(defaultName: string, filters?: FileFilter[]): Promise<string | null> {
  return (await save({ defaultPath: defaultName, filters })) ?? null;
}

/** The native open dialog for one file; resolves to its path, or null when cancelled. */
export async function pickFile(filters: FileFilter[] = []): Promise<string | null> {
  const picked = await open({ multiple: false, directory: false, filters });
  if (picked === null) return null;
  return Array.isArray(picked) ? (picked[0] ?? null) : picked;
}

/** Sealed bundles: the files the app opens rather than stores as evidence. */
export const bundleFilter = (name: string): FileFilter => ({ name, extensions: ['casebundle'] });
export const isBundlePath = (path: string): boolean => path.toLowerCase().endsWith('.casebundle');

export type FileDropState = { type: 'over' } | { type: 'drop'; paths: string[] } | { type: 'leave' };

/** Files dragged onto the window from the desktop (the webview's drag-drop event). */
export async function onFileDrop(cb: (state: FileDropState) => void): Promise<UnlistenFn> {
  try {
    return await getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      if (p.type === 'drop') cb({ type: 'drop', paths: p.paths });
      else if (p.type === 'leave') cb({ type: 'leave' });
      else cb({ type: 'over' });
    });
  } catch {
    // Outside Tauri (flow tests, a plain browser) there is no native drop source.
    return () => {};
  }
}

// ---- intake queue, register (read side), review chain (docs/desktop.md) ----
import type {
  ChainView,
  NewReport,
  OfficeAction,
  RegisterFilter,
  RegisterFormat,
  Report,
  ReviewPolicy,
} from './types';

export const intakeList = (include_closed: boolean) => call<Report[]>('intake_list', { include_closed });
export const intakeAdd = (r: NewReport) => call<Report>('intake_add', defined({ ...r }));
export const intakeGet = (id: string) => call<Report>('intake_get', { id });
/** The restricted text and the reporter's contact, for this session; the reason is audited. */
export const intakeReveal = (id: string, reason: string) => call<Report>('intake_reveal', { id, reason });
export const intakeAck = (id: string) => call<Report>('intake_ack', { id });
export const intakePrioritise = (id: string, severity: number, reason: string) =>
  call<Report>('intake_prioritise', { id, severity, reason });
export const intakeAssign = (id: string, assignee: string, assisting: string[], due_at?: string) =>
  call<Report>('intake_assign', defined({ id, assignee, assisting, due_at }));
export const intakeAttach = (id: string, path: string) => call<Report>('intake_attach', { id, path });
export const intakeOpenCase = (id: string, title: string, kind?: CaseKind) =>
  call<Case>('intake_open_case', defined({ id, title, kind }));
export const intakeMerge = (id: string, reference: string) => call<Report>('intake_merge', { id, reference });
export const intakeDecline = (id: string, reason: string) => call<Report>('intake_decline', { id, reason });
export const intakeTargetGet = () => call<number>('intake_target_get');
export const intakeTargetSet = (minutes: number) => call<unknown>('intake_target_set', { minutes });

export const registerList = (filter: RegisterFilter = {}) => call<OfficeAction[]>('register_list', defined({ ...filter }));
export const registerExport = (format: RegisterFormat, path: string) =>
  call<{ path: string; rows: number }>('register_export', { format, path });
/** The export's text with the register's filters applied, for a preview and the clipboard. */
export const registerRender = (format: RegisterFormat, filter: RegisterFilter = {}) =>
  call<string>('register_render', defined({ format, ...filter }));

export const reviewPolicies = () => call<ReviewPolicy[]>('review_policies');
export const reviewChain = (reference: string) => call<ChainView>('review_chain', { reference });

// ---- office actions (recording), DMCA notices, appeals (docs/desktop.md) ----
import type { AppellantRole, DmcaNotice, DmcaNoticeInput, NewOfficeAction, TakedownItem } from './types';

/** Records an office action on an approved case (and queues its decision for the server). */
export const actionRecord = (reference: string, action: NewOfficeAction) =>
  call<OfficeAction>('action_record', defined({ reference, ...action }));
export const dmcaList = (reference?: string) => call<DmcaNotice[]>('dmca_list', defined({ reference }));
export const dmcaGet = (id: string) => call<DmcaNotice>('dmca_get', { id });
export const dmcaAdd = (reference: string, notice: DmcaNoticeInput) =>
  call<DmcaNotice>('dmca_add', { reference, notice: defined(notice) });
export const dmcaUpdate = (id: string, notice: DmcaNoticeInput) =>
  call<DmcaNotice>('dmca_update', { id, notice: defined(notice) });
/** The complainant's contact, for this session; the reason is audited. */
export const dmcaReveal = (id: string, reason: string) => call<DmcaNotice>('dmca_reveal', { id, reason });
export const dmcaTakedown = (id: string, items: TakedownItem[]) => call<DmcaNotice>('dmca_takedown', { id, items });
export const dmcaNotify = (id: string, uploader: string) => call<DmcaNotice>('dmca_notify', { id, uploader });
export const dmcaCounter = (id: string, from: string, statement: string, received_at?: string) =>
  call<DmcaNotice>('dmca_counter', defined({ id, from, statement, received_at }));
/** Wikitext of the public DMCA archive entry (no complainant contact). */
export const dmcaArchive = (id: string) => call<string>('dmca_archive', { id });
export const appealRecord = (reference: string, appellant: string, appellant_role: AppellantRole, statement: string) =>
  call<OutboxItem>('appeal_record', { reference, appellant, appellant_role, statement });
