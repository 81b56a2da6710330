import { describe, expect, it } from 'vitest';
import { isApiUrl, resolveWiki, wikiLabel } from './wikis';

const known = [
  { name: 'English Wikipedia', api: 'https://en.wikipedia.org/w/api.php' },
  { name: 'Meta-Wiki', api: 'https://meta.wikimedia.org/w/api.php' },
];

describe('resolveWiki', () => {
  it('accepts known names in any case, api.php URLs and bare hosts', () => {
    expect(resolveWiki('english wikipedia', known)).toBe('https://en.wikipedia.org/w/api.php');
    expect(resolveWiki(' http://127.0.0.1:8080/api.php ', known)).toBe('http://127.0.0.1:8080/api.php');
    expect(resolveWiki('fr.wikipedia.org', known)).toBe('https://fr.wikipedia.org/w/api.php');
    expect(resolveWiki('https://DE.wikipedia.org/', known)).toBe('https://de.wikipedia.org/w/api.php');
  });
  it('refuses what is none of these', () => {
    expect(resolveWiki('', known)).toBeNull();
    expect(resolveWiki('not a wiki', known)).toBeNull();
    expect(resolveWiki('ftp://x.org/api.php', known)).toBeNull();
  });
  it('labels an API by its known name, else its host', () => {
    expect(wikiLabel('https://meta.wikimedia.org/w/api.php', known)).toBe('Meta-Wiki');
    expect(wikiLabel('https://wiki.example.org/api.php', known)).toBe('wiki.example.org');
    expect(isApiUrl('https://wiki.example.org/w/index.php')).toBe(false);
  });
});
