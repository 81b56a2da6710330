// Formatting shared by every screen. Times are shown in UTC: investigators compare timestamps
// across wikis, time zones and colleagues, and one clock avoids a whole class of mistakes.
import type { Precision } from './ipc/types';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

function parts(iso: string) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return {
    y: d.getUTCFullYear(),
    mo: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    h: pad(d.getUTCHours()),
    mi: pad(d.getUTCMinutes()),
    s: pad(d.getUTCSeconds()),
  };
}

/** `2026-03-04 14:05:09 UTC`. */
export function formatDateTime(iso: string): string {
  const p = parts(iso);
  if (!p) return iso;
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s} UTC`;
}

/** An event time shown no more precisely than it is known; `approx` is the localized "circa". */
export function formatOccurred(iso: string, precision: Precision, approx = 'c.'): string {
  const p = parts(iso);
  if (!p) return iso;
  switch (precision) {
    case 'exact':
      return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s} UTC`;
    case 'minute':
      return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi} UTC`;
    case 'day':
      return `${p.y}-${p.mo}-${p.d}`;
    case 'approximate':
      return `${approx} ${p.y}-${p.mo}-${p.d}`;
  }
}

/** The text shown in a time input for an instant: `2026-03-04 14:05` (UTC), seconds only if set. */
export function toTimeInput(iso: string): string {
  const p = parts(iso);
  if (!p) return '';
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}${p.s !== '00' ? `:${p.s}` : ''}`;
}

/**
 * RFC 3339 UTC from what an investigator types or pastes: `2026-03-04 14:05`, `2026-03-04T14:05:09Z`,
 * `2026-03-04 14:05 UTC` or a bare date (midnight). Null when it is not a real date and time.
 */
export function parseTimeInput(value: string): string | null {
  // Full RFC 3339 with fractions or an offset (pasted from logs and APIs): normalize to UTC.
  const rfc = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?([+-]\d{2}:\d{2}|Z)$/i.exec(value.trim());
  if (rfc && (rfc[7] || (rfc[8] && rfc[8].toUpperCase() !== 'Z'))) {
    const t = Date.parse(value.trim());
    const simple = parseTimeInput(`${rfc[1]}-${rfc[2]}-${rfc[3]} ${rfc[4]}:${rfc[5]}:${rfc[6]}`);
    if (Number.isNaN(t) || simple === null) return null;
    return new Date(t).toISOString().replace('.000Z', 'Z');
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(?:Z|UTC|\+00:00)?$/i.exec(
    value.trim(),
  );
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const nums = [Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)] as const;
  if (nums[3] > 23 || nums[4] > 59 || nums[5] > 59) return null;
  const back = new Date(Date.UTC(...nums));
  if (back.getUTCMonth() !== nums[1] || back.getUTCDate() !== nums[2]) return null;
  return back.toISOString().replace('.000Z', 'Z');
}

/** Fingerprints grouped for reading aloud over the phone. */
export function groupHex(hex: string, size = 4): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  if (clean.length !== hex.length) return hex;
  return clean.match(new RegExp(`.{1,${size}}`, 'g'))?.join(' ') ?? hex;
}

/** Tags typed as "a, b  c" → ["a", "b", "c"], deduplicated. */
export function parseTags(input: string): string[] {
  return [...new Set(input.split(/[,\s]+/).map((t) => t.trim()).filter(Boolean))];
}

/** FTS snippets mark matches as `[word]`: split into plain and highlighted runs (rendered as text). */
export function snippetParts(snippet: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: snippet.slice(last, m.index), hit: false });
    if (m[1]) parts.push({ text: m[1], hit: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), hit: false });
  return parts;
}

export type DurationUnit = 's' | 'min' | 'h' | 'd';

/**
 * A human duration with at most two units, largest first: `45 s`, `3 min`, `2 h 5 min`,
 * `3 d 4 h`. `unit` renders one part (localized by the caller); negative values read as their size.
 */
export function formatDuration(
  seconds: number,
  unit: (n: number, u: DurationUnit) => string = (n, u) => `${n} ${u}`,
): string {
  if (!Number.isFinite(seconds)) return '—';
  let s = Math.round(Math.abs(seconds));
  if (s < 60) return unit(s, 's');
  const parts: [number, DurationUnit][] = [];
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) parts.push([d, 'd'], [h, 'h']);
  else if (h) parts.push([h, 'h'], [m, 'min']);
  else parts.push([m, 'min'], [s, 's']);
  return parts
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, u]) => unit(n, u))
    .join(' ');
}
