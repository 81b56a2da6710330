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
  return [...filterOrdered(orderEvents(events), f).events];
}

export const isEmptyFilter = (f: TimelineFilter): boolean => f.categories.size === 0 && f.tags.size === 0 && !f.text;

/**
 * Events in time order beside their instants as a typed array: parsed once per load, shared by
 * the chart, the list and the zoom, so nothing downstream calls Date.parse per event again.
 */
export interface OrderedEvents {
  events: readonly CaseEvent[];
  /** Epoch ms of `events[i]`, ascending. */
  times: Float64Array;
}

const DIGIT0 = 48;

/**
 * Epoch ms of an RFC 3339 instant. The backend writes UTC as `YYYY-MM-DDTHH:MM:SS[.fff]Z`; that
 * shape is read digit by digit (Date.parse on 100,000 strings costs tens of ms in WebKit), any
 * other goes to Date.parse.
 */
export function parseTime(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(4) !== 45 || s.charCodeAt(10) !== 84) return Date.parse(s);
  const d = (i: number) => s.charCodeAt(i) - DIGIT0;
  const y = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const mo = d(5) * 10 + d(6);
  const day = d(8) * 10 + d(9);
  const hh = d(11) * 10 + d(12);
  const mi = d(14) * 10 + d(15);
  const ss = d(17) * 10 + d(18);
  let ms = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46 /* . */) return Date.parse(s);
    // Milliseconds from the first three fraction digits (padded), the rest dropped as Date.parse does.
    for (let i = 20, scale = 100; i < n - 1 && scale >= 1; i++, scale /= 10) ms += d(i) * scale;
  }
  if (!(y >= 0 && mo >= 1 && mo <= 12 && day >= 1 && day <= 31 && hh <= 23 && mi <= 59 && ss <= 59 && ms >= 0))
    return Date.parse(s);
  // Days from the civil date (H. Hinnant's algorithm), exact for the proleptic Gregorian calendar.
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return ((days * 24 + hh) * 60 + mi) * 60_000 + ss * 1000 + ms;
}

/** Events in time order (stable for equal times); the same array when it already is. */
export function orderEvents(events: readonly CaseEvent[]): OrderedEvents {
  const n = events.length;
  const times = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    times[i] = parseTime(events[i]!.occurred_at);
    if (i > 0 && times[i]! < times[i - 1]!) sorted = false;
  }
  if (sorted) return { events, times };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  return { events: order.map((i) => events[i]!), times: Float64Array.from(order, (i) => times[i]!) };
}

/** The ordered events that pass the filter; the input itself when nothing is filtered. */
export function filterOrdered(all: OrderedEvents, f: TimelineFilter): OrderedEvents {
  if (isEmptyFilter(f)) return all;
  const keep: number[] = [];
  for (let i = 0; i < all.events.length; i++) if (matches(all.events[i]!, f)) keep.push(i);
  return { events: keep.map((i) => all.events[i]!), times: Float64Array.from(keep, (i) => all.times[i]!) };
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
