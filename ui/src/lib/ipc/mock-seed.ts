// Synthetic data for the mock backend: a 10,000-event case and a small realistic one.
import type { MockContext } from './mock-context';
import type { SubjectRole } from './types';

/** Fills a case with `n` synthetic events over several years, for the 10,000-event timeline. */
export function seedEvents(
  ctx: MockContext,
  reference: string,
  n: number,
  actors = ['Vandal42', 'SockPuppet7', 'Reporter_A', 'Admin_B'],
) {
  const { state, nextId, findCase, sortEvents } = ctx;
  const c = findCase(reference);
  const categories = ['edit', 'block', 'report', 'message', 'offwiki'];
  const start = Date.parse('2023-01-01T00:00:00Z');
  const span = Date.parse('2026-06-01T00:00:00Z') - start;
  for (let i = 0; i < n; i++) {
    // A deterministic spread with bursts, like real harassment campaigns.
    const t = start + ((i * 7919) % n) / n * span + (i % 13) * 60_000;
    state.events.push({
      id: nextId(),
      case_id: c.id,
      occurred_at: new Date(t).toISOString(),
      precision: i % 17 === 0 ? 'day' : 'minute',
      actor: actors[i % actors.length] ?? 'unknown',
      summary: `Synthetic event ${i + 1}`,
      place: 'en.wikipedia.org',
      category: categories[i % categories.length] ?? 'edit',
      tags: i % 5 === 0 ? ['sock'] : [],
      evidence: [],
      source: 'imported',
      import_id: 'seed',
    });
  }
  sortEvents();
}

/** A small, realistic case for screenshots and manual checks in the browser preview. */
export function seedDemo(ctx: MockContext, reference: string) {
  const { state, now, nextId, findCase, sortEvents } = ctx;
  const c = findCase(reference);
  const subjects: [string, SubjectRole][] = [
    ['Vandal42', 'reported_party'],
    ['SockPuppet7', 'reported_party'],
    ['ClerkAlice', 'affected'],
    ['Reporter_A', 'reporter'],
  ];
  for (const [username, role] of subjects) {
    const id = nextId();
    if (username === 'Vandal42') state.hidden[id] = { real_name: 'Jordan Doe', email: 'vandal42@example.net', ip: '203.0.113.42' };
    state.subjects.push({
      id,
      case_id: c.id,
      username,
      wiki: 'en.wikipedia.org',
      role,
      linked_accounts: username === 'SockPuppet7' ? [{ username: 'Vandal42', wiki: 'en.wikipedia.org', confidence: 0.85 }] : [],
      nonpublic: username === 'Vandal42' ? { real_name: '[redacted]', email: '[redacted]', ip: '[redacted]' } : {},
      added_at: now().toISOString(),
    });
  }
  const rows: [string, string, string, string, string, string[]][] = [
    ['2026-09-01T08:12:00Z', 'Vandal42', 'Reverts closure of arbitration request', 'User talk:ClerkAlice', 'edit', []],
    ['2026-09-01T09:30:00Z', 'ClerkAlice', 'Restores closure, warns Vandal42', 'Wikipedia:Arbitration/Requests', 'edit', []],
    ['2026-09-01T11:02:00Z', 'Vandal42', 'Edit war: third revert within an hour', 'Wikipedia:Arbitration/Requests', 'edit', ['3rr']],
    ['2026-09-01T11:40:00Z', 'Reporter_A', 'Reports edit warring at the noticeboard', "Wikipedia:Administrators' noticeboard", 'report', []],
    ['2026-09-02T07:15:00Z', 'SockPuppet7', 'Account registered', 'Special:Log/newusers', 'account', ['sock']],
    ['2026-09-02T07:31:00Z', 'SockPuppet7', 'Repeats the revert as a new account', 'Wikipedia:Arbitration/Requests', 'edit', ['sock']],
    ['2026-09-02T18:11:00Z', 'ClerkAlice', 'Blocks Vandal42 for 31 hours', 'Special:Log/block', 'block', []],
    ['2026-09-03T00:00:00Z', 'Vandal42', 'Off-wiki post naming ClerkAlice', 'External forum thread', 'offwiki', ['doxxing']],
    ['2026-09-03T21:15:00Z', 'SockPuppet7', "Posts 'you will regret this' on talk page", 'User talk:ClerkAlice', 'threat', ['sock', 'threat']],
    ['2026-09-03T21:20:00Z', 'Reporter_A', 'Emails emergency@ about the threat', 'Email', 'report', ['threat']],
    ['2026-09-04T10:05:00Z', 'ClerkAlice', 'Requests checkuser on SockPuppet7', 'Wikipedia:Sockpuppet investigations', 'report', ['sock']],
    ['2026-09-05T14:45:00Z', 'SockPuppet7', 'Blocked indefinitely as a sock of Vandal42', 'Special:Log/block', 'block', ['sock']],
    ['2026-09-06T09:00:00Z', 'Vandal42', 'Emails ClerkAlice through Special:EmailUser', 'Email', 'message', ['threat']],
  ];
  for (const [at, actor, summary, place, category, tags] of rows)
    state.events.push({
      id: nextId(),
      case_id: c.id,
      occurred_at: at,
      precision: at.endsWith('T00:00:00Z') ? 'day' : 'minute',
      actor,
      summary,
      place,
      category,
      tags,
      evidence: [],
      source: 'manual',
      import_id: null,
    });
  sortEvents();
}


