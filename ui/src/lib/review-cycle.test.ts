import { describe, expect, it } from 'vitest';
import { decisionsFor } from './review-cycle';

describe('decisionsFor', () => {
  it('offers the author the office action after approval, then close or appeal', () => {
    expect(decisionsFor('open', { received: false })).toEqual([]);
    expect(decisionsFor('submitted', { received: false })).toEqual([]);
    expect(decisionsFor('approved', { received: false })).toEqual(['global_ban', 'event_ban', 'warning', 'no_action']);
    expect(decisionsFor('action_recorded', { received: false })).toEqual(['close', 'appeal']);
    expect(decisionsFor('closed', { received: false })).toEqual(['appeal']);
    expect(decisionsFor('declined', { received: false })).toEqual(['close']);
  });
  it('offers reviewers judgements and the committee the appeal', () => {
    expect(decisionsFor('in_review', { received: true })).toEqual(['approve', 'changes_requested', 'decline']);
    expect(decisionsFor('committee_review', { received: true, roles: ['reviewer', 'committee'] })).toEqual(['uphold', 'overturn']);
    expect(decisionsFor('committee_review', { received: true, roles: ['reviewer'] })).toEqual([]);
    expect(decisionsFor('committee_review', { received: false })).toEqual([]);
    expect(decisionsFor('upheld', { received: true })).toEqual(['close']);
  });
  it('filters by role when the directory says who I am', () => {
    expect(decisionsFor('in_review', { received: true, roles: ['investigator'] })).toEqual([]);
    expect(decisionsFor('action_recorded', { received: false, roles: ['investigator'] })).toEqual(['close', 'appeal']);
  });
});
