// office action, DMCA notices from receipt to the restore window, appeals; and the synthetic DMCA
// case. `register_list` and `review_chain` (mock-workflow.ts) read `state.officeActions`
// and `appealDeadlineOf` from here.
import type { Args, MockContext } from './mock-context';
import { fail } from './mock-context';
import type {
  ActionAccount,
  ActionEvent,
  ActionKind,
  Complainant,
  DmcaNotice,
  DmcaNoticeInput,
  OfficeAction,
  OutboxItem,
  TakedownItem,
} from './types';
import { ACTION_KINDS } from './types';
import { isDate, missingElements, restoreWindow } from '../dmca';

export const DMCA_COMMANDS = new Set([
  'action_record',
  'dmca_list',
  'dmca_get',
  'dmca_add',
  'dmca_update',
  'dmca_reveal',
  'dmca_takedown',
  'dmca_notify',
  'dmca_counter',
  'dmca_archive',
  'appeal_record',
]);

export const REDACTED = '[redacted]';
/** Days an office action stays open to appeal in the mock (the policy's appeal_window_days). */
export const APPEAL_WINDOW_DAYS = 30;

/** The review decision an office action queues for the server. */
const DECISION_OF: Record<ActionKind, string> = {
  global_ban: 'global_ban',
  event_ban: 'event_ban',
  conduct_warning: 'warning',
  interaction_ban: 'interaction_ban',
  other: 'other_action',
};

const redact = (c: Complainant): Complainant => ({
  name: c.name ? REDACTED : '',
  address: c.address ? REDACTED : '',
  email: c.email ? REDACTED : '',
  phone: c.phone ? REDACTED : '',
});
const shown = (n: DmcaNotice): DmcaNotice => ({ ...structuredClone(n), complainant: redact(n.complainant) });

