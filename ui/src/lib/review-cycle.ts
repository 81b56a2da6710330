// Which signed decisions the app offers for a case, from where it stands in the review cycle
// (the server's rules in casebook-server's cycle.rs; the server still enforces them).
import { OFFICE_ACTIONS, type Decision } from './ipc/types';

export interface Who {
  /** A copy received in a bundle (I review it) rather than my own case (I authored it). */
  received: boolean;
  /** My roles from the key directory; empty when unknown (then nothing is filtered by role). */
  roles?: readonly string[];
}

const JUDGEMENTS: Decision[] = ['approve', 'changes_requested', 'decline'];

export function decisionsFor(state: string, who: Who): Decision[] {
  const roles = who.roles ?? [];
  const has = (r: string) => roles.length === 0 || roles.includes(r);
  const reviews = has('reviewer') || has('committee');
  let out: Decision[] = [];
  switch (state) {
    case 'submitted':
    case 'in_review':
      out = who.received && reviews ? JUDGEMENTS : [];
      break;
    case 'approved':
      out = !who.received || reviews ? [...OFFICE_ACTIONS] : [];
      break;
    case 'action_recorded':
      out = ['close', 'appeal'];
      break;
    case 'closed':
      out = ['appeal'];
      break;
    case 'declined':
    case 'upheld':
    case 'overturned':
      out = ['close'];
      break;
    case 'committee_review':
      out = who.received && has('committee') ? ['uphold', 'overturn'] : [];
      break;
  }
  if (out.includes('appeal') && !(has('investigator') || reviews)) out = out.filter((d) => d !== 'appeal');
  return out;
}
