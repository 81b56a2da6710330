// The production bundle (dist/, what the app embeds) works offline and carries no test code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

describe('production bundle', () => {
  it('loads nothing from the network', async () => {
    const html = await readFile(`${dist}index.html`, 'utf8');
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//, 'index.html references only bundled files');
    for (const file of await readdir(`${dist}assets`)) {
      const text = await readFile(`${dist}assets/${file}`, 'utf8');
      assert.doesNotMatch(text, /@import\s+url\(|url\(["']?https?:/, `${file} pulls no remote CSS or fonts`);
      assert.doesNotMatch(text, /fonts\.googleapis|cdn\.jsdelivr|unpkg\.com/, `${file} names no CDN`);
    }
  });

  it('contains no mock backend', async () => {
    for (const file of await readdir(`${dist}assets`)) {
      const text = await readFile(`${dist}assets/${file}`, 'utf8');
      assert.ok(!text.includes('__casebookMock'), `${file} has no mock backend`);
      assert.ok(!text.includes('bundle-tampered'), `${file} has no mock data`);
    }
  });
});
