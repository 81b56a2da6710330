import { describe, expect, it } from 'vitest';
import { strength } from './strength';

describe('passphrase strength', () => {
  it('calls short and common passphrases weak', () => {
    expect(strength('')).toBe(0);
    expect(strength('abc123')).toBe(0);
    expect(strength('password123')).toBe(0);
    expect(strength('aaaaaaaaaaaaaaaa')).toBe(0);
  });
  it('rewards length and diceware-like words', () => {
    expect(strength('correct horse battery staple')).toBe(4);
    expect(strength('Tr0ub4dor&3')).toBeGreaterThanOrEqual(2);
  });
  it('is monotone-ish in length for random text', () => {
    expect(strength('k8#Qz')).toBeLessThanOrEqual(strength('k8#Qz-p2Lm!w9'));
  });
});
