// The pure rules behind the DMCA tab and the office-action dialog: which statutory elements of a
// notice are missing (17 U.S.C. § 512(c)(3)(A)), business days (weekends and US federal holidays,
// 5 U.S.C. § 6103) for the counter-notice restore window (§ 512(g)(2)(C): 10 to 14 business
// days), and `username@wiki` accounts. The backend decides; these show the same answer while typing.
import type { ActionKind, DmcaNoticeInput } from './ipc/types';

/** The elements a notice must hold, in the statute's order of presentation on the form. */
export const DMCA_ELEMENTS = [
  'work',
  'material',
  'urls',
  'complainant_name',
  'complainant_contact',
  'good_faith',
  'accuracy',
  'signature',
] as const;
export type DmcaElement = (typeof DMCA_ELEMENTS)[number];

const filled = (s: string | undefined) => (s ?? '').trim() !== '';

/** True for an http(s) URL (what "the URL of the infringing material" must be). */
export function isWebUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The statutory elements the notice lacks, in form order (empty: complete). */
export function missingElements(n: DmcaNoticeInput): DmcaElement[] {
  const c = n.complainant;
  const present: Record<DmcaElement, boolean> = {
    work: filled(n.work),
    material: filled(n.material),
    urls: n.urls.some(filled),
    complainant_name: filled(c.name),
    // "Information reasonably sufficient to contact": an address, a telephone number or an email.
    complainant_contact: filled(c.address) || filled(c.email) || filled(c.phone),
    good_faith: n.good_faith,
    accuracy: n.accuracy,
    signature: filled(n.signature),
  };
  return DMCA_ELEMENTS.filter((e) => !present[e]);
}

// Dates are `YYYY-MM-DD`, handled as UTC midnights so no time zone moves a day.

export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

const toDay = (s: string): Date => new Date(`${s.slice(0, 10)}T00:00:00Z`);
const fmt = (d: Date): string => d.toISOString().slice(0, 10);
const plusDays = (d: Date, n: number): Date => new Date(d.getTime() + n * 86_400_000);

/** Now to the minute, RFC 3339 (what a time field starts with). */
export const thisMinute = (now: number = Date.now()): string => new Date(Math.floor(now / 60_000) * 60_000).toISOString();

/** Today's date in UTC (the app's one clock). */
export const today = (now: Date = new Date()): string => fmt(now);

/** The `n`th `weekday` (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month, 1));
    return new Date(Date.UTC(year, month, 1 + ((weekday - first.getUTCDay() + 7) % 7) + (n - 1) * 7));
  }
  const last = new Date(Date.UTC(year, month + 1, 0));
  return new Date(Date.UTC(year, month, last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7)));
}

/** A fixed-date holiday moves to Friday when it falls on Saturday, to Monday on Sunday. */
function observed(d: Date): Date {
  const w = d.getUTCDay();
  return w === 6 ? plusDays(d, -1) : w === 0 ? plusDays(d, 1) : d;
}

const holidayCache = new Map<number, Set<string>>();

/** The observed US federal holidays falling in `year` (New Year's Day of year+1 may fall on Dec 31). */
export function usFederalHolidays(year: number): Set<string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const fixed = (y: number, m: number, d: number) => observed(new Date(Date.UTC(y, m, d)));
  const all = [
    fixed(year, 0, 1),
    fixed(year + 1, 0, 1),
    nthWeekday(year, 0, 1, 3), // Birthday of Martin Luther King, Jr.
    nthWeekday(year, 1, 1, 3), // Washington's Birthday
    nthWeekday(year, 4, 1, -1), // Memorial Day
    fixed(year, 5, 19), // Juneteenth
    fixed(year, 6, 4),
    nthWeekday(year, 8, 1, 1), // Labor Day
    nthWeekday(year, 9, 1, 2), // Columbus Day
    fixed(year, 10, 11), // Veterans Day
    nthWeekday(year, 10, 4, 4), // Thanksgiving
    fixed(year, 11, 25),
  ];
  const set = new Set(all.filter((d) => d.getUTCFullYear() === year).map(fmt));
  holidayCache.set(year, set);
  return set;
}

export function isBusinessDay(date: string): boolean {
  const d = toDay(date);
  const w = d.getUTCDay();
  return w !== 0 && w !== 6 && !usFederalHolidays(d.getUTCFullYear()).has(fmt(d));
}