/**
 * Imported conduct of three accounts on two wikis: SockPuppet7 follows Vandal42 onto the same
 * pages within minutes, on both wikis, and both write on ClerkAlice's talk page.
 */
export function seedCrossWiki(ctx: MockContext, reference: string) {
  const { state, nextId, findCase, sortEvents, now } = ctx;
  const c = findCase(reference);
  for (const [username, wiki] of [
    ['Vandal42', 'en.wikipedia.org'],
    ['SockPuppet7', 'es.wikipedia.org'],
    ['ClerkAlice', 'en.wikipedia.org'],
  ] as const) {
    if (state.subjects.some((s) => s.case_id === c.id && s.username === username)) continue;
    const id = nextId();
    if (username === 'Vandal42') state.hidden[id] = { real_name: 'Jordan Doe', email: 'vandal42@example.net', ip: '203.0.113.42' };
    state.subjects.push({
      id,
      case_id: c.id,
      username,
      wiki,
      role: username === 'ClerkAlice' ? 'affected' : 'reported_party',
      linked_accounts: [],
      nonpublic: username === 'Vandal42' ? { real_name: '[redacted]', email: '[redacted]', ip: '[redacted]' } : {},
      added_at: now().toISOString(),
    });
  }
  const importId = 'seed-crosswiki';
  const base = Date.parse('2026-09-01T08:00:00Z');
  // [minutes after base, account, wiki, title]
  const rows: [number, string, string, string][] = [];
  const pages: [string, string][] = [
    ['en.wikipedia.org', 'Climate change'],
    ['en.wikipedia.org', 'Sea level rise'],
    ['es.wikipedia.org', 'Cambio climático'],
    ['en.wikipedia.org', 'Talk:Climate change'],
    ['es.wikipedia.org', 'Calentamiento global'],
  ];
  pages.forEach(([wiki, title], p) => {
    for (let k = 0; k < 4; k++) {
      const at = p * 600 + k * 180;
      rows.push([at, 'Vandal42', wiki, title]);
      rows.push([at + 4 + ((p + k) % 5) * 3, 'SockPuppet7', wiki, title]);
      if (k % 2 === 0 && p < 2) rows.push([at + 95, 'ClerkAlice', wiki, title]);
    }
  });
  for (let k = 0; k < 3; k++) {
    rows.push([200 + k * 900, 'Vandal42', 'en.wikipedia.org', 'User talk:ClerkAlice']);
    rows.push([230 + k * 900, 'SockPuppet7', 'en.wikipedia.org', 'User talk:ClerkAlice']);
  }
  rows.push([3100, 'ClerkAlice', 'en.wikipedia.org', 'User talk:Vandal42']);
  for (let i = 0; i < 40; i++) rows.push([i * 97, ['Vandal42', 'SockPuppet7', 'ClerkAlice'][i % 3]!, i % 2 ? 'es.wikipedia.org' : 'en.wikipedia.org', `Page ${i}`]);
  for (const [min, actor, wiki, title] of rows)
    state.events.push({
      id: nextId(),
      case_id: c.id,
      occurred_at: new Date(base + min * 60_000).toISOString(),
      precision: 'exact',
      actor,
      summary: `Edit to ${title}`,
      place: `${wiki}: ${title}`,
      category: 'edit',
      tags: [],
      evidence: [],
      source: 'imported',
      import_id: importId,
    });
  sortEvents();
}
