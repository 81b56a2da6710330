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
  /** The author's fingerprint when this is a read-only copy received in a bundle. */
  origin?: string;
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
  state: 'queued' | 'uploading' | 'sent';
  bytes_sent: number;
  size: number;
}

export interface InboxItem {
  id: string;
  case_reference: string;
  author: string;
  author_fingerprint: string;
  kind: string;
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
}

export type Decision = 'approve' | 'decline' | 'changes_requested';

export interface SyncResult {
  pushed: number;
  pulled: number;
  decisions: number;
  offline: boolean;
}
