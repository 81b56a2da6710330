// The one place errors and confirmations are shown from: an alert region in the current screen.
import { IpcError } from '../ipc/error';
import { errorText } from '../i18n/index.svelte';

export class Notices {
  error = $state<{ code: string; text: string } | null>(null);
  info = $state<string | null>(null);

  fail(raw: unknown): void {
    const err = IpcError.from(raw);
    this.info = null;
    this.error = { code: err.code, text: errorText(err) };
  }

  say(text: string): void {
    this.error = null;
    this.info = text;
  }

  clear(): void {
    this.error = null;
    this.info = null;
  }
}

export const notices = new Notices();