/** The case's latest office action + the window, unless a test set the deadline. */
export function appealDeadlineOf(ctx: MockContext, reference: string): string | null {
  const set = ctx.state.appealDeadlines[reference];
  if (set) return set;
  const last = ctx.state.officeActions.filter((a) => a.case_reference === reference).at(-1);
  if (!last) return null;
  return new Date(Date.parse(last.recorded_at) + APPEAL_WINDOW_DAYS * 86_400_000).toISOString().replace('.000Z', 'Z');
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export function handleDmca(ctx: MockContext, cmd: string, a: Args): unknown {
  const { state, now, nextId, str, findCase, writable, audit } = ctx;
  const stamp = () => now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const notice = (id: string): DmcaNotice => state.dmcaNotices.find((n) => n.id === id) ?? fail('not_found', `DMCA notice ${id} not found`);
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const date = (key: string, required: boolean): string | undefined => {
    const v = str(a, key, required);
    if (!v) return undefined;
    if (!isDate(v)) fail('invalid_input', `${key} ${v} is not a date (YYYY-MM-DD)`);
    return v;
  };
  const parseNotice = (raw: unknown, keep?: DmcaNotice): DmcaNoticeInput => {
    const o = (raw ?? {}) as Record<string, unknown>;
    const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).trim() : '');
    const c = (o.complainant ?? {}) as Record<string, unknown>;
    // A field still "[redacted]" keeps what is stored (the form never sends it; older clients might).
    const field = (k: keyof Complainant) => {
      const v = typeof c[k] === 'string' ? (c[k] as string).trim() : '';
      return v === REDACTED && keep ? keep.complainant[k] : v;
    };
    const received = text('received_at');
    if (received && Number.isNaN(Date.parse(received))) fail('invalid_input', `received_at ${received} is not RFC 3339`);
    return {
      received_at: received || undefined,
      work: text('work'),
      material: text('material'),
      urls: strings(o.urls).map((u) => u.trim()).filter(Boolean),
      complainant: { name: field('name'), address: field('address'), email: field('email'), phone: field('phone') },
      good_faith: o.good_faith === true,
      accuracy: o.accuracy === true,
      signature: text('signature'),
    };
  };
  const withElements = (n: DmcaNotice): DmcaNotice => {
    n.missing = missingElements(n);
    n.complete = n.missing.length === 0;
    return n;
  };

  switch (cmd) {
    case 'action_record': {
      const c = writable(findCase(str(a, 'reference')));
      if (c.status !== 'approved' && c.status !== 'action_recorded')
        fail('invalid_input', `${c.reference} is ${c.status}: an office action is recorded after approval`);
      const kind = str(a, 'kind') as ActionKind;
      if (!ACTION_KINDS.includes(kind)) fail('invalid_input', `unknown action kind ${kind}`);
      const accounts = (Array.isArray(a.accounts) ? a.accounts : []) as ActionAccount[];
      if (accounts.length === 0) fail('invalid_input', 'an office action names at least one account');
      for (const x of accounts)
        if (!x || typeof x.username !== 'string' || !x.username.trim() || typeof x.wiki !== 'string' || !x.wiki.trim())
          fail('invalid_input', 'every account needs a username and a wiki');
      let event: ActionEvent | null = null;
      if (kind === 'event_ban') {
        const e = (a.event ?? null) as ActionEvent | null;
        if (!e || !e.name?.trim() || !e.place?.trim()) fail('invalid_input', 'an event ban names the event and its place');
        if (!isDate(e!.starts_on) || !isDate(e!.ends_on)) fail('invalid_input', 'the event needs start and end dates (YYYY-MM-DD)');
        if (e!.ends_on < e!.starts_on) fail('invalid_input', 'the event ends before it starts');
        event = { name: e!.name.trim(), place: e!.place.trim(), starts_on: e!.starts_on, ends_on: e!.ends_on };
      }
      const other_label = kind === 'other' ? str(a, 'other_label').trim() : '';
      if (kind === 'other' && !other_label) fail('invalid_input', 'an other action needs a label');
      const effective_on = date('effective_on', true)!;
      const review_on = date('review_on', false) ?? null;
      const expires_on = date('expires_on', false) ?? null;
      if (review_on && review_on < effective_on) fail('invalid_input', 'the review date is before the effective date');
      if (expires_on && expires_on < effective_on) fail('invalid_input', 'the expiry date is before the effective date');
      const action: OfficeAction = {
        id: nextId(),
        case_id: c.id,
        case_reference: c.reference,
        kind,
        accounts: accounts.map((x) => ({ username: x.username.trim(), wiki: x.wiki.trim() })),
        event,
        other_label,
        effective_on,
        review_on,
        expires_on,
        recorded_by: state.owner,
        recorded_at: stamp(),
        status: 'active',
        overturned_at: null,
        overturn_rationale: '',
        review_due: false,
      };
      state.officeActions.push(action);
      c.status = 'action_recorded';
      // The mock plays the server too: the decision moves the cycle once it is queued.
      if (state.reviewStates[c.reference] === 'approved') state.reviewStates[c.reference] = 'action_recorded';
      const decision = DECISION_OF[kind];
      state.outbox.push({ id: nextId(), case_reference: c.reference, kind: 'decision', decision, state: 'queued', message: '', bytes_sent: 0, size: 1_604 });
      audit('office_action.record', c.id, action.id);
      return action;
    }
    case 'dmca_list': {
      const reference = str(a, 'reference', false);
      const c = reference ? findCase(reference) : null;
      return state.dmcaNotices.filter((n) => !c || n.case_id === c.id).map(shown);
    }
    case 'dmca_get':
      return shown(notice(str(a, 'id')));
    case 'dmca_add': {
      const c = writable(findCase(str(a, 'reference')));
      const input = parseNotice(a.notice);
      const n: DmcaNotice = withElements({
        id: nextId(),
        case_id: c.id,
        case_reference: c.reference,
        ...input,
        received_at: input.received_at ? new Date(input.received_at).toISOString().replace('.000Z', 'Z') : stamp(),
        missing: [],
        complete: false,
        takedown: null,
        uploader_notified_at: null,
        uploader: '',
        counter_notice: null,
        restore_window: null,
      });
      state.dmcaNotices.push(n);
      audit('dmca.add', c.id, n.id);
      return shown(n);
    }
    case 'dmca_update': {
      const n = notice(str(a, 'id'));
      writable(findCase(n.case_reference));
      const input = parseNotice(a.notice, n);
      Object.assign(n, { ...input, received_at: input.received_at ?? n.received_at });
      withElements(n);
      audit('dmca.update', n.case_id, n.id);
      return shown(n);
    }
    case 'dmca_reveal': {
      const n = notice(str(a, 'id'));
      const reason = str(a, 'reason', false).trim();
      if (!reason) fail('invalid_input', "a reason is required to reveal the complainant's contact");
      audit('dmca.reveal_complainant', n.case_id, n.id);
      state.accessReasons[state.audit.at(-1)!.seq] = reason;
      return structuredClone(n);
    }
    case 'dmca_takedown': {
      const n = notice(str(a, 'id'));
      writable(findCase(n.case_reference));
      if (!n.complete) fail('invalid_input', `the notice is incomplete (missing: ${n.missing.join(', ')}); no takedown on an incomplete notice`);
      const items = (Array.isArray(a.items) ? a.items : []) as TakedownItem[];
      if (items.length === 0) fail('invalid_input', 'a takedown removes at least one page');
      for (const i of items)
        if (!i?.wiki?.trim() || !i?.page?.trim() || !Array.isArray(i.revisions) || !i.revisions.every((r) => Number.isInteger(r) && r > 0))
          fail('invalid_input', 'every removed page needs a wiki, a title and revision ids');
      n.takedown = { at: stamp(), by: state.owner, items: items.map((i) => ({ wiki: i.wiki.trim(), page: i.page.trim(), revisions: [...i.revisions] })) };
      audit('dmca.takedown', n.case_id, n.id);
      return shown(n);
    }
    case 'dmca_notify': {
      const n = notice(str(a, 'id'));
      if (!n.takedown) fail('invalid_input', 'record the takedown before notifying the uploader');
      n.uploader = str(a, 'uploader').trim();
      if (!n.uploader) fail('invalid_input', 'uploader is required');
      n.uploader_notified_at = stamp();
      audit('dmca.notify', n.case_id, n.id);
      return shown(n);
    }
    case 'dmca_counter': {
      const n = notice(str(a, 'id'));
      if (!n.takedown) fail('invalid_input', 'a counter-notice answers a takedown; none is recorded');
      const from = str(a, 'from').trim();
      const statement = str(a, 'statement').trim();
      if (!from || !statement) fail('invalid_input', 'a counter-notice needs who sent it and its statement');
      const at = str(a, 'received_at', false);
      if (at && Number.isNaN(Date.parse(at))) fail('invalid_input', `received_at ${at} is not RFC 3339`);
      const received_at = at ? new Date(at).toISOString().replace('.000Z', 'Z') : stamp();
      n.counter_notice = { received_at, from, statement };
      n.restore_window = restoreWindow(received_at);
      audit('dmca.counter_notice', n.case_id, n.id);
      return shown(n);
    }
    case 'dmca_archive': {
      const n = notice(str(a, 'id'));
      const td = n.takedown ?? fail('invalid_input', 'nothing was taken down: no archive entry');
      const lines = [
        `== ${td.items[0]?.page ?? n.work} (${td.at.slice(0, 10)}) ==`,
        `* '''Notice received:''' ${n.received_at.slice(0, 10)}`,
        `* '''Work claimed:''' ${n.work}`,
        `* '''Material:''' ${n.material}`,
        `* '''Removed:'''`,
        ...td.items.map((i) => `** [[:${i.wiki}:${i.page}]] (revisions ${i.revisions.join(', ')})`),
        `* '''Action taken:''' ${td.at.slice(0, 10)}`,
      ];
      if (n.counter_notice) lines.push(`* '''Counter-notice received:''' ${n.counter_notice.received_at.slice(0, 10)}`);
      return lines.join('\n');
    }
    case 'appeal_record': {
      const c = writable(findCase(str(a, 'reference')));
      const appellant = str(a, 'appellant').trim();
      const role = str(a, 'appellant_role');
      if (role !== 'sanctioned' && role !== 'requesting') fail('invalid_input', `unknown appellant role ${role}`);
      if (!str(a, 'statement', false).trim()) fail('invalid_input', "the appellant's statement is required");
      const actions = state.officeActions.filter((x) => x.case_id === c.id && x.status === 'active');
      if (actions.length === 0) fail('invalid_input', `${c.reference} has no office action to appeal`);
      const same = (x: string) => x.trim().toLowerCase() === appellant.toLowerCase();
      const party =
        role === 'sanctioned'
          ? actions.some((x) => x.accounts.some((acc) => same(acc.username)))
          : state.subjects.some((s) => s.case_id === c.id && s.role === 'reporter' && same(s.username));
      if (!party)
        fail('invalid_input', role === 'sanctioned' ? `${appellant} is not a party of the office action` : `${appellant} did not report this case`);
      const deadline = appealDeadlineOf(ctx, c.reference);
      if (deadline && Date.parse(deadline) < now().getTime()) fail('invalid_input', `the appeal window closed on ${deadline.slice(0, 10)}`);
      const st = state.reviewStates[c.reference];
      if (st === 'action_recorded' || st === 'closed') state.reviewStates[c.reference] = 'committee_review';
      const item: OutboxItem = { id: nextId(), case_reference: c.reference, kind: 'appeal', decision: 'appeal', state: 'queued', message: '', bytes_sent: 0, size: 2_048 };
      state.outbox.push(item);
      audit('review.appeal', c.id, item.id);
      return item;
    }
    default:
      return fail('unknown_command', `mock backend has no command ${cmd}`);
  }
}