/** The date `n` business days after `date` (the day itself not counted). */
export function addBusinessDays(date: string, n: number): string {
  let d = toDay(date);
  let left = n;
  while (left > 0) {
    d = plusDays(d, 1);
    if (isBusinessDay(fmt(d))) left--;
  }
  return fmt(d);
}

/** Business days d with from < d ≤ to (0 when to ≤ from). */
export function businessDaysBetween(from: string, to: string): number {
  let d = toDay(from);
  const end = toDay(to);
  let n = 0;
  while (d < end) {
    d = plusDays(d, 1);
    if (isBusinessDay(fmt(d))) n++;
  }
  return n;
}

export const calendarDaysBetween = (from: string, to: string): number =>
  Math.round((toDay(to).getTime() - toDay(from).getTime()) / 86_400_000);

/** The restore window after a counter-notice received on `received` (its UTC date). */
export function restoreWindow(received: string): [string, string] {
  const day = received.slice(0, 10);
  return [addBusinessDays(day, 10), addBusinessDays(day, 14)];
}

export type RestorePhase = 'waiting' | 'open' | 'last_day' | 'overdue';

export interface RestoreStatus {
  phase: RestorePhase;
  /** Business days until the earliest restore (waiting) or until the last day (open). */
  business: number;
  /** The same span in calendar days. */
  calendar: number;
}

/**
 * Where a restore window stands on `on`: still waiting for the earliest day, open (material may be
 * restored unless the complainant reports a court action), on its last day, or past it.
 */
export function restoreStatus([earliest, latest]: [string, string], on: string): RestoreStatus {
  if (on < earliest)
    return { phase: 'waiting', business: businessDaysBetween(on, earliest), calendar: calendarDaysBetween(on, earliest) };
  if (on < latest)
    return { phase: 'open', business: businessDaysBetween(on, latest), calendar: calendarDaysBetween(on, latest) };
  if (on === latest) return { phase: 'last_day', business: 0, calendar: 0 };
  return { phase: 'overdue', business: businessDaysBetween(latest, on), calendar: calendarDaysBetween(latest, on) };
}

/** The i18n key and parameters of a restore status line (`dmca.restore.<phase>`). */
export function restoreLabel(s: RestoreStatus): { key: `dmca.restore.${RestorePhase}`; params: { n: number; days: number } } {
  return { key: `dmca.restore.${s.phase}`, params: { n: s.business, days: s.calendar } };
}

export interface Account {
  username: string;
  wiki: string;
}

/**
 * `username@wiki` → the account; null when either side is empty. MediaWiki forbids `@` in new
 * usernames, so the last `@` separates them; underscores are spaces in usernames.
 */
export function parseAccount(text: string): Account | null {
  const s = text.trim();
  const at = s.lastIndexOf('@');
  if (at <= 0) return null;
  const username = s.slice(0, at).trim().replace(/_/g, ' ').replace(/\s+/g, ' ');
  const wiki = s.slice(at + 1).trim();
  if (!username || !wiki || /\s/.test(wiki)) return null;
  return { username, wiki };
}

export const formatAccount = (a: Account): string => `${a.username}@${a.wiki}`;

/** Revision ids typed as `123, 456 789`: the numbers, or null when something else is there. */
export function parseRevisions(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.every((p) => /^\d{1,15}$/.test(p))) return null;
  return parts.map(Number);
}

/** The office-action kind a review decision records (null: not an office action). */
export function actionKindFor(decision: string): ActionKind | null {
  switch (decision) {
    case 'global_ban':
    case 'event_ban':
    case 'interaction_ban':
      return decision;
    case 'warning':
    case 'conduct_warning':
      return 'conduct_warning';
    case 'other_action':
    case 'other':
      return 'other';
    default:
      return null;
  }
}

/** The wiki host and page title of a wiki URL (`/wiki/Title` or `index.php?title=`), else null. */
export function pageFromUrl(url: string): { wiki: string; page: string } | null {
  if (!isWebUrl(url)) return null;
  const u = new URL(url.trim());
  const path = /^\/wiki\/(.+)$/.exec(u.pathname)?.[1];
  const raw = path ?? u.searchParams.get('title');
  if (!raw) return null;
  try {
    return { wiki: u.host, page: decodeURIComponent(raw).replace(/ /g, '_') };
  } catch {
    return null;
  }
}
