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

  private timer: ReturnType<typeof setTimeout> | undefined;

  /** A confirmation that fades after a few seconds; errors stay until dismissed or replaced. */
  say(text: string, ms = 4000): void {
    this.error = null;
    this.info = text;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.info === text) this.info = null;
    }, ms);
  }

  clear(): void {
    this.error = null;
    this.info = null;
  }
}

export const notices = new Notices();
