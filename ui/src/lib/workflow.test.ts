import { describe, expect, it } from 'vitest';
import type { Case, ChainView, OfficeAction, Report } from './ipc/types';
import {
  awaitingFirstAction,
  caseFlags,
  chainDecisionsFor,
  elapsedSecs,
  emergencyClock,
  exportName,
  formatClock,
  kindForChannel,
  parseNames,
  reportOverdue,
  sortActions,
} from './workflow';

const NOW = Date.parse('2026-09-04T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

function report(p: Partial<Report> = {}): Report {
  return {
    id: 'r1',
    received_at: minutesAgo(42),
    channel: 'emergency',
    state: 'new',
    reporter: 'Steward',
    reporter_contact: '[redacted]',
    text: 'x',
    restricted: false,
    acknowledged_by: null,
    acknowledged_at: null,
    severity: null,
    severity_reason: '',
    assignee: '',
    assisting: [],
    due_at: null,
    case_reference: null,
    decline_reason: '',
    attachments: [],
    first_action_at: null,
    target_secs: null,
    overdue: false,
    urgent: true,
    ...p,
  };
}

describe('emergency clock', () => {
  it('formats seconds as HH:MM:SS, clamping nonsense to zero', () => {
    expect(formatClock(0)).toBe('00:00:00');
    expect(formatClock(42 * 60 + 7)).toBe('00:42:07');
    expect(formatClock(3600)).toBe('01:00:00');
    expect(formatClock(100 * 3600 + 61)).toBe('100:01:01');
    expect(formatClock(-5)).toBe('00:00:00');
    expect(formatClock(Number.NaN)).toBe('00:00:00');
  });

  it('counts from receipt, never negative', () => {
    expect(elapsedSecs(minutesAgo(40), NOW)).toBe(2400);
    expect(elapsedSecs(new Date(NOW + 5000).toISOString(), NOW)).toBe(0);
    expect(elapsedSecs('not a date', NOW)).toBe(0);
  });

  it('compares with the report target, else the setting, and turns over past it', () => {
    const c = emergencyClock(report(), NOW, 60);
    expect(c.text).toBe('00:42:00 / 01:00:00');
    expect(c.over).toBe(false);
    expect(emergencyClock(report({ target_secs: 1800 }), NOW, 60)).toMatchObject({ over: true, targetText: '00:30:00' });
    expect(emergencyClock(report({ received_at: minutesAgo(61) }), NOW, 60).over).toBe(true);
    expect(emergencyClock(report({ received_at: minutesAgo(60) }), NOW, 60).over).toBe(false);
  });

  it('runs only for emergencies nobody has acted on', () => {
    expect(awaitingFirstAction(report())).toBe(true);
    expect(awaitingFirstAction(report({ first_action_at: minutesAgo(1) }))).toBe(false);
    expect(awaitingFirstAction(report({ channel: 'general' }))).toBe(false);
    expect(awaitingFirstAction(report({ state: 'declined' }))).toBe(false);
  });
});

describe('urgency', () => {
  it('a report is overdue by flag or by a passed due time, never once closed', () => {
    expect(reportOverdue(report({ due_at: minutesAgo(1) }), NOW)).toBe(true);
    expect(reportOverdue(report({ due_at: minutesAgo(-10) }), NOW)).toBe(false);
    expect(reportOverdue(report({ overdue: true }), NOW)).toBe(true);
    expect(reportOverdue(report({ overdue: true, state: 'opened' }), NOW)).toBe(false);
  });

  const kase = (p: Partial<Case>): Case => ({
    id: 'c',
    reference: 'TS-1',
    title: 't',
    kind: 'harassment',
    status: 'open',
    priority: 'normal',
    summary: '',
    opened_at: minutesAgo(100),
    legal_hold: false,
    default_sensitivity: 'normal',
    ...p,
  });

  it('a case is urgent by priority and overdue once due_at passed while open; backend flags win', () => {
    expect(caseFlags(kase({ priority: 'urgent' }), NOW)).toEqual({ urgent: true, overdue: false });
    expect(caseFlags(kase({ due_at: minutesAgo(5) }), NOW)).toEqual({ urgent: false, overdue: true });
    expect(caseFlags(kase({ due_at: minutesAgo(-5) }), NOW).overdue).toBe(false);
    expect(caseFlags(kase({ due_at: minutesAgo(5), status: 'closed' }), NOW).overdue).toBe(false);
    expect(caseFlags(kase({ due_at: minutesAgo(-5), overdue: true }), NOW).overdue).toBe(true);
    expect(caseFlags(kase({ priority: 'urgent', urgent: false }), NOW).urgent).toBe(false);
  });

  it('maps channels to case kinds and splits name lists', () => {
    expect(kindForChannel('emergency')).toBe('threat_of_harm');
    expect(kindForChannel('child_protection')).toBe('child_protection');
    expect(kindForChannel('dmca')).toBe('dmca');
    expect(kindForChannel('general')).toBe('other');
    expect(parseNames(' Ana, Bo ,, Ana,Cy ')).toEqual(['Ana', 'Bo', 'Cy']);
  });
});

describe('register', () => {
  const row = (id: string, p: Partial<OfficeAction>): OfficeAction => ({
    id,
    case_id: 'c',
    case_reference: `TS-${id}`,
    kind: 'global_ban',
    accounts: [{ username: id, wiki: 'en.wikipedia.org' }],
    event: null,
    other_label: '',
    effective_on: '2026-01-01',
    review_on: null,
    expires_on: null,
    recorded_by: 'x',
    recorded_at: '2026-01-01T00:00:00Z',
    status: 'active',
    overturned_at: null,
    overturn_rationale: '',
    review_due: false,
    ...p,
  });
  const rows = [
    row('b', { effective_on: '2026-03-01', review_on: '2026-10-01', kind: 'conduct_warning' }),
    row('a', { effective_on: '2026-01-01', kind: 'event_ban' }),
    row('c', { effective_on: '2026-02-01', review_on: '2026-09-10' }),
  ];
  const ids = (xs: OfficeAction[]) => xs.map((x) => x.id).join('');

  it('sorts by a column either way; empty dates last both ways; ties keep the order', () => {
    expect(ids(sortActions(rows, 'effective_on', 'desc'))).toBe('bca');
    expect(ids(sortActions(rows, 'effective_on', 'asc'))).toBe('acb');
    expect(ids(sortActions(rows, 'review_on', 'asc'))).toBe('cba');
    expect(ids(sortActions(rows, 'review_on', 'desc'))).toBe('bca');
    expect(ids(sortActions(rows, 'accounts', 'asc'))).toBe('abc');
    // Severity order of kinds: bans first.
    expect(ids(sortActions(rows, 'kind', 'asc'))).toBe('cab');
    expect(ids(sortActions([row('x', {}), row('y', {})], 'status', 'desc'))).toBe('xy');
  });

  it('names exports by format and UTC day', () => {
    const d = new Date('2026-09-04T23:30:00Z');
    expect(exportName('csv', d)).toBe('office-actions-2026-09-04.csv');
    expect(exportName('wiki', d)).toBe('office-actions-public-log-2026-09-04.wiki');
  });

});

describe('review chain decisions', () => {
  const chain = (p: Partial<ChainView> = {}): ChainView => ({
    case_id: 'c',
    author_user: 'Author',
    state: 'in_review',
    kind: 'global_ban',
    policy: { kind: 'global_ban', levels: [], appeal_window_days: 30, committee_required: 3, signed_by: 'Admin' },
    level: 1,
    levels: [
      { role: 'tns_manager', required: 1, approvals: ['Ana'], status: 'done' },
      { role: 'director', required: 1, approvals: [], status: 'current' },
      { role: 'chief', required: 1, approvals: [], status: 'pending' },
    ],
    history: [],
    divergences: [],
    committee: [],
    appeal_deadline: null,
    offline: false,
    ...p,
  });
  const LEVEL = ['approve', 'changes_requested', 'propose_modification', 'no_action', 'decline'];

  it('offers the level decisions to a reviewer holding the current role', () => {
    expect(chainDecisionsFor(chain(), { received: true, roles: ['director'] })).toEqual(LEVEL);
    expect(chainDecisionsFor(chain(), { received: true, roles: [] })).toEqual(LEVEL);
    expect(chainDecisionsFor(chain(), { received: true, roles: ['chief'] })).toEqual([]);
    expect(chainDecisionsFor(chain({ offline: true }), { received: true, roles: [] })).toEqual([]);
    expect(chainDecisionsFor(chain({ level: 3 }), { received: true, roles: [] })).toEqual([]);
    expect(chainDecisionsFor(chain({ state: 'approved' }), { received: true, roles: [] })).toEqual([]);
  });

  it('asks nobody to approve a level twice', () => {
    const c = chain({ level: 0, levels: [{ role: 'tns_manager', required: 2, approvals: ['Ana'], status: 'current' }] });
    expect(chainDecisionsFor(c, { received: true, roles: [], user: 'Ana' })).toEqual([]);
    expect(chainDecisionsFor(c, { received: true, roles: [], user: 'Bo' })).toEqual(LEVEL);
  });

  it('offers the author an answer only to a pending modification', () => {
    const pending = chain({
      state: 'modification_proposed',
      divergences: [{ level: 1, proposed_by: 'Dir', proposal: 'p', response: 'pending', author_note: null }],
    });
    expect(chainDecisionsFor(pending, { received: false, roles: [] })).toEqual(['accept_modification', 'keep_position']);
    expect(chainDecisionsFor(pending, { received: true, roles: [] })).toEqual([]);
    expect(chainDecisionsFor(chain(), { received: false, roles: [] })).toEqual([]);
  });
});
