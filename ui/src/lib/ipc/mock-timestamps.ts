// Trusted timestamps in the mock backend (docs/desktop.md, "Timestamp commands"): a configured
// authority, a queue of items captured since, and an authority that is online or not
// (`window.__casebookMock.timestamps.online`), so flows can show queued and stamped items.
import type { Args, MockContext } from './mock-context';
import { fail } from './mock-context';
import type { TimestampAuthority, TimestampSendSummary, TimestampStatus } from './types';

export const TIMESTAMP_COMMANDS = new Set([
  'timestamp_authority_get',
  'timestamp_authority_set',
  'timestamp_authority_clear',
  'timestamp_statuses',
  'timestamp_queue_case',
  'timestamp_send',
]);

export interface TimestampState {
  authority: TimestampAuthority | null;
  /** Items captured before this time are not queued by themselves. */
  configuredAt: number;
  online: boolean;
  statuses: Record<string, TimestampStatus>;
}

const states = new WeakMap<MockContext, TimestampState>();

export function timestampsOf(ctx: MockContext): TimestampState {
  let s = states.get(ctx);
  if (!s) {
    s = { authority: null, configuredAt: Infinity, online: true, statuses: {} };
    states.set(ctx, s);
  }
  return s;
}

export function handleTimestamps(ctx: MockContext, cmd: string, a: Args): unknown {
  const { state, now, str, findCase, audit } = ctx;
  const ts = timestampsOf(ctx);
  // Items captured while an authority is configured are queued on capture.
  const queueNew = () => {
    for (const e of state.evidence) {
      if (!ts.statuses[e.id] && Date.parse(e.captured_at) >= ts.configuredAt)
        ts.statuses[e.id] = { state: 'queued', queued_at: e.captured_at, attempts: 0, last_error: null };
    }
  };
  switch (cmd) {
    case 'timestamp_authority_get':
      return ts.authority;
    case 'timestamp_authority_set': {
      const url = str(a, 'url').trim();
      if (!/^https?:\/\//.test(url)) fail('invalid_input', 'the time-stamping authority must be an http:// or https:// URL without credentials');
      if (!str(a, 'root_pem').includes('-----BEGIN CERTIFICATE-----'))
        fail('invalid_input', "the authority's certificate is not a PEM certificate");
      ts.authority = { url, authority: 'Casebook Test Root' };
      ts.configuredAt = now().getTime();
      audit('preference.set', null, 'timestamp.url');
      return ts.authority;
    }
    case 'timestamp_authority_clear':
      ts.authority = null;
      ts.configuredAt = Infinity;
      return null;
    case 'timestamp_statuses': {
      queueNew();
      const c = findCase(str(a, 'reference'));
      const ids = new Set(state.evidence.filter((e) => e.case_id === c.id).map((e) => e.id));
      return Object.fromEntries(Object.entries(ts.statuses).filter(([id]) => ids.has(id)));
    }
    case 'timestamp_queue_case': {
      if (!ts.authority) fail('invalid_input', 'no time-stamping authority is configured');
      const c = findCase(str(a, 'reference'));
      let n = 0;
      for (const e of state.evidence.filter((e) => e.case_id === c.id && !ts.statuses[e.id])) {
        ts.statuses[e.id] = { state: 'queued', queued_at: now().toISOString(), attempts: 0, last_error: null };
        n++;
      }
      return n;
    }
    case 'timestamp_send': {
      const summary: TimestampSendSummary = { obtained: 0, queued: 0, last_error: null };
      if (!ts.authority) return summary;
      queueNew();
      for (const [id, s] of Object.entries(ts.statuses)) {
        if (s.state !== 'queued') continue;
        if (!ts.online) {
          const why = `the time-stamping authority at ${ts.authority.url} did not answer; the items stay queued`;
          ts.statuses[id] = { ...s, attempts: s.attempts + 1, last_error: why };
          summary.last_error = why;
          continue;
        }
        ts.statuses[id] = { state: 'stamped', stamped_at: now().toISOString(), authority: ts.authority.authority, serial: '01' };
        audit('evidence.timestamp', null, id);
        summary.obtained++;
      }
      summary.queued = Object.values(ts.statuses).filter((s) => s.state === 'queued').length;
      return summary;
    }
  }
  return fail('unknown_command', cmd);
}
