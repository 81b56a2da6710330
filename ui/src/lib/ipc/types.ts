// Mirrors of casebook-core's models (crates/casebook-core/src/model.rs, identity.rs) as serde
// serializes them: snake_case fields, RFC 3339 times, enums as lowercase snake_case strings.

export const CASE_KINDS = [
  'global_ban',
  'event_ban',
  'threat_of_harm',
  'child_protection',
  'dmca',
  'disinformation',
  'harassment',
  'privacy',
  'other',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = [
  'open',
  'submitted',
  'in_review',
  'changes_requested',
  'modification_proposed',
  'approved',
  'declined',
  'action_recorded',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SUBJECT_ROLES = ['reported_party', 'reporter', 'witness', 'affected'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

export const EVIDENCE_KINDS = [
  'revision',
  'log_entry',
  'screenshot',
  'file',
  'email',
  'chat',
  'web_capture',
  'note',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const SENSITIVITIES = ['normal', 'nonpublic', 'restricted'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const PRECISIONS = ['exact', 'minute', 'day', 'approximate'] as const;
export type Precision = (typeof PRECISIONS)[number];

export type EventSource = 'manual' | 'imported';
export type Language = 'en' | 'es';

/** RFC 3339 timestamp in UTC, as chrono serializes `DateTime<Utc>`. */
export type Timestamp = string;

export interface Case {
  id: string;
  reference: string;
  title: string;
  kind: CaseKind;
  status: CaseStatus;
  priority: Priority;
  summary: string;
  opened_at: Timestamp;
  legal_hold: boolean;
  default_sensitivity: Sensitivity;
  /** The specialist who leads the case; empty while nobody does. */
  assignee?: string;
  /** The author's fingerprint when this is a read-only copy received in a bundle. */
  origin?: string;
  // computes them from priority and due_at when absent: see workflow.ts caseFlags).
  assisting?: string[];
  due_at?: Timestamp | null;
  overdue?: boolean;
  urgent?: boolean;
}

export interface LinkedAccount {
  username: string;
  wiki: string;
  confidence: number;
}

export interface NonpublicFields {
  real_name?: string;
  email?: string;
  ip?: string;
}

export interface Subject {
  id: string;
  case_id: string;
  username: string;
  wiki: string;
  role: SubjectRole;
  linked_accounts: LinkedAccount[];
  nonpublic: NonpublicFields;
  added_at: Timestamp;
  wiki_facts?: unknown;
}

export interface Evidence {
  id: string;
  case_id: string;
  kind: EvidenceKind;
  title: string;
  source_url: string | null;
  captured_at: Timestamp;
  captured_by: string;
  sha256: string;
  size: number;
  mime: string;
  original_name: string;
  sensitivity: Sensitivity;
  /** Set on a redacted copy: what it was made from, by whom and why. */
  redaction?: Redaction;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Redaction {
  original_id: string;
  original_sha256: string;
  redacted_by: string;
  redacted_at: Timestamp;
  reason: string;
  method: 'image_regions' | 'text_phrases';
  regions?: Region[];
  removed: number;
}

export interface CaseEvent {
  id: string;
  case_id: string;
  occurred_at: Timestamp;
  precision: Precision;
  actor: string;
  summary: string;
  place: string;
  category: string;
  tags: string[];
  evidence: string[];
  source: EventSource;
  import_id: string | null;
}

export interface Note {
  id: string;
  case_id: string;
  body: string;
  created_at: Timestamp;
  author: string;
}

export interface AuditEntry {
  seq: number;
  at: Timestamp;
  actor: string;
  action: string;
  case_id: string | null;
  entity: string;
  payload_hash: string;
  prev_hash: string;
  hash: string;
}

export interface SearchHit {
  case_reference: string;
  /** `event`, `evidence`, `note` or `subject`. */
  entity: string;
  entity_id: string;
  snippet: string;
  rank: number;
}

export interface Contact {
  fingerprint: string;
  name: string;
  signing_key: string;
  recipient: string;
  source: string;
  added_at: string;
}

export interface AppStatus {
  vault_exists: boolean;
  unlocked: boolean;
  fingerprint: string | null;
  lock_timeout_secs: number;
  language: Language;
}

export interface Identity {
  name: string;
  fingerprint: string;
  signing_key: string;
  encryption_key: string;
}

export interface CaseFilter {
  kind?: CaseKind;
  status?: CaseStatus;
  priority?: Priority;
}

export interface EventInput {
  reference: string;
  occurred_at: Timestamp;
  precision: Precision;
  actor: string;
  summary: string;
  place?: string;
  category?: string;
  tags?: string[];
  evidence?: string[];
}

export type LockReason = 'manual' | 'idle';

// Review (second stage).
export interface Person {
  name: string;
  roles: string[];
  fingerprint: string;
  revoked: boolean;
}

export interface OutboxItem {
  id: string;
  case_reference: string;
  kind: string;
  /** The decision a decision bundle carries (empty for a submission). */
  decision?: string;
  state: 'queued' | 'uploading' | 'sent' | 'refused';
  message?: string;
  bytes_sent: number;
  size: number;
}

export interface InboxItem {
  id: string;
  case_reference: string;
  author: string;
  author_fingerprint: string;
  kind: string;
  decision?: string;
  size: number;
  received_at: Timestamp;
  opened: boolean;
}

export interface BundleCheck {
  name: string;
  ok: boolean;
}

export interface OpenedBundle {
  case_reference: string;
  author: string;
  fingerprint: string;
  checks: BundleCheck[];
  /** Originals the author left out, each replaced by its redacted copy. */
  withheld?: number;
}

/** Every signed transition of the review cycle a person records from the app (`submit` goes
 * through `case_submit`). */
export const DECISIONS = [
  'approve',
  'decline',
  'changes_requested',
  'global_ban',
  'event_ban',
  'warning',
  'no_action',
  'close',
  'appeal',
  'uphold',
  'overturn',
  'propose_modification',
  'accept_modification',
  'keep_position',
  // The office actions of the register's other kinds.
  'interaction_ban',
  'other_action',
] as const;
export type Decision = (typeof DECISIONS)[number];
export const OFFICE_ACTIONS = ['global_ban', 'event_ban', 'warning', 'no_action'] as const satisfies readonly Decision[];

/** Where a case stands on the review server (a superset of CaseStatus: the appeal states). */
export type ReviewState =
  | 'submitted'
  | 'in_review'
  | 'changes_requested'
  | 'modification_proposed'
  | 'approved'
  | 'declined'
  | 'action_recorded'
  | 'closed'
  | 'committee_review'
  | 'upheld'
  | 'overturned';

export interface CaseReviewState {
  case_id: string;
  case_reference: string | null;
  state: ReviewState | string;
  approvals: string[];
  approvals_needed: number;
  transitions: number;
  verified: boolean;
  unverified: string[];
}

export interface SyncResult {
  pushed: number;
  pulled: number;
  decisions: number;
  offline: boolean;
  refused?: string[];
  cases?: CaseReviewState[];
}

// Investigation (docs/desktop.md, "Investigation commands").

export interface CaseUpdate {
  title?: string;
  status?: CaseStatus;
  priority?: Priority;
  summary?: string;
  legal_hold?: boolean;
  assignee?: string;
  assisting?: string[];
  due_at?: Timestamp;
}

export interface KnownWiki {
  name: string;
  api: string;
}

export interface AttachedWiki {
  wiki: string;
  api: string;
  editcount: number;
  groups: string[];
  registration: string | null;
}

export interface AttachedWikis {
  available: boolean;
  home: string | null;
  wikis: AttachedWiki[];
}

export interface ImportAccount {
  username: string;
  apis: string[];
}

export interface ImportRequest {
  reference: string;
  accounts: ImportAccount[];
  since?: Timestamp;
  until?: Timestamp;
  namespaces?: number[];
  with_content: boolean;
}

export type ImportRowState = 'running' | 'done' | 'queued' | 'failed';

export interface ImportCounts {
  pages_fetched: number;
  items_stored: number;
  items_already_known: number;
}

/** One message of an import's progress channel: a row (account × wiki) or the running total. */
/** One account's list on one wiki (counts so far for that list), with the whole import's total. */
export type ImportUpdate = ImportCounts & {
  wiki: string;
  account: string;
  list: 'contributions' | 'logs' | 'abuselog' | 'users' | string;
  state: 'running' | 'done' | 'queued' | 'failed';
  message: string | null;
  total: ImportCounts;
};

export interface ImportWikiResult extends ImportCounts {
  wiki: string;
  api: string;
  users: string[];
  state: 'done' | 'queued' | 'failed';
  message: string;
  import_id: string;
}

export interface ImportResult {
  wikis: ImportWikiResult[];
}

export interface ImportRecord {
  id: string;
  case_reference: string;
  wiki: string;
  api: string;
  users: string[];
  state: 'queued' | 'done' | 'failed' | 'running';
  error: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface PairGap {
  leader: string;
  follower: string;
  times: number;
  min_seconds: number;
  median_seconds: number;
}

export interface SharedPage {
  /** The wiki's host; may be absent from older backends. */
  wiki?: string;
  title: string;
  accounts: string[];
  /** `[account, at, revid]`, oldest first. */
  edits: [string, Timestamp, number][];
  gaps: PairGap[];
}

export interface TalkMessages {
  /** The wiki's host (with its port when not the default). */
  wiki?: string;
  from: string;
  to: string;
  page: string;
  count: number;
  first: Timestamp;
  last: Timestamp;
}

export interface Interactions {
  accounts: string[];
  shared_pages: SharedPage[];
  talk: TalkMessages[];
}

export interface EventsImportResult {
  import_id: string;
  events: number;
  batches: number;
}

export interface BackupCounts {
  cases: number;
  events: number;
  evidence: number;
  audit_rows: number;
}

export interface SealedFile {
  path: string;
  bundle_id: string;
  size: number;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** One access to non-public or restricted material, from the audit chain (`access_log`). */
export interface Access {
  seq: number;
  at: Timestamp;
  actor: string;
  action: string;
  case_reference: string | null;
  entity: string;
  /** Why, as asked at the reveal; null for accesses that do not ask. */
  reason: string | null;
}

// ---- intake queue, register (read side), review chain ----

export const REPORT_CHANNELS = ['general', 'emergency', 'child_protection', 'dmca', 'other'] as const;
/** `emergency` = threat of harm. */
export type ReportChannel = (typeof REPORT_CHANNELS)[number];
export const REPORT_STATES = ['new', 'acknowledged', 'opened', 'merged', 'declined'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
/** 1 = most severe … 4. */
export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ReportAttachment {
  id: string;
  name: string;
  sha256: string;
  size: number;
  mime: string;
}

export interface Report {
  id: string;
  received_at: Timestamp;
  channel: ReportChannel;
  state: ReportState;
  reporter: string;
  /** NON-PUBLIC: `"[redacted]"` unless revealed (intake_reveal). */
  reporter_contact: string | null;
  /** Null while restricted and not revealed. */
  text: string | null;
  restricted: boolean;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
  severity: number | null;
  severity_reason: string;
  assignee: string;
  assisting: string[];
  due_at: Timestamp | null;
  case_reference: string | null;
  decline_reason: string;
  attachments: ReportAttachment[];
  first_action_at: Timestamp | null;
  /** Emergency reports only: the target for the first action, in seconds from receipt. */
  target_secs: number | null;
  overdue: boolean;
  urgent: boolean;
}

export interface NewReport {
  channel: ReportChannel;
  reporter: string;
  reporter_contact?: string;
  text: string;
  received_at?: Timestamp;
}

export const ACTION_KINDS = ['global_ban', 'event_ban', 'conduct_warning', 'interaction_ban', 'other'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const ACTION_STATUSES = ['active', 'overturned', 'expired'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface ActionAccount {
  username: string;
  wiki: string;
}

export interface ActionEvent {
  name: string;
  place: string;
  starts_on: string;
  ends_on: string;
}

/** One row of the office-action register (dates are `YYYY-MM-DD`). */
export interface OfficeAction {
  id: string;
  case_id: string;
  case_reference: string;
  kind: ActionKind;
  accounts: ActionAccount[];
  event: ActionEvent | null;
  other_label: string;
  effective_on: string;
  review_on: string | null;
  expires_on: string | null;
  recorded_by: string;
  recorded_at: Timestamp;
  status: ActionStatus;
  overturned_at: Timestamp | null;
  overturn_rationale: string;
  /** review_on within 30 days or past, while active. */
  review_due: boolean;
}

export interface RegisterFilter {
  kind?: ActionKind;
  status?: ActionStatus;
  account?: string;
}

export type RegisterFormat = 'csv' | 'wiki';

export interface PolicyLevel {
  role: string;
  required: number;
}

export interface ReviewPolicy {
  /** A case kind, or `"*"` for the default policy. */
  kind: string;
  levels: PolicyLevel[];
  appeal_window_days: number;
  committee_required: number;
  /** Who signed it (the policy list); a chain's own copy of its policy may not say. */
  signed_by?: string;
}

export type ChainLevelStatus = 'done' | 'current' | 'pending';

export interface ChainLevel extends PolicyLevel {
  approvals: string[];
  status: ChainLevelStatus;
}

export interface ChainTransition {
  seq: number;
  /** Unix seconds. */
  at: number;
  actor_user: string;
  decision: string;
  from: string | null;
  to: string;
  level: number | null;
  /** From the signed decision bundle when this vault could open it. */
  rationale: string | null;
}

export interface Divergence {
  level: number;
  proposed_by: string;
  proposal: string;
  response: 'accepted' | 'kept' | 'pending';
  author_note: string | null;
}

export interface CommitteeVote {
  user: string;
  decision: 'uphold' | 'overturn';
}

/** `review_chain {reference}`: where a case stands in its policy's levels. */
export interface ChainView {
  case_id: string;
  author_user: string;
  state: string;
  kind: string | null;
  policy: ReviewPolicy;
  /** 0-based current level; = levels.length once approved. */
  level: number;
  levels: ChainLevel[];
  history: ChainTransition[];
  divergences: Divergence[];
  committee: CommitteeVote[];
  appeal_deadline: Timestamp | null;
  /** True: the last known copy (the server was unreachable). */
  offline: boolean;
}

// ---- office actions (recording), DMCA notices, appeals ----

/** `action_record`'s arguments besides `reference` (dates `YYYY-MM-DD`). */
export interface NewOfficeAction {
  kind: ActionKind;
  accounts: ActionAccount[];
  /** event_ban only, required there. */
  event?: ActionEvent;
  /** kind `other` only. */
  other_label?: string;
  effective_on: string;
  review_on?: string;
  expires_on?: string;
  /** Signed into the decision sent to the server (the action's name when absent). */
  rationale?: string;
}

/** NON-PUBLIC: every non-empty field is `"[redacted]"` unless revealed (`dmca_reveal`). */
export interface Complainant {
  name: string;
  address: string;
  email: string;
  phone: string;
}

/** What the notice form sends (`dmca_add` / `dmca_update`'s `notice`). */
export interface DmcaNoticeInput {
  received_at?: Timestamp;
  work: string;
  material: string;
  urls: string[];
  complainant: Complainant;
  good_faith: boolean;
  accuracy: boolean;
  signature: string;
}

export interface TakedownItem {
  wiki: string;
  page: string;
  revisions: number[];
}

export interface Takedown {
  at: Timestamp;
  by: string;
  items: TakedownItem[];
}

export interface CounterNotice {
  received_at: Timestamp;
  from: string;
  statement: string;
}

export interface DmcaNotice extends Required<Omit<DmcaNoticeInput, 'received_at'>> {
  id: string;
  case_id: string;
  case_reference: string;
  received_at: Timestamp;
  /** The statutory elements absent (names as in dmca.ts DMCA_ELEMENTS). */
  missing: string[];
  complete: boolean;
  takedown: Takedown | null;
  uploader_notified_at: Timestamp | null;
  uploader: string;
  counter_notice: CounterNotice | null;
  /** `[earliest, latest]` (`YYYY-MM-DD`): 10 and 14 business days after the counter-notice. */
  restore_window: [string, string] | null;
}

export type AppellantRole = 'sanctioned' | 'requesting';

/** What a case report is written from (`case_report`). */
export interface ReportRequest {
  reference: string;
  /** Absolute; `.pdf` or `.html`. The manifest goes beside it as `<to>.manifest.json`. */
  to: string;
  language: 'en' | 'es';
  /** Show subjects' non-public fields, marked, for this reason (audited). */
  nonpublic_reason?: string;
  /** Also export every non-restricted item into this existing directory. */
  evidence_dir?: string;
  /** List (and export) redacted copies in place of their originals. */
  redacted_in_place?: boolean;
}

export interface ReportWritten {
  report: string;
  manifest: string;
  format: 'pdf' | 'html';
  sha256: string;
  size: number;
  items: number;
  exported: number;
  restricted_listed: number;
  audit_head_seq: number;
}

/** Where an item's RFC 3161 timestamp stands (`timestamp_statuses`, by item id). */
export type TimestampStatus =
  | { state: 'stamped'; stamped_at: string; authority: string; serial: string }
  | { state: 'queued'; queued_at: string; attempts: number; last_error: string | null };

/** The configured time-stamping authority: its URL and the name of the root its tokens chain to. */
export interface TimestampAuthority {
  url: string;
  authority: string;
}

/** What one send of the timestamp queue did. */
export interface TimestampSendSummary {
  obtained: number;
  queued: number;
  last_error: string | null;
}
