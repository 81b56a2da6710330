// Turning a case's events and subjects into what the timeline draws: lanes and a filtered,
// time-sorted index.
import type { CaseEvent, Precision, Subject } from '../ipc/types';

export interface TimelineFilter {
  categories: ReadonlySet<string>;
  tags: ReadonlySet<string>;
  text: string;
}

export const emptyFilter = (): TimelineFilter => ({ categories: new Set(), tags: new Set(), text: '' });

/** An event passes when it matches any chosen category (or none is chosen) and carries every chosen tag. */
export function matches(e: CaseEvent, f: TimelineFilter): boolean {
  if (f.categories.size > 0 && !f.categories.has(e.category)) return false;
  for (const tag of f.tags) if (!e.tags.includes(tag)) return false;
  if (f.text) {
    const q = f.text.toLowerCase();
    if (!`${e.summary} ${e.actor} ${e.place}`.toLowerCase().includes(q)) return false;
  }
  return true;
}

/** Filtered events in time order (stable for equal times). */
export function filterEvents(events: readonly CaseEvent[], f: TimelineFilter): CaseEvent[] {
  return events
    .filter((e) => matches(e, f))
    .map((e, i) => ({ e, i, t: Date.parse(e.occurred_at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.e);
}

export interface Lane {
  key: string;
  label: string;
  /** From the subject list when the actor is a known subject. */
  role: Subject['role'] | null;
}

/** Swimlanes by account (actor) or by wiki (the host in an event's place). */
export type LaneGrouping = 'account' | 'wiki';

/** Lane key of events with no wiki in their place (manual, off-wiki). */
export const NO_WIKI = '';

/**
 * The wiki an event happened on, from its place: imports write `host: Title`
 * (`en.wikipedia.org: User talk:ClerkAlice`). Only a host-looking prefix counts, so
 * `Wikipedia:Arbitration` or `External forum thread` give NO_WIKI.
 */
export function wikiFromPlace(place: string): string {
  const i = place.indexOf(': ');
  if (i <= 0) return NO_WIKI;
  const host = place.slice(0, i).trim().toLowerCase();
  return /^(localhost|[a-z0-9-]+(\.[a-z0-9-]+)+)(:\d+)?$/.test(host) ? host : NO_WIKI;
}

/** The lane an event belongs to under a grouping. */
export function laneKeyOf(e: CaseEvent, grouping: LaneGrouping): string {
  return grouping === 'wiki' ? wikiFromPlace(e.place) : e.actor;
}

/**
 * One lane per wiki, by number of events (most first, then by name); events with no wiki in a
 * last lane labelled `noWikiLabel`.
 */
export function buildWikiLanes(events: readonly CaseEvent[], noWikiLabel: string): Lane[] {
  const counts = new Map<string, number>();
  for (const e of events) {
    const w = wikiFromPlace(e.place);
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const wikis = [...counts].filter(([w]) => w !== NO_WIKI).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const lanes: Lane[] = wikis.map(([w]) => ({ key: w, label: w, role: null }));
  if (counts.has(NO_WIKI)) lanes.push({ key: NO_WIKI, label: noWikiLabel, role: null });
  return lanes;
}

/** Lanes for a grouping: by account (subjects first) or by wiki. */
export function lanesFor(
  events: readonly CaseEvent[],
  subjects: readonly Subject[],
  grouping: LaneGrouping,
  noWikiLabel: string,
): Lane[] {
  return grouping === 'wiki' ? buildWikiLanes(events, noWikiLabel) : buildLanes(events, subjects);
}

/** One lane per actor: the case's subjects first (in their order), then other actors by name. */
export function buildLanes(events: readonly CaseEvent[], subjects: readonly Subject[]): Lane[] {
  const lanes: Lane[] = [];
  const seen = new Set<string>();
  const used = new Set(events.map((e) => e.actor));
  for (const s of subjects) {
    if (seen.has(s.username)) continue;
    seen.add(s.username);
    if (used.has(s.username) || events.length === 0)
      lanes.push({ key: s.username, label: s.username, role: s.role });
  }
  const others = [...used].filter((a) => !seen.has(a)).sort((a, b) => a.localeCompare(b));
  for (const a of others) lanes.push({ key: a, label: a, role: null });
  return lanes;
}

export function distinct(events: readonly CaseEvent[], pick: (e: CaseEvent) => string | string[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    const v = pick(e);
    for (const x of Array.isArray(v) ? v : [v]) if (x) out.add(x);
  }
  return [...out].sort((a, b) => a.localeCompare(b));
}

/** How long an event with this precision may have lasted: drawn as a bar rather than a point. */
export function precisionWidthMs(p: Precision): number {
  switch (p) {
    case 'day':
      return 86_400_000;
    case 'approximate':
      return 7 * 86_400_000;
    default:
      return 0;
  }
}

/** Distinct hues, each readable on white (contrast ≥ 4.5:1). */
const PALETTE = ['#1f5fa8', '#b03a12', '#2b7a3d', '#7a3d8f', '#8a6200', '#00707a', '#b0235a', '#4d5b6b', '#5a4fcf', '#6b6b00'];
const UNCATEGORIZED = '#6a7380';

/** A stable colour per category from its hash (used when no case-wide assignment exists). */
export function categoryColour(category: string): string {
  if (!category) return UNCATEGORIZED;
  let h = 0;
  for (let i = 0; i < category.length; i++) h = (h * 31 + category.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? UNCATEGORIZED;
}

/**
 * Colours for a case's categories: distinct while there are fewer categories than colours
 * (assigned in sorted order, so the same case always looks the same).
 */
export function colourMap(categories: readonly string[]): Map<string, string> {
  const sorted = [...new Set(categories)].filter(Boolean).sort((a, b) => a.localeCompare(b));
  const map = new Map<string, string>([['', UNCATEGORIZED]]);
  sorted.forEach((c, i) => map.set(c, i < PALETTE.length ? PALETTE[i]! : categoryColour(c)));
  return map;
}
