// side and C.1): the intake queue, the office-action register and its exports, review policies
// and the tiered review chain (`review_chain`, and `review_decide` while a case is in its chain).
// Its state lives beside the core's (`workflowOf(ctx)`, `window.__casebookMock.workflow`).
import type { Args, MockContext } from './mock-context';
import { fail } from './mock-context';
import { sha256Hex } from './mock-core';
import { appealDeadlineOf } from './mock-dmca';
import {
  ACTION_KINDS,
  ACTION_STATUSES,
  REPORT_CHANNELS,
  type Case,
  type CaseKind,
  type ChainTransition,
  type ChainView,
  type OfficeAction,
  type OutboxItem,
  type Report,
  type ReportChannel,
  type ReviewPolicy,
} from './types';

export const WORKFLOW_COMMANDS = new Set([
  'intake_list',
  'intake_add',
  'intake_get',
  'intake_reveal',
  'intake_ack',
  'intake_prioritise',
  'intake_assign',
  'intake_attach',
  'intake_open_case',
  'intake_merge',
  'intake_decline',
  'intake_target_get',
  'intake_target_set',
  'register_list',
  'register_export',
  'register_render',
  'review_policies',
  'review_chain',
]);

export interface WorkflowState {
  /** Reports as stored: text and contact in the clear (the commands redact them). */
  reports: Report[];
  targetMinutes: number;
  /** What register_export wrote, by path (the mock's "disk"). */
  exported: Record<string, string>;
  policies: ReviewPolicy[];
  /** Review chains by case reference (seeded, or built at the first review_chain). */
  chains: Record<string, ChainView>;
  /** Who I am on the review server (history rows and approvals). */
  user: string;
}

const states = new WeakMap<MockContext, WorkflowState>();

export function workflowOf(ctx: MockContext): WorkflowState {
  let w = states.get(ctx);
  if (!w) {
    w = { reports: [], targetMinutes: 60, exported: {}, policies: defaultPolicies(), chains: {}, user: ctx.state.owner };
    states.set(ctx, w);
  }
  return w;
}

function defaultPolicies(): ReviewPolicy[] {
  return [
    { kind: '*', levels: [{ role: 'reviewer', required: 1 }], appeal_window_days: 365, committee_required: 1, signed_by: 'Admin Ines' },
    {
      kind: 'global_ban',
      levels: [
        { role: 'tns_manager', required: 1 },
        { role: 'director', required: 1 },
        { role: 'chief', required: 1 },
      ],
      appeal_window_days: 30,
      committee_required: 3,
      signed_by: 'Admin Ines',
    },
    {
      kind: 'event_ban',
      levels: [
        { role: 'tns_manager', required: 1 },
        { role: 'director', required: 1 },
      ],
      appeal_window_days: 30,
      committee_required: 3,
      signed_by: 'Admin Ines',
    },
  ];
}

const CLOSED = new Set(['opened', 'merged', 'declined']);
const CHAIN_STATES = new Set(['submitted', 'in_review', 'modification_proposed']);
const LEVEL_DECISIONS = new Set(['approve', 'changes_requested', 'propose_modification', 'no_action', 'decline']);
const AUTHOR_DECISIONS = new Set(['accept_modification', 'keep_position']);
const KIND_OF: Record<ReportChannel, CaseKind> = {
  general: 'other',
  emergency: 'threat_of_harm',
  child_protection: 'child_protection',
  dmca: 'dmca',
  other: 'other',
};
const PRIORITY_OF = ['urgent', 'urgent', 'high', 'normal', 'low'] as const;

