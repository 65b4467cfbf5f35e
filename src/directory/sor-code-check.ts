// SOR codes are SNOMED CT-style identifiers (hub.md §7.2): item digits + namespace 1000016 + partition 00 + a Verhoeff
// check digit. Codes that fail are placeholders or typos in the sources (sor/README.md), so an import keeps them but
// warns — rejecting them would lose units that real messages still address.

// Verhoeff: multiplication in the dihedral group D5, and position permutations P[i] = P1 applied i times.
const D: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P1 = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
// Derived rather than written out: the eight rows are powers of one permutation, and typing them is error-prone.
const P: readonly (readonly number[])[] = Array.from({ length: 7 }).reduce<number[][]>(
  (rows) => [...rows, P1.map((j) => rows[rows.length - 1]![j]!)],
  [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
);

/** True when the digit string (check digit last) passes the Verhoeff check. */
export function verhoeffValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    c = D[c]![P[i % 8]![digit]!]!;
  }
  return c === 0;
}

const SOR_SHAPE = /^[0-9]{1,8}100001600[0-9]$/;

/** What is wrong with a SOR code, or undefined when it has the SCTID shape and a valid check digit. */
export function sorCodeProblem(code: string): string | undefined {
  if (!/^[0-9]{11,18}$/.test(code)) return 'expected 11–18 digits';
  if (!SOR_SHAPE.test(code)) return 'expected namespace 1000016 and partition 00 before the check digit';
  if (!verhoeffValid(code)) return 'Verhoeff check digit is wrong';
  return undefined;
}
