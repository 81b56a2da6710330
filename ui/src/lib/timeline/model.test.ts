import { describe, expect, it } from 'vitest';
import type { CaseEvent, Subject } from '../ipc/types';
import {
  buildLanes,
  buildWikiLanes,
  categoryColour,
  colourMap,
  distinct,
  emptyFilter,
  filterEvents,
  filterOrdered,
  orderEvents,
  parseTime,
  laneKeyOf,
  lanesFor,
  precisionWidthMs,
  wikiFromPlace,
} from './model';

function ev(id: string, at: string, actor: string, category = '', tags: string[] = []): CaseEvent {
  return {
    id,
    case_id: 'c',
    occurred_at: at,
    precision: 'minute',
    actor,
    summary: `summary ${id}`,
    place: '',
    category,
    tags,
    evidence: [],
    source: 'manual',
    import_id: null,
  };
}

const subject = (username: string): Subject => ({
  id: username,
  case_id: 'c',
  username,
  wiki: 'en.wikipedia.org',
  role: 'reported_party',
  linked_accounts: [],
  nonpublic: {},
  added_at: '2026-01-01T00:00:00Z',
});

const events = [
  ev('3', '2026-01-03T00:00:00Z', 'B', 'edit', ['sock']),
  ev('1', '2026-01-01T00:00:00Z', 'A', 'block'),
  ev('2', '2026-01-02T00:00:00Z', 'C', 'edit', ['sock', 'urgent']),
];

describe('timeline model', () => {
  it('sorts by time', () => {
    expect(filterEvents(events, emptyFilter()).map((e) => e.id)).toEqual(['1', '2', '3']);
  });
  it('filters by category (any of) and tag (all of)', () => {
    const f = emptyFilter();
    expect(filterEvents(events, { ...f, categories: new Set(['edit']) }).map((e) => e.id)).toEqual(['2', '3']);
    expect(filterEvents(events, { ...f, tags: new Set(['sock', 'urgent']) }).map((e) => e.id)).toEqual(['2']);
    expect(filterEvents(events, { ...f, categories: new Set(['block', 'edit']) })).toHaveLength(3);
    expect(filterEvents(events, { ...f, text: 'SUMMARY 3' }).map((e) => e.id)).toEqual(['3']);
  });
  it('puts known subjects first, then other actors by name', () => {
    const lanes = buildLanes(events, [subject('C'), subject('Unused')]);
    expect(lanes.map((l) => l.key)).toEqual(['C', 'A', 'B']);
    expect(lanes[0]!.role).toBe('reported_party');
    expect(lanes[1]!.role).toBeNull();
  });
  it('lists distinct categories and tags', () => {
    expect(distinct(events, (e) => e.category)).toEqual(['block', 'edit']);
    expect(distinct(events, (e) => e.tags)).toEqual(['sock', 'urgent']);
  });
  it('draws imprecise events as spans', () => {
    expect(precisionWidthMs('minute')).toBe(0);
    expect(precisionWidthMs('day')).toBe(86_400_000);
    expect(precisionWidthMs('approximate')).toBeGreaterThan(86_400_000);
  });
  it('gives each category a stable colour', () => {
    expect(categoryColour('edit')).toBe(categoryColour('edit'));
    expect(categoryColour('edit')).toMatch(/^#[0-9a-f]{6}$/);
  });
  it('gives the categories of a case distinct colours', () => {
    const m = colourMap(['threat', 'edit', 'block', 'account', 'edit', 'report', 'offwiki', 'message']);
    const colours = ['threat', 'edit', 'block', 'account', 'report', 'offwiki', 'message'].map((c) => m.get(c));
    expect(new Set(colours).size).toBe(7);
    expect(m.get('')).toBeDefined();
  });
});

describe('wikis from places', () => {
  it('takes the host before ": " and nothing else', () => {
    expect(wikiFromPlace('en.wikipedia.org: User talk:ClerkAlice')).toBe('en.wikipedia.org');
    expect(wikiFromPlace('ES.Wikipedia.org: Cambio climático')).toBe('es.wikipedia.org');
    expect(wikiFromPlace('127.0.0.1: Main Page')).toBe('127.0.0.1');
    expect(wikiFromPlace('localhost: Main Page')).toBe('localhost');
    expect(wikiFromPlace('Wikipedia:Arbitration/Requests')).toBe('');
    expect(wikiFromPlace('External forum thread')).toBe('');
    expect(wikiFromPlace('discord: #general')).toBe('');
    expect(wikiFromPlace('')).toBe('');
  });

  it('groups lanes by wiki, busiest first, off-wiki last', () => {
    const events = [
      { ...ev('1', '2026-01-01T00:00:00Z', 'A'), place: 'es.wikipedia.org: X' },
      { ...ev('2', '2026-01-02T00:00:00Z', 'B'), place: 'en.wikipedia.org: X' },
      { ...ev('3', '2026-01-03T00:00:00Z', 'A'), place: 'en.wikipedia.org: Y' },
      { ...ev('4', '2026-01-04T00:00:00Z', 'A'), place: 'Email' },
    ];
    expect(buildWikiLanes(events, 'Other').map((l) => [l.key, l.label])).toEqual([
      ['en.wikipedia.org', 'en.wikipedia.org'],
      ['es.wikipedia.org', 'es.wikipedia.org'],
      ['', 'Other'],
    ]);
    expect(lanesFor(events, [], 'account', 'Other').map((l) => l.key)).toEqual(['A', 'B']);
    expect(events.map((e) => laneKeyOf(e, 'wiki'))).toEqual(['es.wikipedia.org', 'en.wikipedia.org', 'en.wikipedia.org', '']);
    expect(laneKeyOf(events[0]!, 'account')).toBe('A');
  });
});

describe('times', () => {
  it('reads RFC 3339 UTC as Date.parse does, to the millisecond', () => {
    for (const at of [
      '2025-01-01T00:00:00Z',
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2024-02-29T13:45:07.5Z',
      '2024-02-29T13:45:07.123456789Z',
      '2000-03-01T00:00:00.001Z',
      '2100-12-31T23:59:59.999Z',
      '2025-06-01T12:00:00+02:00',
    ])
      expect(parseTime(at), at).toBe(Date.parse(at));
    expect(parseTime('not a time')).toBeNaN();
  });

  it('keeps an ordered list as it is and sorts one that is not, stably', () => {
    const inOrder = [ev('a', '2025-01-01T00:00:00Z', 'x'), ev('b', '2025-01-02T00:00:00Z', 'x')];
    const o = orderEvents(inOrder);
    expect(o.events).toBe(inOrder);
    expect([...o.times]).toEqual(inOrder.map((e) => Date.parse(e.occurred_at)));
    const shuffled = [ev('c', '2025-01-03T00:00:00Z', 'x'), ev('a', '2025-01-01T00:00:00Z', 'x'), ev('b', '2025-01-01T00:00:00Z', 'y')];
    const s = orderEvents(shuffled);
    expect(s.events.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(s.times[0]).toBeLessThanOrEqual(s.times[2]!);
  });

  it('filters with the times kept beside their events', () => {
    const o = orderEvents([ev('a', '2025-01-01T00:00:00Z', 'x', 'edit'), ev('b', '2025-01-02T00:00:00Z', 'x', 'block')]);
    expect(filterOrdered(o, emptyFilter())).toBe(o);
    const f = filterOrdered(o, { ...emptyFilter(), categories: new Set(['block']) });
    expect(f.events.map((e) => e.id)).toEqual(['b']);
    expect([...f.times]).toEqual([Date.parse('2025-01-02T00:00:00Z')]);
  });
});
