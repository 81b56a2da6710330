// Which screen the unlocked app shows. Not in the URL: there is nothing to deep-link to in a
// desktop app, and a URL would outlive a lock.
import { notices } from './notices.svelte';

export type CaseTab = 'timeline' | 'interactions' | 'evidence' | 'subjects' | 'notes' | 'audit' | 'review'
  | 'dmca';
/** In tab order; Alt+1…7 picks them. */
export const CASE_TABS: CaseTab[] = ['timeline', 'interactions', 'evidence', 'subjects', 'notes', 'audit', 'review'];

export type Route =
  | { name: 'cases' }
  | { name: 'case'; reference: string; tab: CaseTab; focus?: string }
  | { name: 'inbox' }
  | { name: 'settings' }
  | { name: 'intake' }
  | { name: 'register' };

export class Router {
  route = $state<Route>({ name: 'cases' });

  go(route: Route): void {
    // A confirmation belongs to the screen it was shown on.
    if (notices.info) notices.clear();
    this.route = route;
  }

  openCase(reference: string, tab: CaseTab = 'timeline', focus?: string): void {
    this.go({ name: 'case', reference, tab, focus });
  }

  reset(): void {
    this.route = { name: 'cases' };
  }
}

export const router = new Router();