export async function handleWorkflow(ctx: MockContext, cmd: string, a: Args): Promise<unknown> {
  const { state, now, nextId, str, findCase, audit } = ctx;
  const w = workflowOf(ctx);
  const nowMs = () => now().getTime();

  const targetOf = (r: Report) => (r.channel === 'emergency' ? (r.target_secs ?? w.targetMinutes * 60) : null);
  /** What the commands hand out: non-public fields redacted, flags computed now. */
  const view = (r: Report, revealed = false): Report => {
    const open = !CLOSED.has(r.state);
    const target = targetOf(r);
    const late = target !== null && !r.first_action_at && nowMs() - Date.parse(r.received_at) > target * 1000;
    return {
      ...r,
      attachments: r.attachments.map((x) => ({ ...x })),
      assisting: [...r.assisting],
      reporter_contact: r.reporter_contact === null ? null : revealed ? r.reporter_contact : '[redacted]',
      text: r.restricted && !revealed ? null : r.text,
      target_secs: target,
      overdue: open && ((r.due_at !== null && Date.parse(r.due_at) < nowMs()) || late),
      urgent: open && (r.channel === 'emergency' || r.severity === 1),
    };
  };
  const find = (): Report => {
    const id = str(a, 'id');
    return w.reports.find((r) => r.id === id) ?? fail('not_found', `report ${id} not found`);
  };
  const openReport = (): Report => {
    const r = find();
    if (CLOSED.has(r.state)) fail('invalid_input', `report ${r.id} is already ${r.state}`);
    return r;
  };
  const acted = (r: Report) => {
    r.first_action_at ??= now().toISOString();
  };
  const rank = (r: Report) => {
    const v = view(r);
    if (r.channel === 'emergency' && !r.first_action_at && !CLOSED.has(r.state)) return 0;
    return v.urgent || v.overdue ? 1 : 2;
  };

  switch (cmd) {
    case 'intake_list': {
      const all = a.include_closed === true;
      return w.reports
        .filter((r) => all || !CLOSED.has(r.state))
        .sort(
          (x, y) =>
            rank(x) - rank(y) ||
            (x.severity ?? 9) - (y.severity ?? 9) ||
            Date.parse(x.received_at) - Date.parse(y.received_at),
        )
        .map((r) => view(r));
    }
    case 'intake_add': {
      const channel = str(a, 'channel') as ReportChannel;
      if (!(REPORT_CHANNELS as readonly string[]).includes(channel)) fail('invalid_input', `unknown channel ${channel}`);
      const reporter = str(a, 'reporter').trim();
      if (!reporter) fail('invalid_input', 'the reporter is required');
      const text = str(a, 'text').trim();
      if (!text) fail('invalid_input', 'the report text is required');
      const received = str(a, 'received_at', false);
      if (received && Number.isNaN(Date.parse(received))) fail('invalid_input', `received_at ${received} is not RFC 3339`);
      if (received && Date.parse(received) > nowMs() + 60_000) fail('invalid_input', 'received_at is in the future');
      const r = blankReport(nextId(), received ? new Date(received).toISOString() : now().toISOString(), channel, reporter);
      r.reporter_contact = str(a, 'reporter_contact', false).trim() || null;
      r.text = text;
      r.restricted = channel === 'child_protection';
      w.reports.push(r);
      audit('intake.add', null, r.id);
      return view(r);
    }
    case 'intake_get':
      return view(find());
    case 'intake_reveal': {
      const r = find();
      const reason = str(a, 'reason', false).trim();
      if (!reason) fail('invalid_input', 'a reason is required to reveal a report');
      audit('intake.reveal', null, r.id);
      state.accessReasons[state.audit[state.audit.length - 1]!.seq] = reason;
      return view(r, true);
    }
    case 'intake_ack': {
      const r = openReport();
      if (r.state === 'new') r.state = 'acknowledged';
      r.acknowledged_by ??= state.owner;
      r.acknowledged_at ??= now().toISOString();
      acted(r);
      audit('intake.acknowledge', null, r.id);
      return view(r);
    }
    case 'intake_prioritise': {
      const r = openReport();
      const severity = a.severity;
      if (typeof severity !== 'number' || !Number.isInteger(severity) || severity < 1 || severity > 4)
        fail('invalid_input', 'severity is 1 (most severe) to 4');
      const reason = str(a, 'reason', false).trim();
      if (!reason) fail('invalid_input', 'say why this severity');
      r.severity = severity as number;
      r.severity_reason = reason;
      acted(r);
      audit('intake.prioritise', null, r.id);
      return view(r);
    }
    case 'intake_assign': {
      const r = openReport();
      const assignee = str(a, 'assignee', false).trim();
      if (!assignee) fail('invalid_input', 'name who leads the report');
      if (!Array.isArray(a.assisting) || a.assisting.some((x) => typeof x !== 'string')) fail('invalid_input', 'assisting must be a list of names');
      const due = str(a, 'due_at', false);
      if (due && Number.isNaN(Date.parse(due))) fail('invalid_input', `due_at ${due} is not RFC 3339`);
      r.assignee = assignee;
      r.assisting = (a.assisting as string[]).map((s) => s.trim()).filter(Boolean);
      r.due_at = due ? new Date(due).toISOString() : null;
      acted(r);
      audit('intake.assign', null, r.id);
      return view(r);
    }
    case 'intake_attach': {
      const r = openReport();
      const path = str(a, 'path');
      if (path.includes('missing')) fail('io', `cannot read ${path}`);
      const name = path.split(/[\\/]/).pop() ?? path;
      r.attachments.push({ id: nextId(), name, sha256: await sha256Hex(path), size: 2000 + path.length * 211, mime: name.endsWith('.png') ? 'image/png' : name.endsWith('.eml') ? 'message/rfc822' : 'application/octet-stream' });
      audit('intake.attach', null, r.id);
      return view(r);
    }
    case 'intake_open_case': {
      const r = openReport();
      const title = str(a, 'title').trim();
      if (!title) fail('invalid_input', 'title is required');
      const kind = (str(a, 'kind', false) || KIND_OF[r.channel]) as CaseKind;
      const c: Case = {
        id: nextId(),
        reference: `TS-${now().getUTCFullYear()}-${String(state.cases.length + 1).padStart(4, '0')}`,
        title,
        kind,
        status: 'open',
        priority: r.channel === 'emergency' ? 'urgent' : PRIORITY_OF[r.severity ?? 3] ?? 'normal',
        summary: r.restricted ? '' : (r.text ?? ''),
        opened_at: now().toISOString(),
        legal_hold: false,
        default_sensitivity: r.channel === 'child_protection' ? 'restricted' : 'normal',
        assignee: r.assignee,
        assisting: [...r.assisting],
        due_at: r.due_at,
      };
      state.cases.push(c);
      audit('case.create', c.id, c.reference);
      attachAsEvidence(ctx, r, c);
      r.state = 'opened';
      r.case_reference = c.reference;
      acted(r);
      audit('intake.open_case', c.id, r.id);
      return { ...c };
    }
    case 'intake_merge': {
      const r = openReport();
      const c = ctx.writable(findCase(str(a, 'reference')));
      attachAsEvidence(ctx, r, c);
      r.state = 'merged';
      r.case_reference = c.reference;
      acted(r);
      audit('intake.merge', c.id, r.id);
      return view(r);
    }
    case 'intake_decline': {
      const r = openReport();
      const reason = str(a, 'reason', false).trim();
      if (!reason) fail('invalid_input', 'say why the report is declined');
      r.state = 'declined';
      r.decline_reason = reason;
      acted(r);
      audit('intake.decline', null, r.id);
      return view(r);
    }
    case 'intake_target_get':
      return w.targetMinutes;
    case 'intake_target_set': {
      const m = a.minutes;
      if (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > 1440) fail('invalid_input', 'the target is 1 to 1440 minutes');
      w.targetMinutes = m as number;
      return w.targetMinutes;
    }
    case 'register_list':
      return registerRows(state.officeActions, a, now());
    case 'register_export': {
      const format = str(a, 'format');
      if (format !== 'csv' && format !== 'wiki') fail('invalid_input', 'format is csv or wiki');
      const path = str(a, 'path');
      if (path.includes('missing')) fail('io', `cannot write ${path}`);
      const rows = registerRows(state.officeActions, {}, now());
      const { text, count } = format === 'csv' ? csvOf(rows) : wikiOf(rows);
      w.exported[path] = text;
      state.files[path] = text.length;
      audit(`register.export_${format}`, null, path);
      return { path, rows: count };
    }
    case 'register_render': {
      const format = str(a, 'format');
      if (format !== 'csv' && format !== 'wiki') fail('invalid_input', 'format is csv or wiki');
      const rows = registerRows(state.officeActions, a, now());
      return (format === 'csv' ? csvOf(rows) : wikiOf(rows)).text;
    }
    case 'review_policies':
      return w.policies.map((p) => structuredClone(p));
    case 'review_chain': {
      const reference = str(a, 'reference');
      const c = findCase(reference);
      const chain = chainOf(ctx, c);
      if (!chain) return fail('not_found', `${reference} has not been submitted for review`);
      return { ...structuredClone(chain), appeal_deadline: appealDeadlineOf(ctx, reference) };
    }
    default:
      return fail('unknown_command', `mock backend has no command ${cmd}`);
  }
}

