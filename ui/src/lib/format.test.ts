import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatBytes,
  formatDateTime,
  formatOccurred,
  groupHex,
  parseTags,
  parseTimeInput,
  snippetParts,
  toTimeInput,
} from './format';

describe('formatBytes', () => {
  it('keeps small sizes exact and scales by 1024', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MiB');
    expect(formatBytes(10 * 1024 ** 3)).toBe('10 GiB');
  });
  it('refuses nonsense', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('dates', () => {
  const iso = '2026-03-04T14:05:09Z';
  it('shows UTC wall time', () => {
    expect(formatDateTime(iso)).toBe('2026-03-04 14:05:09 UTC');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
  it('never shows more precision than is known', () => {
    expect(formatOccurred(iso, 'exact')).toBe('2026-03-04 14:05:09 UTC');
    expect(formatOccurred(iso, 'minute')).toBe('2026-03-04 14:05 UTC');
    expect(formatOccurred(iso, 'day')).toBe('2026-03-04');
    expect(formatOccurred(iso, 'approximate', 'aprox.')).toBe('aprox. 2026-03-04');
  });
  it('parses what investigators type as UTC', () => {
    expect(parseTimeInput('2026-03-04 14:05')).toBe('2026-03-04T14:05:00Z');
    expect(parseTimeInput('2026-03-04T14:05:09Z')).toBe('2026-03-04T14:05:09Z');
    expect(parseTimeInput(' 2026-03-04 14:05 UTC ')).toBe('2026-03-04T14:05:00Z');
    expect(parseTimeInput('2026-03-04')).toBe('2026-03-04T00:00:00Z');
    expect(parseTimeInput('2026-09-04T21:15:00Z')).toBe('2026-09-04T21:15:00Z');
    expect(parseTimeInput('2026-09-04T21:15:00.250Z')).toBe('2026-09-04T21:15:00.250Z');
    expect(parseTimeInput('2026-09-04T23:15:00+02:00')).toBe('2026-09-04T21:15:00Z');
    expect(parseTimeInput('2026-09-31T23:15:00+02:00')).toBeNull();
  });
  it('rejects impossible dates and times', () => {
    expect(parseTimeInput('2026-02-30 10:00')).toBeNull();
    expect(parseTimeInput('2026-03-04 25:00')).toBeNull();
    expect(parseTimeInput('04/03/2026')).toBeNull();
    expect(parseTimeInput('')).toBeNull();
  });
  it('round-trips through the input format', () => {
    expect(toTimeInput('2026-03-04T14:05:00Z')).toBe('2026-03-04 14:05');
    expect(toTimeInput('2026-03-04T14:05:09Z')).toBe('2026-03-04 14:05:09');
    expect(parseTimeInput(toTimeInput('2026-03-04T14:05:09Z'))).toBe('2026-03-04T14:05:09Z');
  });
});

describe('misc', () => {
  it('groups hex fingerprints, leaves others alone', () => {
    expect(groupHex('a1b2c3d4e5f6')).toBe('a1b2 c3d4 e5f6');
    expect(groupHex('CB:4F2A')).toBe('CB:4F2A');
  });
  it('splits and deduplicates tags', () => {
    expect(parseTags('sock, doxxing  sock,,urgent')).toEqual(['sock', 'doxxing', 'urgent']);
    expect(parseTags('  ')).toEqual([]);
  });
});

describe('search snippets', () => {
  it('splits FTS [match] markers into highlighted runs', () => {
    expect(snippetParts('…the [threat] was [posted] again')).toEqual([
      { text: '…the ', hit: false },
      { text: 'threat', hit: true },
      { text: ' was ', hit: false },
      { text: 'posted', hit: true },
      { text: ' again', hit: false },
    ]);
    expect(snippetParts('no markers')).toEqual([{ text: 'no markers', hit: false }]);
    expect(snippetParts('<b>[x]</b>')).toEqual([
      { text: '<b>', hit: false },
      { text: 'x', hit: true },
      { text: '</b>', hit: false },
    ]);
  });
});

describe('formatDuration', () => {
  it('uses at most two units, largest first, and drops a zero second part', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(7500)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatDuration(86_400)).toBe('1 d');
    expect(formatDuration(-90)).toBe('1 min 30 s');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
  it('renders units through the caller (localized)', () => {
    expect(formatDuration(3700, (n, u) => `${n}${u === 'h' ? 'hr' : u}`)).toBe('1hr 1min');
  });
});
