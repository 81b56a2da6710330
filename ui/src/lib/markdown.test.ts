import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown';

describe('markdown', () => {
  it('parses headings, lists, quotes, code and paragraphs', () => {
    const b = parseMarkdown('# Title\n\nSome *text* and **bold**.\n\n- one\n- two\n\n> quoted\n\n```\n<b>raw</b>\n```');
    expect(b.map((x) => x.type)).toEqual(['heading', 'paragraph', 'list', 'quote', 'code']);
    expect(b[2]).toMatchObject({ type: 'list', ordered: false, items: [[{ text: 'one' }], [{ text: 'two' }]] });
    expect(b[4]).toEqual({ type: 'code', text: '<b>raw</b>' });
  });
  it('keeps HTML as text', () => {
    const b = parseMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(b).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '<script>alert(1)</script> <img src=x onerror=alert(1)>' }] },
    ]);
  });
  it('only links web and mail URLs', () => {
    expect(safeHref('https://example.org')).toBe('https://example.org');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('file:///etc/passwd')).toBeNull();
    expect(parseInline('[x](javascript:alert(1))')).toEqual([{ type: 'text', text: '[x](javascript:alert(1))' }]);
    expect(parseInline('see [diff](https://w.org/d)')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', text: 'diff', href: 'https://w.org/d' },
    ]);
  });
  it('parses inline code and nesting', () => {
    expect(parseInline('**a *b* c**')).toEqual([
      {
        type: 'strong',
        children: [
          { type: 'text', text: 'a ' },
          { type: 'em', children: [{ type: 'text', text: 'b' }] },
          { type: 'text', text: ' c' },
        ],
      },
    ]);
    expect(parseInline('`a*b*`')).toEqual([{ type: 'code', text: 'a*b*' }]);
  });
});