/** The Friday before `on` (a week back when `on` is a Friday), as `YYYY-MM-DD`. */
export function lastFriday(on: Date): string {
  const back = ((on.getUTCDay() - 5 + 7) % 7) || 7;
  return dayOf(new Date(on.getTime() - back * 86_400_000));
}

/**
 * A DMCA case with one incomplete notice (no accuracy statement, no signature) and one complete
 * notice taken down, the uploader notified, and a counter-notice received last Friday.
 */
export function seedDmca(ctx: MockContext): string {
  const { state, now, nextId, audit } = ctx;
  const t = now();
  const day = (d: string, hm = '10:00') => `${d}T${hm}:00Z`;
  const minus = (d: string, n: number) => dayOf(new Date(Date.parse(`${d}T00:00:00Z`) - n * 86_400_000));
  const friday = lastFriday(t);
  const reference = `TS-${t.getUTCFullYear()}-${String(state.cases.length + 1).padStart(4, '0')}`;
  const caseId = nextId();
  state.cases.push({
    id: caseId,
    reference,
    title: 'Copyright notice: Lisbon tram photographs',
    kind: 'dmca',
    status: 'open',
    priority: 'normal',
    summary: 'A photographer reports that two Commons files copy a published series.',
    opened_at: day(minus(friday, 24), '09:12'),
    legal_hold: false,
    default_sensitivity: 'nonpublic',
    assignee: '',
  });
  audit('case.create', caseId, reference);
  for (const [username, role] of [['TramFan88', 'reported_party'], ['Ana Costa Photo', 'reporter']] as const)
    state.subjects.push({
      id: nextId(),
      case_id: caseId,
      username,
      wiki: 'commons.wikimedia.org',
      role,
      linked_accounts: [],
      nonpublic: {},
      added_at: day(minus(friday, 24), '09:20'),
    });
  const base = {
    case_id: caseId,
    case_reference: reference,
    missing: [],
    complete: false,
    takedown: null,
    uploader_notified_at: null,
    uploader: '',
    counter_notice: null,
    restore_window: null,
  };
  const complete: DmcaNotice = {
    ...base,
    id: nextId(),
    received_at: day(minus(friday, 21), '08:41'),
    work: 'Photograph series “Elétrico 28”, © Ana Costa 2019, published in the book Lisboa em Movimento',
    material: 'Two photographs uploaded to Wikimedia Commons as own work',
    urls: [
      'https://commons.wikimedia.org/wiki/File:Tram_28_Graca.jpg',
      'https://commons.wikimedia.org/wiki/File:Tram_28_Alfama_dusk.jpg',
    ],
    complainant: { name: 'Ana Costa', address: 'Rua das Flores 12, 1200-195 Lisboa, Portugal', email: 'ana@costa-photo.example', phone: '+351 21 000 0000' },
    good_faith: true,
    accuracy: true,
    signature: '/Ana Costa/',
    takedown: {
      at: day(minus(friday, 17), '15:30'),
      by: state.owner,
      items: [
        { wiki: 'commons.wikimedia.org', page: 'File:Tram_28_Graca.jpg', revisions: [912345671] },
        { wiki: 'commons.wikimedia.org', page: 'File:Tram_28_Alfama_dusk.jpg', revisions: [912345702, 912399810] },
      ],
    },
    uploader: 'TramFan88',
    uploader_notified_at: day(minus(friday, 17), '15:45'),
    counter_notice: {
      received_at: day(friday, '16:20'),
      from: 'TramFan88',
      statement: 'I took both photographs myself from the street in 2018; the book reproduces a different frame.',
    },
    restore_window: restoreWindow(friday),
  };
  const incomplete: DmcaNotice = {
    ...base,
    id: nextId(),
    received_at: day(minus(dayOf(t), 2), '11:05'),
    work: 'Map “Lisbon tram network 2020”',
    material: 'A map image in the article Trams in Lisbon',
    urls: ['https://en.wikipedia.org/wiki/Trams_in_Lisbon'],
    complainant: { name: 'Carris Design Office', address: '', email: 'legal@carris-design.example', phone: '' },
    good_faith: true,
    accuracy: false,
    signature: '',
  };
  for (const n of [complete, incomplete]) {
    n.missing = missingElements(n);
    n.complete = n.missing.length === 0;
    state.dmcaNotices.push(n);
    audit('dmca.add', caseId, n.id);
  }
  return reference;
}
