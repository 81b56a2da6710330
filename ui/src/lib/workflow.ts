// Pure rules of the workflow screens: the emergency clock of the intake queue, what
// makes a case or a report stand out, the register's sorting and export names, and which chain
// decisions a person is offered. No Svelte, no IPC: unit tested in workflow.test.ts.
import type {
  ActionKind,
  Case,
  CaseKind,
  ChainView,
  Decision,
  OfficeAction,
  RegisterFormat,
  Report,
  ReportChannel,
} from './ipc/types';

// ---- Intake ------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');

/** `HH:MM:SS` for a number of seconds (never negative; hours grow past 99 as needed). */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Seconds since an RFC 3339 instant (0 when it is in the future or unreadable). */
export function elapsedSecs(since: string, now: number): number {
  const t = Date.parse(since);
  return Number.isNaN(t) ? 0 : Math.max(0, Math.floor((now - t) / 1000));
}

/** An emergency report nobody has acted on yet: it heads the queue with a running clock. */
export const awaitingFirstAction = (r: Report): boolean =>
  r.channel === 'emergency' && !r.first_action_at && (r.state === 'new' || r.state === 'acknowledged');

export interface EmergencyClock {
  elapsed: number;
  target: number;
  over: boolean;
  elapsedText: string;
  targetText: string;
  /** `00:42:07 / 01:00:00`. */
  text: string;
}

/**
 * The clock of an emergency report awaiting its first action: time since receipt against the
 * target (the report's own `target_secs`, else the vault's setting in minutes).
 */
export function emergencyClock(r: Report, now: number, targetMinutes: number): EmergencyClock {
  const elapsed = elapsedSecs(r.received_at, now);
  const target = r.target_secs ?? targetMinutes * 60;
  const elapsedText = formatClock(elapsed);
  const targetText = formatClock(target);
  return { elapsed, target, over: elapsed > target, elapsedText, targetText, text: `${elapsedText} / ${targetText}` };
}

/** Closed reports: nothing more to do on them in the queue. */
export const reportClosed = (r: Report): boolean => r.state === 'opened' || r.state === 'merged' || r.state === 'declined';

/** Overdue: the backend's flag, or a due time passed on a report still open. */
export function reportOverdue(r: Report, now: number): boolean {
  if (reportClosed(r)) return false;
  if (r.overdue) return true;
  return r.due_at !== null && Date.parse(r.due_at) < now;
}

/** The case kind a report opens as, by default. */
export function kindForChannel(channel: ReportChannel): CaseKind {
  switch (channel) {
    case 'emergency':
      return 'threat_of_harm';
    case 'child_protection':
      return 'child_protection';
    case 'dmca':
      return 'dmca';
    default:
      return 'other';
  }
}

/** `Alice, Bob ,, Carol` → `['Alice', 'Bob', 'Carol']` (deduplicated, order kept). */
export function parseNames(input: string): string[] {
  return [...new Set(input.split(',').map((s) => s.trim()).filter(Boolean))];
}

// ---- Cases -------------------------------------------------------------------------------------

const CLOSED_CASE = new Set(['closed', 'declined']);

/**
 * What makes a case stand out in the list: `urgent` (priority urgent) and `overdue` (due_at
 * passed while the case is still open). The backend's flags win when it sends them.
 */
export function caseFlags(c: Case, now: number): { urgent: boolean; overdue: boolean } {
  const urgent = c.urgent ?? c.priority === 'urgent';
  const open = !CLOSED_CASE.has(c.status);
  const overdue = c.overdue ?? (open && !!c.due_at && Date.parse(c.due_at) < now);
  return { urgent, overdue: overdue && open };
}

// ---- Register ----------------------------------------------------------------------------------

export type RegisterColumn = 'effective_on' | 'kind' | 'accounts' | 'review_on' | 'expires_on' | 'status' | 'case_reference';
export type SortDir = 'asc' | 'desc';

const KIND_ORDER: ActionKind[] = ['global_ban', 'event_ban', 'interaction_ban', 'conduct_warning', 'other'];

function sortKey(a: OfficeAction, column: RegisterColumn): string | number {
  switch (column) {
    case 'kind':
      return KIND_ORDER.indexOf(a.kind);
    case 'accounts':
      return a.accounts.map((x) => `${x.username}@${x.wiki}`.toLowerCase()).join(', ');
    default:
      return a[column] ?? '';
  }
}

/**
 * Rows sorted by a column; ties keep the backend's order (effective_on desc). Empty dates sort
 * last either way: a missing review date is not "earliest".
 */
export function sortActions(rows: readonly OfficeAction[], column: RegisterColumn, dir: SortDir): OfficeAction[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, key: sortKey(row, column) }))
    .sort((x, y) => {
      const xe = x.key === '';
      const ye = y.key === '';
      if (xe !== ye) return xe ? 1 : -1;
      if (x.key < y.key) return -sign;
      if (x.key > y.key) return sign;
      return x.i - y.i;
    })
    .map((x) => x.row);
}

/** The file name offered by the save dialog: `office-actions-2026-09-04.csv`, `…-public-log-….wiki`. */
export function exportName(format: RegisterFormat, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  return format === 'csv' ? `office-actions-${day}.csv` : `office-actions-public-log-${day}.wiki`;
}

// ---- Review chain ------------------------------------------------------------------------------

/** What a level's reviewer records, in the order offered. */
export const LEVEL_DECISIONS = ['approve', 'changes_requested', 'propose_modification', 'no_action', 'decline'] as const satisfies readonly Decision[];
/** The author's answers to a proposed modification. */
export const AUTHOR_DECISIONS = ['accept_modification', 'keep_position'] as const satisfies readonly Decision[];

export interface ChainWho {
  /** A copy received for review (not my own case). */
  received: boolean;
  /** My roles in the key directory; empty when unknown (then roles are not checked). */
  roles: readonly string[];
  /** My user name on the review server, when known: one approval per person and level. */
  user?: string;
}

/**
 * The chain decisions offered: a reviewer holding the current level's role (on a received case
 * in review) gets the level decisions; the author of a case with a pending modification answers it.
 */
export function chainDecisionsFor(chain: ChainView, who: ChainWho): Decision[] {
  if (chain.offline) return [];
  const pending = chain.divergences.some((d) => d.response === 'pending');
  if (!who.received) return chain.state === 'modification_proposed' && pending ? [...AUTHOR_DECISIONS] : [];
  if (chain.state !== 'in_review' && chain.state !== 'submitted') return [];
  const level = chain.levels[chain.level];
  if (!level) return [];
  if (who.roles.length > 0 && !who.roles.includes(level.role)) return [];
  if (who.user && level.approvals.includes(who.user)) return [];
  return [...LEVEL_DECISIONS];
}

/** The chain's states in which the level decisions (not the old single-step ones) apply. */
export const CHAIN_STATES = new Set(['submitted', 'in_review', 'modification_proposed']);
