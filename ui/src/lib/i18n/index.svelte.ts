// The one i18n layer: every user-visible string goes through t(). Reading the current language
// inside t() makes any template that calls it re-render when the language changes.
import { en, type MessageKey } from './en';
import { es } from './es';
import type { Language } from '../ipc/types';
import type { IpcError } from '../ipc/error';

export type { MessageKey };
export const catalogs: Record<Language, Record<MessageKey, string>> = { en, es };
export const LANGUAGES: Language[] = ['en', 'es'];

const state = $state<{ lang: Language }>({ lang: 'en' });

export function setLanguage(lang: Language): void {
  state.lang = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export function language(): Language {
  return state.lang;
}

export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const message = catalogs[state.lang][key] ?? en[key] ?? key;
  return interpolate(message, params);
}

/** A translation for a value the backend may extend (bundle kinds, contact sources), else the value. */
export function tOr(key: string, fallback: string): string {
  return key in en ? t(key as MessageKey) : fallback;
}

const KNOWN_ERRORS = new Set<string>([
  'wrong_passphrase',
  'locked',
  'not_found',
  'invalid_input',
  'read_only',
  'corrupt_vault',
  'no_vault',
  'vault_exists',
  'audit_broken',
  'io',
]);

/** A user-facing sentence for a backend error, chosen by its code. */
export function errorText(err: Pick<IpcError, 'code' | 'message'>): string {
  if (KNOWN_ERRORS.has(err.code)) return t(`error.${err.code}` as MessageKey, { message: err.message });
  return t('error.generic', { code: err.code, message: err.message });
}
