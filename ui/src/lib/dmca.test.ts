import { describe, expect, it } from 'vitest';
import {
  actionKindFor,
  addBusinessDays,
  businessDaysBetween,
  isBusinessDay,
  isDate,
  missingElements,
  pageFromUrl,
  parseAccount,
  parseRevisions,
  restoreLabel,
  restoreStatus,
  restoreWindow,
  usFederalHolidays,
  DMCA_ELEMENTS,
} from './dmca';
import { setLanguage, t } from './i18n/index.svelte';
import type { DmcaNoticeInput } from './ipc/types';

const complete: DmcaNoticeInput = {
  work: 'Photograph “Elétrico 28”',
  material: 'File:Tram_28.jpg on Commons',
  urls: ['https://commons.wikimedia.org/wiki/File:Tram_28.jpg'],
  complainant: { name: 'Ana Costa', address: '', email: '', phone: '+351 21 000 0000' },
  good_faith: true,
  accuracy: true,
  signature: '/Ana Costa/',
};

describe('missing DMCA elements', () => {
  it('finds nothing missing in a complete notice', () => {
    expect(missingElements(complete)).toEqual([]);
  });

  it('lists every element of an empty notice, in form order', () => {
    const empty: DmcaNoticeInput = {
      work: '',
      material: '',
      urls: [],
      complainant: { name: '', address: '', email: '', phone: '' },
      good_faith: false,
      accuracy: false,
      signature: '',
    };
    expect(missingElements(empty)).toEqual([...DMCA_ELEMENTS]);
  });

  it('treats blank text and blank URLs as absent', () => {
    const n = { ...complete, work: '  ', urls: ['', '   '], signature: '\t' };
    expect(missingElements(n)).toEqual(['work', 'urls', 'signature']);
  });

  it('needs the name and one way to reach the complainant (address, email or phone)', () => {
    const noWay = { ...complete, complainant: { name: 'Ana', address: '', email: '', phone: '' } };
    expect(missingElements(noWay)).toEqual(['complainant_contact']);
    for (const field of ['address', 'email', 'phone'] as const)
      expect(missingElements({ ...noWay, complainant: { ...noWay.complainant, [field]: 'x' } })).toEqual([]);
    expect(missingElements({ ...complete, complainant: { ...complete.complainant, name: '' } })).toEqual(['complainant_name']);
  });

  it('needs both sworn statements to be ticked', () => {
    expect(missingElements({ ...complete, good_faith: false, accuracy: false })).toEqual(['good_faith', 'accuracy']);
  });
});

