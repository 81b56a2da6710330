// Choosing wikis for an import: the known-wiki shortcuts, typed names, hosts and API URLs.
import type { KnownWiki } from './ipc/types';

/** The namespaces offered in the import dialog (MediaWiki's numbering). None chosen = all. */
export const NAMESPACES = [0, 1, 2, 3, 4, 6, 10, 14] as const;

export const isApiUrl = (s: string) => /^https?:\/\/[^/\s]+\/\S*api\.php$/i.test(s.trim());

/**
 * The API URL for what a user typed: a known wiki's name (any case), its API URL, a full
 * `…/api.php` URL, or a bare host (`fr.wikipedia.org`, Wikimedia's `/w/api.php` layout assumed).
 * Null when it is none of these.
 */
export function resolveWiki(text: string, known: readonly KnownWiki[]): string | null {
  const s = text.trim();
  if (!s) return null;
  const byName = known.find((w) => w.name.toLowerCase() === s.toLowerCase() || w.api === s);
  if (byName) return byName.api;
  if (isApiUrl(s)) return s;
  const host = s.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/i.test(host)) return `https://${host.toLowerCase()}/w/api.php`;
  return null;
}

/** A short label for an API URL: the known wiki's name, else the host. */
export function wikiLabel(api: string, known: readonly KnownWiki[]): string {
  const k = known.find((w) => w.api === api);
  if (k) return k.name;
  try {
    return new URL(api).host;
  } catch {
    return api;
  }
}

export function hostOf(api: string): string {
  try {
    return new URL(api).host;
  } catch {
    return api;
  }
}
