/**
 * CPR numbers never reach logs, reports or error messages. Anything shaped like one — ten digits standing alone,
 * optionally written DDMMYY-NNNN — is masked wherever a value may be echoed (validator messages, assert reports, XML
 * errors). Longer digit runs (SOR codes, GLNs) are left alone: they are not CPR numbers and they are what a reader
 * needs to find the problem.
 */
const CPR_SHAPED = /(?<!\d)\d{6}-?\d{4}(?!\d)/g;

export const CPR_MASK = '**********';

export function maskCprNumbers(text: string): string {
  return text.replace(CPR_SHAPED, CPR_MASK);
}