describe('business days and the restore window', () => {
  it('knows the observed US federal holidays', () => {
    const h2026 = usFederalHolidays(2026);
    for (const d of ['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25'])
      expect(h2026.has(d), d).toBe(true);
    expect(h2026.size).toBe(11);
    // New Year's Day 2022 fell on a Saturday: observed on Friday 31 December 2021.
    expect(usFederalHolidays(2021).has('2021-12-31')).toBe(true);
    expect(usFederalHolidays(2022).has('2022-01-01')).toBe(false);
    // Christmas 2022 was a Sunday: observed Monday the 26th.
    expect(usFederalHolidays(2022).has('2022-12-26')).toBe(true);
  });

  it('skips weekends and holidays', () => {
    expect(isBusinessDay('2026-09-04')).toBe(true); // Friday
    expect(isBusinessDay('2026-09-05')).toBe(false); // Saturday
    expect(isBusinessDay('2026-09-07')).toBe(false); // Labor Day
    expect(addBusinessDays('2026-09-04', 1)).toBe('2026-09-08');
  });

  it('opens 10 and closes 14 business days after the counter-notice', () => {
    // Received Friday 4 September 2026, Labor Day on the Monday after.
    expect(restoreWindow('2026-09-04T16:20:00Z')).toEqual(['2026-09-21', '2026-09-25']);
    // Around Thanksgiving and a weekend.
    expect(restoreWindow('2026-11-20')).toEqual(['2026-12-07', '2026-12-11']);
  });

  it('counts business days between two dates, the first excluded', () => {
    expect(businessDaysBetween('2026-09-08', '2026-09-21')).toBe(9);
    expect(businessDaysBetween('2026-09-21', '2026-09-21')).toBe(0);
    expect(businessDaysBetween('2026-09-25', '2026-09-21')).toBe(0);
  });

  it('shows the countdown before, during and after the window', () => {
    const w: [string, string] = ['2026-09-21', '2026-09-25'];
    expect(restoreStatus(w, '2026-09-08')).toEqual({ phase: 'waiting', business: 9, calendar: 13 });
    expect(restoreStatus(w, '2026-09-21')).toEqual({ phase: 'open', business: 4, calendar: 4 });
    expect(restoreStatus(w, '2026-09-25')).toEqual({ phase: 'last_day', business: 0, calendar: 0 });
    expect(restoreStatus(w, '2026-09-28')).toEqual({ phase: 'overdue', business: 1, calendar: 3 });

    setLanguage('en');
    const l = restoreLabel(restoreStatus(w, '2026-09-08'));
    expect(t(l.key, l.params)).toBe('9 business days until the earliest restore (13 calendar days)');
    const open = restoreLabel(restoreStatus(w, '2026-09-23'));
    expect(t(open.key, open.params)).toBe('Restore now: 2 business days left (2 calendar days)');
    setLanguage('es');
    expect(t(l.key, l.params)).toBe('Faltan 9 días hábiles para la primera fecha de restauración (13 días naturales)');
    setLanguage('en');
  });

  it('validates dates', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2026-02-30')).toBe(false);
    expect(isDate('2026-2-3')).toBe(false);
    expect(isDate('')).toBe(false);
  });
});

describe('accounts as username@wiki', () => {
  it('splits at the last @ and tidies the username', () => {
    expect(parseAccount('Vandal42@en.wikipedia.org')).toEqual({ username: 'Vandal42', wiki: 'en.wikipedia.org' });
    expect(parseAccount('  Some_User  @ enwiki ')).toEqual({ username: 'Some User', wiki: 'enwiki' });
    expect(parseAccount('Old@name@commons.wikimedia.org')).toEqual({ username: 'Old@name', wiki: 'commons.wikimedia.org' });
  });

  it('refuses what is not an account on a wiki', () => {
    for (const bad of ['Vandal42', '@en.wikipedia.org', 'Vandal42@', 'Vandal42@en wiki', '', '   '])
      expect(parseAccount(bad), JSON.stringify(bad)).toBeNull();
  });
});

describe('takedown helpers', () => {
  it('reads revision ids', () => {
    expect(parseRevisions('123, 456 789;1000')).toEqual([123, 456, 789, 1000]);
    expect(parseRevisions('')).toEqual([]);
    expect(parseRevisions('12a')).toBeNull();
    expect(parseRevisions('-4')).toBeNull();
  });

  it('takes the wiki and title from a wiki URL', () => {
    expect(pageFromUrl('https://commons.wikimedia.org/wiki/File:Tram_28%C3%A9.jpg')).toEqual({ wiki: 'commons.wikimedia.org', page: 'File:Tram_28é.jpg' });
    expect(pageFromUrl('https://en.wikipedia.org/w/index.php?title=Trams in Lisbon&oldid=1')).toEqual({ wiki: 'en.wikipedia.org', page: 'Trams_in_Lisbon' });
    expect(pageFromUrl('https://example.org/')).toBeNull();
    expect(pageFromUrl('not a url')).toBeNull();
  });

  it('maps review decisions to office-action kinds', () => {
    expect(actionKindFor('global_ban')).toBe('global_ban');
    expect(actionKindFor('warning')).toBe('conduct_warning');
    expect(actionKindFor('other_action')).toBe('other');
    expect(actionKindFor('interaction_ban')).toBe('interaction_ban');
    expect(actionKindFor('no_action')).toBeNull();
    expect(actionKindFor('appeal')).toBeNull();
  });
});
