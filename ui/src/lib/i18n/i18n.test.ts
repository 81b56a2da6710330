import { describe, expect, it } from 'vitest';
import { en } from './en';
import { catalogs, errorText, interpolate, setLanguage, t, LANGUAGES } from './index.svelte';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  const reference = Object.keys(en).sort();

  for (const lang of LANGUAGES) {
    it(`${lang} has exactly the English keys, none empty`, () => {
      const cat = catalogs[lang] as Record<string, string>;
      expect(Object.keys(cat).sort()).toEqual(reference);
      for (const [k, v] of Object.entries(cat)) expect(v.trim(), `${lang}:${k}`).not.toBe('');
    });

    it(`${lang} keeps every placeholder of the English text`, () => {
      const cat = catalogs[lang] as Record<string, string>;
      for (const k of reference)
        expect(placeholders(cat[k]!), `${lang}:${k}`).toEqual(placeholders((en as Record<string, string>)[k]!));
    });
  }

  it('Spanish is actually translated, not copied', () => {
    const same = Object.keys(en).filter((k) => (catalogs.es as Record<string, string>)[k] === (en as Record<string, string>)[k]);
    // A few words are the same in both languages (Casebook, Normal, Wiki, Chat…).
    expect(same.length).toBeLessThan(Object.keys(en).length * 0.08);
  });
});

describe('t()', () => {
  it('interpolates and switches language', () => {
    setLanguage('en');
    expect(t('cases.count', { n: 3 })).toBe('3 cases');
    setLanguage('es');
    expect(t('cases.count', { n: 3 })).toBe('3 casos');
    setLanguage('en');
  });
  it('leaves unknown placeholders visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
  it('turns error codes into sentences, never showing raw codes for known ones', () => {
    setLanguage('en');
    expect(errorText({ code: 'wrong_passphrase', message: 'x' })).toMatch(/Wrong passphrase/);
    expect(errorText({ code: 'invalid_input', message: 'title is required' })).toContain('title is required');
    expect(errorText({ code: 'mystery', message: 'boom' })).toContain('mystery');
  });
});
