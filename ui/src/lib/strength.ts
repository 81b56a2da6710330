// A passphrase strength estimate for feedback while typing. Not a guarantee: it rewards length
// (the Argon2id KDF makes each guess cost ~1 s, so length dominates) and penalizes obvious patterns.

export type Strength = 0 | 1 | 2 | 3 | 4;

const COMMON = ['password', 'passphrase', 'casebook', 'qwerty', '123456', 'letmein', 'admin', 'welcome', 'iloveyou'];

export function estimateBits(p: string): number {
  if (!p) return 0;
  let pool = 0;
  if (/[a-z]/.test(p)) pool += 26;
  if (/[A-Z]/.test(p)) pool += 26;
  if (/[0-9]/.test(p)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(p)) pool += 33;
  // A dictionary favourite counts as one symbol, whatever its length.
  let q = p.toLowerCase();
  for (const c of COMMON) q = q.replaceAll(c, '\u0000');
  const unique = new Set(q).size;
  // Repeated characters add little: count length as if at most 2 uses of each symbol mattered.
  const effective = Math.min(q.length, unique * 2);
  let bits = effective * Math.log2(Math.max(pool, 2));
  if (/^(.)\1+$/.test(p)) bits = Math.min(bits, 8);
  if (/(?:0123|1234|2345|3456|4567|5678|6789|abcd|bcde|cdef)/i.test(p)) bits -= 10;
  // Several words separated by spaces or dashes: a diceware-like passphrase.
  const words = p.split(/[\s\-_.]+/).filter((w) => w.length >= 3);
  if (words.length >= 4) bits += 10;
  return Math.max(0, bits);
}

export function strength(p: string): Strength {
  const bits = estimateBits(p);
  if (p.length < 8 || bits < 28) return 0;
  if (bits < 45) return 1;
  if (bits < 60) return 2;
  if (bits < 80) return 3;
  return 4;
}

/** The minimum the create-vault form accepts. */
export const MIN_PASSPHRASE = 10;
