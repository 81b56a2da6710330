// What every command group of the mock backend shares: its state, the contract's errors and a
// few helpers. The groups (mock-core, mock-review, mock-investigation, mock-seed) import this
// module only; mock.ts dispatches to them.
import type {
  AuditEntry,
  Case,
  CaseEvent,
  Evidence,
  ImportRecord,
  InboxItem,
  KnownWiki,
  Language,
  Note,
  NonpublicFields,
  OutboxItem,
  Person,
  Subject,
  OfficeAction,
  DmcaNotice,
} from './types';

export interface Args {
  [key: string]: unknown;
}

export class MockError {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

export const fail = (code: string, message: string): never => {
  throw new MockError(code, message);
};

/** A running long job: `job_cancel` sets `cancelled`, the job checks it between steps. */
export interface MockJob {
  cancelled: boolean;
}

export interface MockState {
  passphrase: string | null;
  owner: string;
  unlocked: boolean;
  fingerprint: string;
  lock_timeout_secs: number;
  language: Language;
  cases: Case[];
  subjects: Subject[];
  events: CaseEvent[];
  evidence: Evidence[];
  notes: Note[];
  audit: AuditEntry[];
  revealed: Set<string>;
  calls: string[];
  /** Every command's `args`, in call order, for assertions on exact argument names. */
  log: { cmd: string; args: Args }[];
  auditBroken: boolean;
  server: { server: string; user: string; fingerprint: string } | null;
  directory: Person[];
  outbox: OutboxItem[];
  inbox: InboxItem[];
  offline: boolean;
  /** Review-server state per case reference (what sync_run reports in `cases`). */
  reviewStates: Record<string, string>;
  // Investigation.
  wikis: KnownWiki[];
  imports: ImportRecord[];
  jobs: Map<string, MockJob>;
  /** Non-public fields behind subject_reveal, by subject id. */
  hidden: Record<string, NonpublicFields>;
  /** The reason given for each reveal, by audit seq. */
  accessReasons: Record<number, string>;
  /** Files the mock's "disk" holds (exports, backups, sealed bundles). */
  files: Record<string, number>;
  /** What the native dialogs answer next: a path, or null (cancelled). Undefined: a default. */
  dialog: { open?: string | null; save?: string | null };
  /** A `.casebundle` path the app was "started with" (pending_file_take hands it out once). */
  pendingFile: string | null;
  /** Milliseconds between the fake import's pages (flow tests slow it down to watch progress). */
  importStepMs: number;
  /** Hosts whose API the fake import cannot reach (the import is queued). */
  unreachable: string[];
  /**
   * Long jobs hold after this many steps (pages, batches, chunks) until cancelled or until it is
   * set back to null: tests watch a job mid-way without depending on timing.
   */
  holdAfter: number | null;
  // ---- (mock-dmca.ts) ----
  /** The office-action register: action_record appends; register_list reads it. */
  officeActions: OfficeAction[];
  /** DMCA notices as stored (complainant in clear; commands redact it). */
  dmcaNotices: DmcaNotice[];
  /** An appeal deadline (RFC 3339) that overrides the computed one, by case reference. */
  appealDeadlines: Record<string, string>;
}

/** What the command groups share with the core. */
export interface MockContext {
  state: MockState;
  now: () => Date;
  nextId: () => string;
  str: (a: Args, key: string, required?: boolean) => string;
  findCase: (reference: string) => Case;
  writable: (c: Case) => Case;
  audit: (action: string, caseId: string | null, entity: string) => void;
  sortEvents: () => void;
  /** Registers the job named by `a.job_id` (required, 1–64 characters, not already running). */
  startJob: (a: Args) => { id: string; job: MockJob; done: () => void };
  /** Fails `cancelled` when the job was cancelled. */
  checkCancelled: (job: MockJob) => void;
  sleep: (ms: number) => Promise<void>;
  /** Between two steps of a job: fails `cancelled` when cancelled; holds at `state.holdAfter`. */
  checkpoint: (job: MockJob, stepsDone: number) => Promise<void>;
}

export const DEFAULT_WIKIS: KnownWiki[] = [
  { name: 'Meta-Wiki', api: 'https://meta.wikimedia.org/w/api.php' },
  { name: 'English Wikipedia', api: 'https://en.wikipedia.org/w/api.php' },
  { name: 'Spanish Wikipedia', api: 'https://es.wikipedia.org/w/api.php' },
  { name: 'German Wikipedia', api: 'https://de.wikipedia.org/w/api.php' },
  { name: 'French Wikipedia', api: 'https://fr.wikipedia.org/w/api.php' },
  { name: 'Wikimedia Commons', api: 'https://commons.wikimedia.org/w/api.php' },
  { name: 'Wikidata', api: 'https://www.wikidata.org/w/api.php' },
];

function uuid(n: number): string {
  return `0192f0c0-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function createState(): MockState {
  return {
    passphrase: null,
    owner: 'investigator',
    unlocked: false,
    fingerprint: 'K7QF-2MXA-ZRTD-V4HC',
    lock_timeout_secs: 600,
    language: 'en',
    cases: [],
    subjects: [],
    events: [],
    evidence: [],
    notes: [],
    audit: [],
    revealed: new Set(),
    calls: [],
    log: [],
    auditBroken: false,
    server: null,
    directory: [],
    outbox: [],
    inbox: [],
    offline: false,
    reviewStates: {},
    wikis: DEFAULT_WIKIS.map((w) => ({ ...w })),
    imports: [],
    jobs: new Map(),
    hidden: {},
    accessReasons: {},
    files: {},
    dialog: {},
    pendingFile: null,
    importStepMs: 120,
    unreachable: [],
    holdAfter: null,
    officeActions: [],
    dmcaNotices: [],
    appealDeadlines: {},
  };
}

export function createContext(now: () => Date = () => new Date()): MockContext {
  let seq = 0;
  const state = createState();
  const nextId = () => uuid(++seq);
  const str = (a: Args, key: string, required = true): string => {
    const v = a[key];
    if (v === undefined || v === null || v === '') {
      if (required) fail('invalid_input', `${key} is required`);
      return '';
    }
    if (typeof v !== 'string') return fail('invalid_input', `${key} must be a string`);
    return v;
  };
  const findCase = (reference: string): Case =>
    state.cases.find((c) => c.reference === reference) ?? fail('not_found', `case ${reference} not found`);
  const writable = (c: Case): Case => (c.origin ? fail('read_only', `case ${c.reference} was received for review`) : c);
  const audit = (action: string, caseId: string | null, entity: string) => {
    const prev = state.audit.at(-1);
    const n = state.audit.length + 1;
    state.audit.push({
      seq: n,
      at: now().toISOString(),
      actor: state.owner,
      action,
      case_id: caseId,
      entity,
      payload_hash: n.toString(16).padStart(64, 'a'),
      prev_hash: prev?.hash ?? '0'.repeat(64),
      hash: n.toString(16).padStart(64, 'f'),
    });
  };
  const sortEvents = () => state.events.sort((a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at));
  const startJob = (a: Args) => {
    const id = str(a, 'job_id');
    if (id.length > 64) fail('invalid_input', 'job_id is longer than 64 characters');
    if (state.jobs.has(id)) fail('invalid_input', `job ${id} is already running`);
    const job: MockJob = { cancelled: false };
    state.jobs.set(id, job);
    return { id, job, done: () => void state.jobs.delete(id) };
  };
  const checkCancelled = (job: MockJob) => {
    if (job.cancelled) fail('cancelled', 'the job was cancelled; what was already committed stays');
  };
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const checkpoint = async (job: MockJob, stepsDone: number) => {
    checkCancelled(job);
    while (state.holdAfter !== null && stepsDone >= state.holdAfter && !job.cancelled) await sleep(10);
    checkCancelled(job);
  };
  return { state, now, nextId, str, findCase, writable, audit, sortEvents, startJob, checkCancelled, sleep, checkpoint };
}