function blankReport(id: string, received_at: string, channel: ReportChannel, reporter: string): Report {
  return {
    id,
    received_at,
    channel,
    state: 'new',
    reporter,
    reporter_contact: null,
    text: null,
    restricted: channel === 'child_protection',
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
    urgent: false,
  };
}

/** A report's text and attachments become evidence of the case it is opened as or merged into. */
function attachAsEvidence(ctx: MockContext, r: Report, c: Case) {
  const { state, nextId, now } = ctx;
  const items = [
    { name: `report-${r.id.slice(-4)}.txt`, sha256: '0'.repeat(63) + '1', size: (r.text ?? '').length, mime: 'text/plain' },
    ...r.attachments,
  ];
  for (const x of items)
    state.evidence.push({
      id: nextId(),
      case_id: c.id,
      kind: 'file',
      title: x.name,
      source_url: null,
      captured_at: now().toISOString(),
      captured_by: state.owner,
      sha256: x.sha256,
      size: x.size,
      mime: x.mime,
      original_name: x.name,
      sensitivity: r.restricted ? 'restricted' : c.default_sensitivity,
    });
}

// ---- Register ----------------------------------------------------------------------------------

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The register (`state.officeActions`, which `action_record` appends to), filtered. */
function registerRows(actions: readonly OfficeAction[], a: Args, today: Date): OfficeAction[] {
  const kind = typeof a.kind === 'string' ? a.kind : undefined;
  const status = typeof a.status === 'string' ? a.status : undefined;
  if (kind && !(ACTION_KINDS as readonly string[]).includes(kind)) fail('invalid_input', `unknown kind ${kind}`);
  if (status && !(ACTION_STATUSES as readonly string[]).includes(status)) fail('invalid_input', `unknown status ${status}`);
  const account = typeof a.account === 'string' ? a.account.trim().toLowerCase() : '';
  const day = isoDay(today);
  const soon = isoDay(new Date(today.getTime() + 30 * 86_400_000));
  return actions
    .map((x): OfficeAction => {
      const st = x.status === 'overturned' ? 'overturned' : x.expires_on && x.expires_on < day ? 'expired' : 'active';
      return { ...structuredClone(x), status: st, review_due: st === 'active' && x.review_on !== null && x.review_on <= soon };
    })
    .filter(
      (x) =>
        (!kind || x.kind === kind) &&
        (!status || x.status === status) &&
        (!account || x.accounts.some((u) => `${u.username}@${u.wiki}`.toLowerCase().includes(account))),
    )
    .sort((x, y) => (x.effective_on < y.effective_on ? 1 : x.effective_on > y.effective_on ? -1 : 0));
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function csvOf(rows: OfficeAction[]) {
  const lines = [['reference', 'kind', 'accounts', 'wikis', 'event', 'effective_on', 'review_on', 'expires_on', 'status']];
  for (const r of rows)
    lines.push([
      r.case_reference,
      r.kind,
      r.accounts.map((x) => x.username).join('; '),
      [...new Set(r.accounts.map((x) => x.wiki))].join('; '),
      r.event?.name ?? '',
      r.effective_on,
      r.review_on ?? '',
      r.expires_on ?? '',
      r.status,
    ]);
  return { text: lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n', count: rows.length };
}

function wikiOf(rows: OfficeAction[]) {
  const out = ['{| class="wikitable sortable"', '! Username !! Date !! Action'];
  let count = 0;
  for (const r of rows) {
    if (r.status !== 'active' || (r.kind !== 'global_ban' && r.kind !== 'event_ban')) continue;
    for (const u of r.accounts) {
      out.push('|-', `| [[User:${u.username}|${u.username}]] || ${r.effective_on} || ${r.kind === 'global_ban' ? 'Global ban' : 'Event ban'}`);
      count++;
    }
  }
  out.push('|}');
  return { text: out.join('\n') + '\n', count };
}

// ---- Review chain ------------------------------------------------------------------------------

function policyFor(w: WorkflowState, kind: string): ReviewPolicy {
  return w.policies.find((p) => p.kind === kind) ?? w.policies.find((p) => p.kind === '*')!;
}

/** The chain of a case: seeded, or built at the first look once the case was submitted. */
function chainOf(ctx: MockContext, c: Case): ChainView | null {
  const w = workflowOf(ctx);
  const server = ctx.state.reviewStates[c.reference];
  let chain = w.chains[c.reference];
  if (!chain) {
    if (!server) return null;
    const policy = structuredClone(policyFor(w, c.kind));
    chain = {
      case_id: c.id,
      author_user: c.origin ? 'Investigator Two' : w.user,
      state: 'submitted',
      kind: c.kind,
      policy,
      level: 0,
      levels: policy.levels.map((l, i) => ({ ...l, approvals: [], status: i === 0 ? 'current' : 'pending' })),
      history: [{ seq: 1, at: Math.floor(ctx.now().getTime() / 1000), actor_user: c.origin ? 'Investigator Two' : w.user, decision: 'submit', from: null, to: 'submitted', level: 0, rationale: null }],
      divergences: [],
      committee: [],
      appeal_deadline: null,
      offline: false,
    };
    w.chains[c.reference] = chain;
  }
  // The rest of the cycle (office action, appeal) moves on in mock-review: follow it.
  if (server && server !== chain.state) {
    chain.state = server;
    if (!CHAIN_STATES.has(server) && server !== 'changes_requested' && server !== 'declined' && chain.level < chain.levels.length) {
      chain.level = chain.levels.length;
      for (const l of chain.levels) l.status = 'done';
    }
  }
  return chain;
}

/** True when `review_decide` for this case belongs to the chain (else mock-review takes it). */
export function chainDecides(ctx: MockContext, a: Args): boolean {
  const reference = typeof a.reference === 'string' ? a.reference : '';
  const chain = workflowOf(ctx).chains[reference];
  const decision = String(a.decision ?? '');
  return !!chain && CHAIN_STATES.has(ctx.state.reviewStates[reference] ?? chain.state) && (LEVEL_DECISIONS.has(decision) || AUTHOR_DECISIONS.has(decision));
}

/** `review_decide` on a case in its chain: a level's decision, or the author's answer. */
export function decideInChain(ctx: MockContext, a: Args): OutboxItem {
  const { state, nextId, str, findCase, audit, now } = ctx;
  const w = workflowOf(ctx);
  const c = findCase(str(a, 'reference'));
  const chain = chainOf(ctx, c)!;
  const decision = str(a, 'decision');
  const rationale = str(a, 'rationale', false).trim();
  if (!rationale) fail('invalid_input', 'a rationale is required');
  const from = chain.state;
  const level = chain.levels[chain.level];
  const push = (to: string, lvl: number | null) => {
    chain.history.push({ seq: chain.history.length + 1, at: Math.floor(now().getTime() / 1000), actor_user: w.user, decision, from, to, level: lvl, rationale } satisfies ChainTransition);
    chain.state = to;
    state.reviewStates[c.reference] = to;
    const status = ({ in_review: 'in_review', submitted: 'submitted', approved: 'approved', declined: 'declined', changes_requested: 'changes_requested', closed: 'closed' } as const)[to as 'in_review'];
    if (status) c.status = status;
  };
  if (AUTHOR_DECISIONS.has(decision)) {
    if (c.origin) fail('invalid_input', 'only the author answers a proposed modification');
    const d = chain.divergences.find((x) => x.response === 'pending');
    if (chain.state !== 'modification_proposed' || !d) fail('out_of_order', 'no modification is waiting for an answer');
    d!.response = decision === 'accept_modification' ? 'accepted' : 'kept';
    d!.author_note = rationale;
    push('in_review', chain.level);
  } else {
    if (!c.origin) fail('invalid_input', 'the author cannot decide on their own case');
    if (chain.state === 'modification_proposed') fail('out_of_order', 'the author has not answered the proposed modification yet');
    if (!level) fail('out_of_order', 'every level has decided');
    switch (decision) {
      case 'approve': {
        if (level!.approvals.includes(w.user)) fail('out_of_order', 'you already approved at this level');
        level!.approvals.push(w.user);
        const at = chain.level;
        if (level!.approvals.length >= level!.required) {
          level!.status = 'done';
          chain.level++;
          const next = chain.levels[chain.level];
          if (next) next.status = 'current';
        }
        push(chain.level >= chain.levels.length ? 'approved' : 'in_review', at);
        break;
      }
      case 'propose_modification':
        chain.divergences.push({ level: chain.level, proposed_by: w.user, proposal: rationale, response: 'pending', author_note: null });
        push('modification_proposed', chain.level);
        break;
      case 'changes_requested':
        push('changes_requested', chain.level);
        break;
      case 'no_action':
        push('closed', chain.level);
        break;
      case 'decline':
        push('declined', chain.level);
        break;
    }
  }
  const item: OutboxItem = { id: nextId(), case_reference: c.reference, kind: 'decision', decision, state: 'queued', message: '', bytes_sent: 0, size: 1_498 };
  state.outbox.push(item);
  audit(`review.${decision}`, c.id, item.id);
  return item;
}

// ---- Seed --------------------------------------------------------------------------------------

/**
 * Synthetic intake, register and chain data: an emergency report received 40 minutes ago, a
 * child-protection (restricted) report, a DMCA report, an overdue one; register entries (one due
 * for review); a received global-ban case at level 2 of 3 (level 1 approved after a divergence the
 * author kept) and an own event-ban case whose level-1 reviewer proposed a modification.
 */
export function seedWorkflow(ctx: MockContext): { received: string; own: string } {
  const { state, now, nextId } = ctx;
  const w = workflowOf(ctx);
  w.user = state.owner;
  const t = now().getTime();
  const ago = (min: number) => new Date(t - min * 60_000).toISOString();
  const report = (min: number, channel: ReportChannel, reporter: string, contact: string | null, text: string, patch: Partial<Report> = {}) => {
    const r = { ...blankReport(nextId(), ago(min), channel, reporter), reporter_contact: contact, text, ...patch };
    w.reports.push(r);
    return r;
  };
  report(40, 'emergency', 'Steward on duty (IRC)', 'steward-on-duty@example.org', 'A user wrote on their talk page that they will hurt the organiser of tomorrow’s Lisbon meetup, naming the venue.');
  report(190, 'child_protection', 'Reader via the web form', 'reader.4471@example.net', 'An image uploaded to Commons appears to show a minor in an exploitative context (file name and uploader in the attachment).');
  report(26 * 60, 'dmca', 'Acme Photo Ltd. (agent: J. Lawson)', 'legal@acme-photo.example', 'Takedown notice: 14 photographs from our 2024 catalogue uploaded to Commons without licence.', {
    state: 'acknowledged', acknowledged_by: 'Legal Two', acknowledged_at: ago(25 * 60), first_action_at: ago(25 * 60), severity: 3, severity_reason: 'Statutory deadline, no safety risk', assignee: 'Legal Two', due_at: new Date(t + 2 * 86_400_000).toISOString(),
  });
  report(2 * 24 * 60, 'general', 'ClerkAlice', 'alice.clerk@example.org', 'Sustained harassment of an arbitration clerk across three wikis after a closed case.', {
    state: 'acknowledged', acknowledged_by: state.owner, acknowledged_at: ago(47 * 60), first_action_at: ago(47 * 60), severity: 2, severity_reason: 'Ongoing, targets a functionary', assignee: state.owner, assisting: ['Reviewer One'], due_at: ago(180),
  });
  report(75, 'other', 'Press office', null, 'A journalist asks whether a named editor was banned; no action requested.');
  report(5 * 24 * 60, 'general', 'Anonymous', null, 'Spam report about a link farm.', { state: 'declined', decline_reason: 'Handled by local admins (spam blacklist)', first_action_at: ago(4 * 24 * 60) });

  const day = (offsetDays: number) => isoDay(new Date(t + offsetDays * 86_400_000));
  const action = (p: Partial<OfficeAction> & Pick<OfficeAction, 'kind' | 'accounts' | 'effective_on' | 'case_reference'>): OfficeAction => ({
    id: nextId(), case_id: nextId(), event: null, other_label: '', review_on: null, expires_on: null, recorded_by: 'Investigator Two', recorded_at: `${p.effective_on}T09:00:00Z`, status: 'active', overturned_at: null, overturn_rationale: '', review_due: false, ...p,
  });
  state.officeActions.push(
    action({ case_reference: 'TS-2025-0412', kind: 'global_ban', accounts: [{ username: 'Vandal42', wiki: 'en.wikipedia.org' }, { username: 'SockPuppet7', wiki: 'en.wikipedia.org' }], effective_on: day(-340), review_on: day(12) }),
    action({ case_reference: 'TS-2026-0031', kind: 'event_ban', accounts: [{ username: 'LoudDelegate', wiki: 'meta.wikimedia.org' }], event: { name: 'Wikimania 2026', place: 'Paris', starts_on: day(40), ends_on: day(44) }, effective_on: day(-60), expires_on: day(305), review_on: day(200) }),
    action({ case_reference: 'TS-2025-0220', kind: 'conduct_warning', accounts: [{ username: 'HotHead', wiki: 'es.wikipedia.org' }], effective_on: day(-400), expires_on: day(-35) }),
    action({ case_reference: 'TS-2025-0388', kind: 'interaction_ban', accounts: [{ username: 'EditorA', wiki: 'de.wikipedia.org' }, { username: 'EditorB', wiki: 'de.wikipedia.org' }], effective_on: day(-200), status: 'overturned', overturned_at: `${day(-150)}T12:00:00Z`, overturn_rationale: 'Committee: insufficient evidence of off-wiki contact' }),
    action({ case_reference: 'TS-2026-0090', kind: 'global_ban', accounts: [{ username: 'Extortionist', wiki: 'commons.wikimedia.org' }], effective_on: day(-20) }),
    action({ case_reference: 'TS-2026-0104', kind: 'other', other_label: 'Loss of grant eligibility', accounts: [{ username: 'GrantAbuser', wiki: 'meta.wikimedia.org' }], effective_on: day(-5), expires_on: day(360) }),
  );

  // A case received for review at level 2 of 3: level 1 approved after a divergence.
  const received = 'TS-2026-0150';
  const author = 'I2NV-ST8G-AT0R-2KEY';
  const rc: Case = { id: nextId(), reference: received, title: 'Cross-wiki harassment of an admin: global ban proposed', kind: 'global_ban', status: 'in_review', priority: 'high', summary: '', opened_at: ago(9 * 24 * 60), legal_hold: false, default_sensitivity: 'normal', assignee: 'Investigator Two', origin: author };
  const own = 'TS-2026-0151';
  const oc: Case = { id: nextId(), reference: own, title: 'Harassment at a regional meetup: event ban proposed', kind: 'event_ban', status: 'in_review', priority: 'normal', summary: '', opened_at: ago(6 * 24 * 60), legal_hold: false, default_sensitivity: 'normal', assignee: state.owner, assisting: ['Reviewer One'], due_at: ago(60 * 24) };
  state.cases.push(rc, oc);
  const secs = (min: number) => Math.floor((t - min * 60_000) / 1000);
  const gb = structuredClone(policyFor(w, 'global_ban'));
  w.chains[received] = {
    case_id: rc.id,
    author_user: 'Investigator Two',
    state: 'in_review',
    kind: 'global_ban',
    policy: gb,
    level: 1,
    levels: [
      { role: 'tns_manager', required: 1, approvals: ['Manager Ana'], status: 'done' },
      { role: 'director', required: 1, approvals: [], status: 'current' },
      { role: 'chief', required: 1, approvals: [], status: 'pending' },
    ],
    history: [
      { seq: 1, at: secs(8 * 24 * 60), actor_user: 'Investigator Two', decision: 'submit', from: null, to: 'submitted', level: 0, rationale: null },
      { seq: 2, at: secs(6 * 24 * 60), actor_user: 'Manager Ana', decision: 'propose_modification', from: 'submitted', to: 'modification_proposed', level: 0, rationale: 'Limit the ban to English Wikipedia: the conduct on other wikis is thin.' },
      { seq: 3, at: secs(5 * 24 * 60), actor_user: 'Investigator Two', decision: 'keep_position', from: 'modification_proposed', to: 'in_review', level: 0, rationale: 'The Commons and Wikidata edits follow the same pattern within minutes; a local ban would move the harassment, not end it.' },
      { seq: 4, at: secs(4 * 24 * 60), actor_user: 'Manager Ana', decision: 'approve', from: 'in_review', to: 'in_review', level: 0, rationale: 'Evidence is sound. Approved; the divergence on scope goes to the director.' },
    ],
    divergences: [
      { level: 0, proposed_by: 'Manager Ana', proposal: 'Limit the ban to English Wikipedia: the conduct on other wikis is thin.', response: 'kept', author_note: 'The Commons and Wikidata edits follow the same pattern within minutes; a local ban would move the harassment, not end it.' },
    ],
    committee: [],
    appeal_deadline: null,
    offline: false,
  };
  const eb = structuredClone(policyFor(w, 'event_ban'));
  w.chains[own] = {
    case_id: oc.id,
    author_user: state.owner,
    state: 'modification_proposed',
    kind: 'event_ban',
    policy: eb,
    level: 0,
    levels: eb.levels.map((l, i) => ({ ...l, approvals: [], status: i === 0 ? 'current' : 'pending' })),
    history: [
      { seq: 1, at: secs(3 * 24 * 60), actor_user: state.owner, decision: 'submit', from: null, to: 'submitted', level: 0, rationale: null },
      { seq: 2, at: secs(24 * 60), actor_user: 'Manager Ana', decision: 'propose_modification', from: 'submitted', to: 'modification_proposed', level: 0, rationale: 'Make it a two-year ban from in-person events instead of an indefinite one.' },
    ],
    divergences: [{ level: 0, proposed_by: 'Manager Ana', proposal: 'Make it a two-year ban from in-person events instead of an indefinite one.', response: 'pending', author_note: null }],
    committee: [],
    appeal_deadline: null,
    offline: false,
  };
  state.reviewStates[received] = 'in_review';
  state.reviewStates[own] = 'modification_proposed';
  return { received, own };
}
